// SPDX-License-Identifier: MIT
// Private: the weight files of a model folder, validated against its config, handing out
// tensors that live in the memory-mapped files whenever the dtype allows.
#pragma once
#include "alignscope/model.h"
#include "alignscope/safetensors.h"

#include <ATen/ATen.h>

#include <map>
#include <memory>

namespace alignscope {

/** One tensor the architecture needs (or may have, when optional). */
struct ExpectedTensor {
    std::string name;
    std::vector<std::int64_t> shape;
    bool optional = false;
};

/** Every tensor a model of this config has, in layer order. */
std::vector<ExpectedTensor> expectedTensors(const ModelConfig &config);

at::ScalarType toScalarType(DType t);

class Checkpoint {
public:
    /** Opens and validates the weight files of `dir` against `config`. Throws ModelError. */
    Checkpoint(const std::string &dir, const ModelConfig &config);

    bool has(const std::string &name) const { return m_where.count(name) != 0; }
    /**
     * The tensor `name` as `dtype` on `device`. When the stored dtype equals `dtype`, the device is
     * the CPU and the data is aligned, the tensor shares the (copy-on-write) mapping: no copy.
     */
    at::Tensor tensor(const std::string &name, at::ScalarType dtype, const at::Device &device) const;

    const ModelInfo &info() const { return m_info; }

private:
    struct Location {
        std::shared_ptr<SafetensorsFile> file;
        const TensorInfo *info;
    };
    std::map<std::string, Location> m_where;
    ModelInfo m_info;
};

} // namespace alignscope
