// SPDX-License-Identifier: MIT
#include "alignscope/resources.h"

#include <cstdlib>
#include <filesystem>

namespace alignscope {

std::string resourcesDir()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const char *env = std::getenv("ALIGNSCOPE_DATA_DIR");
    for (const char *candidate : {env, ALIGNSCOPE_INSTALLED_DATA_DIR, ALIGNSCOPE_SOURCE_RESOURCES})
        if (candidate && *candidate && fs::is_directory(fs::path(candidate) / "models", ec))
            return candidate;
    return {};
}

std::string defaultModelDir()
{
    const std::string r = resourcesDir();
    if (r.empty())
        return {};
    const std::filesystem::path p = std::filesystem::path(r) / "models" / "demo-chat";
    std::error_code ec;
    return std::filesystem::exists(p / "config.json", ec) ? p.string() : std::string();
}

} // namespace alignscope
