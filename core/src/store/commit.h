// SPDX-License-Identifier: MIT
// Private: how every writer changes a store (docs/STORE_FORMAT.md, "Writers"). One writer at a time
// holds STORE.lock (an flock, which the kernel releases when its process dies, however it dies); it
// makes the new version in STORE.tmp-PID from the store as it is now (so that no other writer's set
// is lost), syncs it to disk and renames it over the store. Readers never see a partial store.
#pragma once
#include "store/h5.h"

#include <cstdint>
#include <functional>
#include <string>

namespace alignscope {

class JobContext;

/** The writer lock of a store: held from construction to destruction. */
class StoreLock {
public:
    /**
     * Takes the lock of `storePath`. While another process holds it: `wait` waits (saying who holds it through
     * `ctx` every few seconds; cancellable through `ctx`), else throws StoreError naming the holder.
     */
    explicit StoreLock(const std::string &storePath, JobContext *ctx = nullptr, bool wait = true);
    ~StoreLock();
    StoreLock(const StoreLock &) = delete;
    StoreLock &operator=(const StoreLock &) = delete;

    /** Who holds the lock of `storePath` now ("pid 123 on host since …: alignscope score …"); empty if nobody. */
    static std::string holder(const std::string &storePath);

private:
    std::string m_path;
    int m_fd = -1;
};

/**
 * Writes a new version of `storePath` under its writer lock. `build(out)` changes `out`: a copy of the current
 * store, or when there is none a copy of `seed` (or, without a seed, a new empty file); it returns false when
 * there is nothing to change (the store is left as it is). The new version is flushed, synced and renamed over
 * the store. `extraBytes` (about what `build` adds) and the copy are checked against the free space first, so
 * that a full disk is reported before anything is written. Nothing is left behind on failure, and copies that
 * killed writers left are removed. Returns whether the store changed.
 */
bool commitStore(const std::string &storePath, std::uint64_t extraBytes, JobContext *ctx,
                 const std::function<bool(h5::File &out, bool existed)> &build, const std::string &seed = {});

/**
 * Removes what killed writers left next to `storePath` (STORE.tmp-PID copies, the lock file) unless a writer
 * holds the lock now. A job with nothing to commit calls it; every commit does the same under its lock.
 */
void tidyStore(const std::string &storePath);

/**
 * A point where the crash-injection tests kill the process: with ALIGNSCOPE_CRASH_AT=NAME (or NAME:N, the Nth
 * time it is reached) in the environment the process sends itself SIGKILL there. Costs one getenv per call.
 */
void crashPoint(const char *name);

/** Bytes free for this user in the file system holding `path` (its folder), or ~0 if unknown. */
std::uint64_t freeBytes(const std::string &path);

} // namespace alignscope
