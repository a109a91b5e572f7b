// SPDX-License-Identifier: MIT
// Private: the one reader of optional JSON side files (generation_config.json, tokenizer_config.json, …).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>

namespace alignscope {

/** The JSON object in `file`; an empty object if the file does not exist. Throws ModelError naming the file. */
nlohmann::json readJsonObjectFile(const std::filesystem::path &file);

} // namespace alignscope
