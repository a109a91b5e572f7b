// SPDX-License-Identifier: MIT
#include "store/commit.h"

#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "store/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

namespace fs = std::filesystem;

namespace alignscope {

namespace {

std::string lockPath(const std::string &store) { return store + ".lock"; }

std::string folderOf(const std::string &path)
{
    const fs::path p = fs::absolute(path).parent_path();
    return p.empty() ? std::string(".") : p.string();
}

std::string errnoText(int e) { return e == ENOSPC ? "no space left on device (the disk is full)" : std::strerror(e); }

/** "pid 4711 on node12 since 2026-12-03T09:00:00Z: alignscope score …" */
std::string describeSelf()
{
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char &c : cmd)
        if (c == '\0')
            c = ' ';
    while (!cmd.empty() && cmd.back() == ' ')
        cmd.pop_back();
    if (cmd.size() > 200)
        cmd = cmd.substr(0, 200) + "…";
    return "pid " + std::to_string(::getpid()) + " on " + host + " since " + nowIso() + (cmd.empty() ? "" : ": " + cmd);
}

std::string readHolder(int fd)
{
    char buf[512];
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string s(buf, n > 0 ? size_t(n) : 0);
    return s.empty() ? std::string("another process") : s;
}

/** Holds `fd`'s file open and locked iff it is still the file at `path` (a releasing holder unlinks it). */
bool sameFile(int fd, const std::string &path)
{
    struct stat a {}, b {};
    return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void syncFile(const std::string &path, bool folder)
{
    const int fd = ::open(path.c_str(), (folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw StoreError(path + ": cannot open to sync: " + errnoText(errno));
    const int rc = ::fsync(fd), e = errno;
    ::close(fd);
    if (rc != 0 && !(folder && e == EINVAL))
        throw StoreError(path + ": cannot sync to disk: " + errnoText(e));
}

/** Removes the copies (STORE.tmp-PID) that writers killed mid-commit left; called under the lock. */
void removeStaleCopies(const std::string &store)
{
    const fs::path s = fs::absolute(store);
    const std::string prefix = s.filename().string() + ".tmp-";
    std::error_code ec;
    for (fs::directory_iterator it(s.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string n = it->path().filename().string();
        if (n.compare(0, prefix.size(), prefix) == 0 && n.find_first_not_of("0123456789", prefix.size()) == std::string::npos) {
            std::error_code rm;
            fs::remove(it->path(), rm);
        }
    }
}

} // namespace

void crashPoint(const char *name)
{
    static std::map<std::string, int> reached;
    const char *at = std::getenv("ALIGNSCOPE_CRASH_AT");
    if (!at)
        return;
    const std::string want = at, here = name;
    const auto colon = want.find(':');
    const int n = ++reached[here];
    if (want.substr(0, colon) == here && (colon == std::string::npos || std::atoi(want.c_str() + colon + 1) == n))
        ::raise(SIGKILL);
}

StoreLock::StoreLock(const std::string &storePath, JobContext *ctx, bool wait) : m_path(lockPath(storePath))
{
    auto lastReport = std::chrono::steady_clock::now() - std::chrono::seconds(10);
    for (;;) {
        const int fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            throw StoreError(m_path + ": cannot create the store's lock file: " + errnoText(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            if (sameFile(fd, m_path)) {
                m_fd = fd;
                // who holds it, for the waiters' messages (a courtesy: the flock alone is the lock)
                const std::string me = describeSelf();
                (void)!::ftruncate(fd, 0);
                (void)!::pwrite(fd, me.data(), me.size(), 0);
                return;
            }
            ::close(fd);  // released and unlinked meanwhile: take the new file
            continue;
        }
        const int e = errno;
        if (e != EWOULDBLOCK) {
            ::close(fd);
            throw StoreError(m_path + ": cannot lock the store: " + errnoText(e));
        }
        const std::string who = readHolder(fd);
        ::close(fd);
        if (!wait)
            throw StoreError(storePath + " is being written by " + who + "; wait until it is done");
        if (ctx) {
            ctx->checkCancelled();
            if (std::chrono::steady_clock::now() - lastReport >= std::chrono::seconds(5)) {
                ctx->report(0, 0, "waiting for the store, which " + who + " is writing");
                lastReport = std::chrono::steady_clock::now();
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

StoreLock::~StoreLock()
{
    if (m_fd >= 0) {
        ::unlink(m_path.c_str());  // before the unlock: a waiter that opened this file sees it is gone
        ::close(m_fd);
    }
}

std::string StoreLock::holder(const std::string &storePath)
{
    const std::string p = lockPath(storePath);
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    std::string who;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        who = readHolder(fd);
    ::close(fd);
    return who;
}

std::uint64_t freeBytes(const std::string &path)
{
    struct statvfs v {};
    if (::statvfs(folderOf(path).c_str(), &v) != 0)
        return ~std::uint64_t(0);
    return std::uint64_t(v.f_bavail) * std::uint64_t(v.f_frsize);
}

void tidyStore(const std::string &storePath)
{
    try {
        const StoreLock lock(storePath, nullptr, false);  // released (and unlinked) on return
        removeStaleCopies(storePath);
    } catch (const StoreError &) {  // a writer is at work: it tidies up itself
    }
}

bool commitStore(const std::string &storePath, std::uint64_t extraBytes, JobContext *ctx,
                 const std::function<bool(h5::File &out, bool existed)> &build, const std::string &seed)
{
    const StoreLock lock(storePath, ctx);
    crashPoint("commit-locked");
    removeStaleCopies(storePath);
    const bool existed = fs::exists(storePath);
    const std::string from = existed ? storePath : seed;
    std::error_code ec;
    const std::uint64_t copyBytes = from.empty() ? 0 : std::uint64_t(fs::file_size(from, ec));
    const std::uint64_t need = copyBytes + extraBytes + (std::uint64_t(1) << 20);
    const std::uint64_t free = freeBytes(storePath);
    if (free < need)
        throw StoreError(storePath + ": not enough free space to write the store: about " + formatBytes(need) +
                         " needed, " + formatBytes(free) + " free in " + folderOf(storePath) +
                         " (the disk is too full); the store is unchanged");
    TempFile tmp{storePath + ".tmp-" + std::to_string(::getpid())};
    h5::File out;
    if (!from.empty()) {
        fs::copy_file(from, tmp.path, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw StoreError(tmp.path + ": cannot copy " + from + ": " + errnoText(ec.value()) +
                             "; the store is unchanged");
        out = h5::File::open(tmp.path, true);
        crashPoint("commit-copied");
    } else {
        out = h5::File::create(tmp.path);
    }
    if (!build(out, existed))
        return false;
    crashPoint("commit-built");
    out.flush();
    out = h5::File();
    syncFile(tmp.path, false);
    crashPoint("commit-synced");
    if (::rename(tmp.path.c_str(), storePath.c_str()) != 0)
        throw StoreError(storePath + ": cannot replace the store: " + errnoText(errno) + "; the store is unchanged");
    tmp.path.clear();
    crashPoint("commit-renamed");
    syncFile(folderOf(storePath), true);
    return true;
}

} // namespace alignscope
