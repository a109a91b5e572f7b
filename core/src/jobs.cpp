// SPDX-License-Identifier: MIT
#include "alignscope/jobs.h"

#include <cmath>
#include <cstdio>

namespace alignscope {

JobContext::JobContext(ProgressCallback callback, const CancellationToken *token, double minIntervalSeconds)
    : m_callback(std::move(callback)), m_token(token), m_minInterval(minIntervalSeconds)
{
}

JobContext JobContext::nested(const std::string &prefix)
{
    return JobContext([this, prefix](const ProgressEvent &e) { report(e.done, e.total, prefix + e.stage); }, m_token,
                      0.0);
}

void JobContext::report(std::int64_t done, std::int64_t total, const std::string &stage)
{
    if (!m_callback)
        return;
    const auto now = Clock::now();
    const bool newStage = !m_emittedOnce || stage != m_stage || total != m_lastTotal || done < m_lastDone;
    m_lastDone = done;
    m_lastTotal = total;
    if (newStage) {
        m_stage = stage;
        m_stageStart = now;
    }
    const bool complete = total > 0 && done >= total;
    const double sinceLast = std::chrono::duration<double>(now - m_lastEmit).count();
    if (!newStage && !complete && sinceLast < m_minInterval)
        return;

    ProgressEvent ev;
    ev.done = done;
    ev.total = total;
    ev.stage = stage;
    ev.elapsedSeconds = std::chrono::duration<double>(now - m_start).count();
    const double stageElapsed = std::chrono::duration<double>(now - m_stageStart).count();
    if (total > 0 && done > 0 && done <= total)
        ev.etaSeconds = stageElapsed * double(total - done) / double(done);
    m_lastEmit = now;
    m_emittedOnce = true;
    m_callback(ev);
}

void JobContext::checkCancelled() const
{
    if (isCancelled())
        throw Cancelled();
}

std::string formatDuration(double seconds)
{
    if (!(seconds >= 0) || std::isinf(seconds))
        return "?";
    if (seconds > 0 && seconds < 0.95)  // an estimate of 0.3 s is not "0s"
        return "<1s";
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

} // namespace alignscope
