// SPDX-License-Identifier: MIT
// Shared by the libFuzzer targets: the readers take paths, so each input is written to a file in a
// private folder (in /dev/shm where there is one). A reader may only reject an input with the error
// type its header documents; anything else escaping (a std::out_of_range from the JSON library, a
// bad_alloc) is a finding, and libFuzzer reports it as a crash.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace fuzz {

inline const std::string &workDir()
{
    static const std::string dir = [] {
        const std::filesystem::path base =
            std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        const auto d = base / ("alignscope-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d.string();
    }();
    return dir;
}

inline std::string writeFile(const std::string &name, const void *data, std::size_t size)
{
    const std::string path = workDir() + "/" + name;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(static_cast<const char *>(data), std::streamsize(size));
    return path;
}

/** The input split at its first "\n====\n" into two files' bytes (the second empty when there is none). */
inline std::pair<std::string, std::string> splitInput(const std::uint8_t *data, std::size_t size)
{
    const std::string all(reinterpret_cast<const char *>(data), size);
    const auto at = all.find("\n====\n");
    if (at == std::string::npos)
        return {all, {}};
    return {all.substr(0, at + 1), all.substr(at + 6)};
}

/** Valid UTF-8 (what every reader promises for the text it returns). */
inline bool validUtf8(const std::string &s)
{
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        if (n == 9 || i + n >= s.size())
            return false;
        for (std::size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return false;
        i += n + 1;
    }
    return true;
}

} // namespace fuzz
