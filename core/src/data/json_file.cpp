// SPDX-License-Identifier: MIT
#include "data/json_file.h"

#include "alignscope/model_config.h"

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

} // namespace alignscope
