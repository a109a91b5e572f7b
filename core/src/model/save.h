// SPDX-License-Identifier: MIT
// Private: writes a LlamaModel as a Hugging Face folder (config.json, generation_config.json,
// model.safetensors) that AlignScope and other tools load.
#pragma once
#include "model/llama.h"

#include <string>

namespace alignscope {

struct SaveOptions {
    at::ScalarType dtype = at::kFloat;  ///< stored dtype (float32, bfloat16 or float16)
    std::int64_t bosId = 1, eosId = 2, padId = -1;
};

/** Writes `model` into `dir` (created if needed); files are written atomically. Throws ModelError. */
void saveModel(const LlamaModel &model, const std::string &dir, const SaveOptions &options = {});

} // namespace alignscope
