// SPDX-License-Identifier: MIT
#include "jobrunner.h"

#include <QMetaObject>
#include <QThread>

namespace alignscope::ui {

JobRunner::JobRunner(QObject *parent) : QObject(parent) {}

JobRunner::~JobRunner()
{
    // no announcements from a destructor: whoever listens may be half destroyed
    if (m_thread) {
        cancel();
        m_thread->wait();
        delete m_thread;
    }
}

bool JobRunner::start(const QString &title, std::function<void(JobContext &)> job)
{
    if (m_thread)
        return false;
    m_token.reset();
    // the thread ends before this object is destroyed (see the destructor), so `this` outlives it
    auto post = [this](auto f) { QMetaObject::invokeMethod(this, f, Qt::QueuedConnection); };
    m_thread = QThread::create([this, title, job = std::move(job), post] {
        JobContext ctx(
            [this, title, post](const ProgressEvent &e) {
                const double fraction = e.total > 0 ? double(e.done) / double(e.total) : -1.0;
                const QString stage = QString::fromStdString(e.stage);
                const double eta = e.etaSeconds;
                post([this, title, fraction, stage, eta] { Q_EMIT progress(title, fraction, stage, eta); });
            },
            &m_token, 0.1);
        // the outcome is announced by ended(), on the GUI thread, once this thread has finished
        try {
            job(ctx);
            m_outcome = Outcome::Finished;
        } catch (const Cancelled &) {
            m_outcome = Outcome::Cancelled;
        } catch (const std::exception &e) {
            m_outcome = Outcome::Failed;
            m_message = QString::fromStdString(e.what());
        } catch (...) {
            m_outcome = Outcome::Failed;
            m_message = tr("unknown error");
        }
    });
    m_title = title;
    connect(m_thread, &QThread::finished, this, &JobRunner::ended);
    m_thread->start();
    return true;
}

void JobRunner::cancel() { m_token.cancel(); }

void JobRunner::wait()
{
    if (m_thread) {
        m_thread->wait();
        ended();  // announce now; the queued QThread::finished then finds nothing to do
    }
}

void JobRunner::ended()
{
    if (!m_thread)
        return;
    m_thread->deleteLater();
    m_thread = nullptr;
    switch (m_outcome) {
    case Outcome::Finished: Q_EMIT finished(m_title); break;
    case Outcome::Cancelled: Q_EMIT cancelled(m_title); break;
    case Outcome::Failed: Q_EMIT failed(m_title, m_message); break;
    }
}

} // namespace alignscope::ui
