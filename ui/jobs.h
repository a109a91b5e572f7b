// SPDX-License-Identifier: MIT
// Background work for the application (widget-free). A JobLane runs jobs one at a time, in order, on
// one long-lived worker thread, so libtorch's thread settings and a loaded model stay with one thread;
// every job has an id, progress and its outcome arrive on the GUI thread, and a job's continuation
// runs only while its context object exists. A JobTracker drops results that a newer request has
// superseded (hotspot's jobtracker.h is the model).
#pragma once
#include "alignscope/jobs.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace alignscope::ui {

using JobId = quint64;

/** What a job does: the window shows each kind its own way and cancels by kind. */
enum class JobKind {
    Score,     ///< scoring a model into a store (minutes)
    Evaluate,  ///< a live ASR point
    Probe,     ///< probing the attention heads
    Ablate,    ///< evaluating a head ablation
    Estimate,  ///< the score job's time and memory estimate
    Read,      ///< reading from a store (the matrix view, mean scores)
};

enum class JobOutcome { Finished, Cancelled, Failed };

class JobLane : public QObject {
    Q_OBJECT
public:
    explicit JobLane(const QString &name, QObject *parent = nullptr);
    /** Cancels every job and joins the thread; no signal is emitted from here. */
    ~JobLane() override;

    /** A job's continuation on the GUI thread: its outcome and, when it failed, the error message. */
    using Done = std::function<void(JobId id, JobOutcome outcome, const QString &message)>;
    /**
     * Queues `work` (it runs on the worker thread and must not touch widgets). `done` runs on the GUI
     * thread after it ended, unless `context` has been destroyed by then. Returns the job's id.
     */
    JobId post(JobKind kind, const QString &title, std::function<void(JobContext &)> work, QObject *context, Done done);
    /** post() for a job that computes an `R`: `done` gets it when the job finished. */
    template<class R>
    JobId run(JobKind kind, const QString &title, std::function<R(JobContext &)> work, QObject *context,
              std::function<void(JobId, R)> finished, Done ended = {})
    {
        auto out = std::make_shared<R>();
        return post(kind, title, [work = std::move(work), out](JobContext &ctx) { *out = work(ctx); }, context,
                    [finished = std::move(finished), ended = std::move(ended), out](JobId id, JobOutcome o, const QString &m) {
                        if (o == JobOutcome::Finished && finished)
                            finished(id, std::move(*out));
                        if (ended)
                            ended(id, o, m);
                    });
    }

    /** Drops a queued job (its continuation sees Cancelled) or asks the running one to stop. */
    void cancel(JobId id);
    /** cancel() for every queued or running job of `kind`. */
    void cancelKind(JobKind kind);
    /** True while a job of `kind` is queued or running. */
    bool hasPending(JobKind kind) const;
    bool isIdle() const;
    /** The running job's id (0: none), kind and title. */
    JobId runningId() const;
    JobKind runningKind() const;
    /** Blocks until every queued job has ended, then delivers their outcomes (tests, closing). */
    void waitForIdle();

Q_SIGNALS:
    void started(alignscope::ui::JobId id, alignscope::ui::JobKind kind, const QString &title);
    /** Throttled by the engine's JobContext (about 10 a second); fraction < 0 when unknown, eta < 0 too. */
    void progress(alignscope::ui::JobId id, alignscope::ui::JobKind kind, const QString &title, double fraction,
                  const QString &stage, double etaSeconds);
    /** After the job's continuation ran. */
    void ended(alignscope::ui::JobId id, alignscope::ui::JobKind kind, const QString &title,
               alignscope::ui::JobOutcome outcome, const QString &message);

private:
    struct Job {
        JobId id = 0;
        JobKind kind = JobKind::Read;
        QString title;
        std::function<void(JobContext &)> work;
        QPointer<QObject> context;
        Done done;
        std::shared_ptr<CancellationToken> token;
    };
    void loop();
    void deliver(const std::shared_ptr<Job> &job, JobOutcome outcome, const QString &message);

    QString m_name;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::shared_ptr<Job>> m_queue;
    std::shared_ptr<Job> m_running;
    int m_undelivered = 0;  ///< ended on the worker, outcome not yet delivered on the GUI thread
    bool m_stop = false;
    JobId m_nextId = 1;
    std::thread m_thread;
};

/** Latest wins: every request takes a new number; only the newest one's result is current. */
class JobTracker {
public:
    quint64 next() { return ++m_latest; }
    quint64 current() const { return m_latest; }
    bool isCurrent(quint64 request) const { return request == m_latest; }
    /** Makes every request so far stale (e.g. another store was opened). */
    void invalidate() { ++m_latest; }

private:
    quint64 m_latest = 0;
};

} // namespace alignscope::ui

Q_DECLARE_METATYPE(alignscope::ui::JobKind)
Q_DECLARE_METATYPE(alignscope::ui::JobOutcome)
