// SPDX-License-Identifier: MIT
// Private: small file helpers of the store's writers (score jobs, sweeps).
#pragma once
#include <ctime>
#include <filesystem>
#include <string>

namespace alignscope {

/** Removes a file when the scope ends, unless `path` was cleared (the commit renamed it). */
struct TempFile {
    std::string path;
    ~TempFile()
    {
        if (!path.empty()) {
            std::error_code ec;
            std::filesystem::remove(path, ec);
        }
    }
};

/** Now as ISO-8601 UTC ("2026-11-29T07:48:00Z"), for the stores' `created` attributes. */
inline std::string nowIso()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

} // namespace alignscope
