// SPDX-License-Identifier: MIT
#include "data/json_file.h"

#include "alignscope/calibration.h"
#include "alignscope/model_config.h"

#include "data/strings.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace alignscope {

nlohmann::json readJsonObjectFile(const std::filesystem::path &file)
{
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return nlohmann::json::object();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ModelError(file.string() + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::exception &e) {
        throw ModelError(file.string() + ": malformed JSON (" + e.what() + ")");
    }
    if (!j.is_object())
        throw ModelError(file.string() + ": expected a JSON object");
    return j;
}

std::string readDataFile(const std::string &file)
{
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))  // a folder opens as a stream that reads nothing
        throw DataError(file + ": a folder, not a data file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw DataError(file + ": cannot open the file");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad())
        throw DataError(file + ": read error");
    std::string text = s.str();
    // every data file is text: a byte that is not UTF-8 is named here, before it reaches a JSON writer
    if (const std::size_t at = invalidUtf8At(text); at != std::string::npos) {
        const std::size_t lineStart = text.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t line = 1 + size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
        const std::size_t column = at - (lineStart == std::string::npos || at == 0 ? 0 : lineStart + 1) + 1;
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", unsigned(static_cast<unsigned char>(text[at])));
        throw DataError(file + ":" + std::to_string(line) + ": not UTF-8 text (byte " + byte + " at column " +
                        std::to_string(column) + "); save the file as UTF-8");
    }
    return text;
}

nlohmann::json readJsonDataFile(const std::string &file)
{
    const std::string text = readDataFile(file);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw DataError(file + ": not JSON (" + e.what() + ")");
    }
}

std::vector<std::pair<std::int64_t, nlohmann::json>> readJsonLines(const std::string &file)
{
    std::istringstream in(readDataFile(file));
    std::vector<std::pair<std::int64_t, nlohmann::json>> out;
    std::string l;
    std::int64_t n = 0;
    while (std::getline(in, l)) {
        ++n;
        if (l.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(l);
        } catch (const nlohmann::json::exception &e) {
            throw DataError(file + ":" + std::to_string(n) + ": invalid JSON: " + e.what());
        }
        if (!j.is_object())
            throw DataError(file + ":" + std::to_string(n) + ": expected a JSON object");
        out.emplace_back(n, std::move(j));
    }
    return out;
}

} // namespace alignscope
