// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/jobs.h"

#include <QObject>
#include <QString>

#include <functional>

class QThread;

namespace alignscope::ui {

/**
 * Runs one engine job at a time on a worker thread and reports back on the GUI thread: progress
 * (throttled by the engine's JobContext), then, once the thread has ended (so a handler may start
 * the next job), exactly one of finished / failed / cancelled.
 * cancel() asks the job to stop at its next check; the destructor cancels and waits.
 */
class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;

    /** Starts `job` (it runs on the worker thread; it must not touch widgets). False when one is running. */
    bool start(const QString &title, std::function<void(JobContext &)> job);
    bool isRunning() const { return m_thread != nullptr; }
    void cancel();
    /** Blocks until the running job has ended (tests, closing). */
    void wait();

Q_SIGNALS:
    void progress(const QString &title, double fraction, const QString &stage, double etaSeconds);
    void finished(const QString &title);
    void failed(const QString &title, const QString &message);
    void cancelled(const QString &title);

private:
    void ended();

    enum class Outcome { Finished, Cancelled, Failed };
    QThread *m_thread = nullptr;
    CancellationToken m_token;
    QString m_title, m_message;
    Outcome m_outcome = Outcome::Finished;
};

} // namespace alignscope::ui
