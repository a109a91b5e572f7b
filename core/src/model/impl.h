// SPDX-License-Identifier: MIT
// Private: what a public Model holds, for engine code that needs the tensors.
#pragma once
#include "alignscope/model.h"
#include "model/llama.h"

namespace alignscope {

class Model::Impl {
public:
    std::unique_ptr<LlamaModel> llama;
    std::string dtypeName;
    std::string deviceName;
    std::vector<std::int64_t> eos;
    std::int64_t bos = -1;
    std::int64_t pad = 0;
};

at::Device parseDevice(const std::string &name);

} // namespace alignscope
