// SPDX-License-Identifier: MIT
// Progress reporting and cancellation shared by every long operation of the engine.
// Qt-free: the CLI prints the events on stderr, the GUI's bridge turns them into signals.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace alignscope {

/** A cancel request shared between the caller (any thread) and a running job. */
class CancellationToken {
public:
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }
    void reset() noexcept { m_cancelled.store(false, std::memory_order_relaxed); }
    bool isCancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

/** Thrown by JobContext::checkCancelled(); a normal outcome, not a failure. */
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

/** One progress report: `done` of `total` units of the current stage. */
struct ProgressEvent {
    std::int64_t done = 0;
    std::int64_t total = 0;     ///< 0 when the amount of work is unknown
    std::string stage;          ///< short, untranslated, e.g. "layer 3/32"
    double elapsedSeconds = 0;  ///< since the job (not the stage) started
    double etaSeconds = -1;     ///< remaining time of the stage; -1 when unknown
};

using ProgressCallback = std::function<void(const ProgressEvent &)>;

/**
 * What a long operation receives: a progress callback (throttled here, so callers may report
 * as often as they like) and a cancellation token (polled between units of work).
 * Both are optional; a default JobContext reports nothing and is never cancelled.
 */
class JobContext {
public:
    JobContext() = default;
    explicit JobContext(ProgressCallback callback, const CancellationToken *token = nullptr,
                        double minIntervalSeconds = 0.1);

    /**
     * Reports progress; forwarded at most once per interval, always when a stage begins or completes.
     * A stage begins when its name or total changes or its count goes back (a second run of a stage).
     */
    void report(std::int64_t done, std::int64_t total, const std::string &stage);
    /** Throws Cancelled when the token asks for it. */
    void checkCancelled() const;
    bool isCancelled() const { return m_token && m_token->isCancelled(); }
    /** A context for a sub-task: its stages reach this context as "prefix" + stage, with the same token.
     *  It must not outlive this context. */
    JobContext nested(const std::string &prefix);
    /** A context with the same token that reports nothing: for inner loops whose progress would only be noise. */
    JobContext cancellationOnly() const { return JobContext({}, m_token, 0.0); }

private:
    using Clock = std::chrono::steady_clock;
    ProgressCallback m_callback;
    const CancellationToken *m_token = nullptr;
    double m_minInterval = 0.1;
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_stageStart = m_start;
    Clock::time_point m_lastEmit{};
    std::string m_stage;
    std::int64_t m_lastDone = 0, m_lastTotal = 0;
    bool m_emittedOnce = false;
};

/** Formats seconds as "1h02m", "3m05s", "12s" or "<1s" (for progress lines). */
std::string formatDuration(double seconds);

} // namespace alignscope
