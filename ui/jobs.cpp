// SPDX-License-Identifier: MIT
#include "jobs.h"

#include <QCoreApplication>
#include <QMetaObject>

#include <algorithm>

namespace alignscope::ui {

JobLane::JobLane(const QString &name, QObject *parent) : QObject(parent), m_name(name)
{
    setObjectName(name);
    m_thread = std::thread([this] { loop(); });
}

JobLane::~JobLane()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
        if (m_running)
            m_running->token->cancel();
    }
    m_wake.notify_all();
    m_thread.join();  // the queued outcomes die with this object: no continuation runs from here
}

JobId JobLane::post(JobKind kind, const QString &title, std::function<void(JobContext &)> work, QObject *context, Done done)
{
    auto job = std::make_shared<Job>();
    job->kind = kind;
    job->title = title;
    job->work = std::move(work);
    job->context = context;
    job->done = std::move(done);
    job->token = std::make_shared<CancellationToken>();
    {
        std::lock_guard lock(m_mutex);
        job->id = m_nextId++;
        m_queue.push_back(job);
    }
    m_wake.notify_one();
    return job->id;
}

void JobLane::cancel(JobId id)
{
    std::shared_ptr<Job> dropped;
    {
        std::lock_guard lock(m_mutex);
        if (m_running && m_running->id == id)
            m_running->token->cancel();
        auto it = std::find_if(m_queue.begin(), m_queue.end(), [id](const auto &j) { return j->id == id; });
        if (it != m_queue.end()) {
            dropped = *it;
            m_queue.erase(it);
            ++m_undelivered;
        }
    }
    if (dropped)  // its continuation still runs, asynchronously like every other
        QMetaObject::invokeMethod(this, [this, dropped] { deliver(dropped, JobOutcome::Cancelled, {}); }, Qt::QueuedConnection);
    m_idle.notify_all();
}

void JobLane::cancelKind(JobKind kind)
{
    std::vector<JobId> ids;
    {
        std::lock_guard lock(m_mutex);
        if (m_running && m_running->kind == kind)
            ids.push_back(m_running->id);
        for (const auto &j : m_queue)
            if (j->kind == kind)
                ids.push_back(j->id);
    }
    for (JobId id : ids)
        cancel(id);
}

bool JobLane::hasPending(JobKind kind) const
{
    std::lock_guard lock(m_mutex);
    if (m_running && m_running->kind == kind)
        return true;
    return std::any_of(m_queue.begin(), m_queue.end(), [kind](const auto &j) { return j->kind == kind; });
}

bool JobLane::isIdle() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.empty() && !m_running && m_undelivered == 0;
}

JobId JobLane::runningId() const
{
    std::lock_guard lock(m_mutex);
    return m_running ? m_running->id : 0;
}

JobKind JobLane::runningKind() const
{
    std::lock_guard lock(m_mutex);
    return m_running ? m_running->kind : JobKind::Read;
}

void JobLane::waitForIdle()
{
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_idle.wait(lock, [this] { return m_queue.empty() && !m_running; });
        }
        // the outcomes were posted to this object, a job's own messages (an early result) maybe to others:
        // deliver everything posted, in order (a continuation may queue more)
        QCoreApplication::sendPostedEvents();
        if (isIdle())
            return;
    }
}

void JobLane::loop()
{
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                return;
            job = m_queue.front();
            m_queue.pop_front();
            m_running = job;
        }
        const JobId id = job->id;
        const JobKind kind = job->kind;
        const QString title = job->title;
        QMetaObject::invokeMethod(this, [this, id, kind, title] { Q_EMIT started(id, kind, title); }, Qt::QueuedConnection);
        JobContext ctx(
            [this, id, kind, title](const ProgressEvent &e) {
                const double fraction = e.total > 0 ? double(e.done) / double(e.total) : -1.0;
                const QString stage = QString::fromStdString(e.stage);
                const double eta = e.etaSeconds;
                QMetaObject::invokeMethod(
                    this, [this, id, kind, title, fraction, stage, eta] { Q_EMIT progress(id, kind, title, fraction, stage, eta); },
                    Qt::QueuedConnection);
            },
            job->token.get(), 0.1);
        JobOutcome outcome = JobOutcome::Finished;
        QString message;
        try {
            ctx.checkCancelled();  // cancelled while it waited to start
            job->work(ctx);
        } catch (const Cancelled &) {
            outcome = JobOutcome::Cancelled;
        } catch (const std::exception &e) {
            outcome = JobOutcome::Failed;
            message = QString::fromStdString(e.what());
        } catch (...) {
            outcome = JobOutcome::Failed;
            message = tr("unknown error");
        }
        job->work = nullptr;  // what it captured is released on this thread, not on the GUI's
        {
            std::lock_guard lock(m_mutex);
            m_running.reset();
            ++m_undelivered;
        }
        QMetaObject::invokeMethod(this, [this, job, outcome, message] { deliver(job, outcome, message); }, Qt::QueuedConnection);
        m_idle.notify_all();
    }
}

void JobLane::deliver(const std::shared_ptr<Job> &job, JobOutcome outcome, const QString &message)
{
    {
        std::lock_guard lock(m_mutex);
        --m_undelivered;
    }
    if (job->context && job->done)
        job->done(job->id, outcome, message);
    Q_EMIT ended(job->id, job->kind, job->title, outcome, message);
}

} // namespace alignscope::ui
