// SPDX-License-Identifier: MIT
// Private: the one reader of optional JSON side files (generation_config.json, tokenizer_config.json, …).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace alignscope {

/** The JSON object in `file`; an empty object if the file does not exist. Throws ModelError naming the file. */
nlohmann::json readJsonObjectFile(const std::filesystem::path &file);

/** The whole content of a data file. Throws DataError naming the file when it cannot be read. */
std::string readDataFile(const std::string &file);

/** The JSON document in a data file. Throws DataError naming the file (unreadable, not JSON). */
nlohmann::json readJsonDataFile(const std::string &file);

/** The objects of a JSONL file with their line numbers (blank lines skipped). Throws DataError naming the
 *  file and line (unreadable file, invalid JSON, a line that is not an object). */
std::vector<std::pair<std::int64_t, nlohmann::json>> readJsonLines(const std::string &file);

} // namespace alignscope
