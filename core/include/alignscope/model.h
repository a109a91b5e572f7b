// SPDX-License-Identifier: MIT
// A Hugging Face model folder as a whole: config.json plus safetensors weights (one file or
// shards with model.safetensors.index.json), checked against each other without reading weights.
#pragma once
#include "alignscope/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

struct ModelInfo {
    std::string dir;
    ModelConfig config;
    std::vector<std::string> weightFiles;  ///< absolute paths, in shard order
    std::uint64_t weightBytes = 0;         ///< size of the weight files
    std::int64_t storedParameters = 0;     ///< elements of the tensors the model uses
    std::string storedDtype;               ///< "F32", "BF16", "F16", or "mixed"
};

/**
 * Reads config.json and every safetensors header and checks them against each other: every tensor
 * the architecture needs is present with the shape config.json implies, nothing unexpected is there.
 * No weight data is read. Throws ModelError naming the file and the problem.
 */
ModelInfo inspectModel(const std::string &dir);

} // namespace alignscope
