// SPDX-License-Identifier: MIT
#include "model/checkpoint.h"

#include "alignscope/matrices.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

std::string shapeText(const std::vector<std::int64_t> &s)
{
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

bool ignorable(const std::string &name)
{
    // buffers some exporters save; recomputed from config.json here
    return name.size() > 21 && name.compare(name.size() - 21, 21, "rotary_emb.inv_freq") == 0;
}

} // namespace

at::ScalarType toScalarType(DType t)
{
    switch (t) {
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    case DType::F64: return at::kDouble;
    case DType::I64: return at::kLong;
    case DType::I32: return at::kInt;
    case DType::I16: return at::kShort;
    case DType::I8: return at::kChar;
    case DType::U8: return at::kByte;
    case DType::Bool: return at::kBool;
    }
    return at::kFloat;
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig &c)
{
    std::vector<ExpectedTensor> t;
    const std::int64_t H = c.hiddenSize;
    t.push_back({"model.embed_tokens.weight", {c.vocabSize, H}});
    const bool qwen = c.architecture == "Qwen2ForCausalLM";
    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({p + "input_layernorm.weight", {H}});
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const auto [o, i] = c.matrixShape(m);
            const std::string mod(kMatrixModules[m]);
            t.push_back({p + mod + ".weight", {o, i}});
            const bool qkv = m <= int(Matrix::V);
            if (c.attentionBias && (qkv || (m == int(Matrix::O) && !qwen)))
                t.push_back({p + mod + ".bias", {o}});
        }
        t.push_back({p + "post_attention_layernorm.weight", {H}});
        if (c.gemma) {
            t.push_back({p + "pre_feedforward_layernorm.weight", {H}});
            t.push_back({p + "post_feedforward_layernorm.weight", {H}});
        }
        if (c.qkNorm) {
            t.push_back({p + "self_attn.q_norm.weight", {c.headDim}});
            t.push_back({p + "self_attn.k_norm.weight", {c.headDim}});
        }
    }
    t.push_back({"model.norm.weight", {H}});
    // with tied embeddings some exporters still write lm_head.weight (a copy); accept it
    t.push_back({"lm_head.weight", {c.vocabSize, H}, c.tieWordEmbeddings});
    return t;
}

Checkpoint::Checkpoint(const std::string &dirName, const ModelConfig &config)
{
    const fs::path dir(dirName);
    m_info.dir = fs::absolute(dir).string();
    m_info.config = config;
    const fs::path single = dir / "model.safetensors";
    const fs::path index = dir / "model.safetensors.index.json";

    std::map<std::string, std::string> shardOf;  // tensor → file name, when sharded
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::exists(index, ec)) {
        std::ifstream in(index);
        std::stringstream ss;
        ss << in.rdbuf();
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(ss.str());
        } catch (const nlohmann::json::exception &e) {
            throw ModelError(index.string() + ": malformed JSON (" + e.what() + ")");
        }
        if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
            throw ModelError(index.string() + ": missing \"weight_map\" (tensor name → shard file)");
        std::set<std::string> seen;
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            if (!it.value().is_string())
                throw ModelError(index.string() + ": weight_map entry of '" + it.key() + "' is not a file name");
            const std::string f = it.value().get<std::string>();
            if (f.empty() || f.find('/') != std::string::npos || f.find('\\') != std::string::npos || f == "." ||
                f == "..")
                throw ModelError(index.string() + ": shard name '" + f + "' must be a plain file name in the folder");
            shardOf[it.key()] = f;
            if (seen.insert(f).second)
                files.push_back(f);
        }
        std::sort(files.begin(), files.end());
    } else if (fs::exists(single, ec)) {
        files.push_back("model.safetensors");
    } else {
        std::string hint;
        if (fs::exists(dir / "pytorch_model.bin", ec) || fs::exists(dir / "pytorch_model.bin.index.json", ec))
            hint = " (pytorch_model.bin is not supported: convert it to safetensors)";
        throw ModelError(m_info.dir + ": no model.safetensors or model.safetensors.index.json" + hint);
    }

    std::vector<std::shared_ptr<SafetensorsFile>> opened;
    for (const std::string &f : files) {
        opened.push_back(std::make_shared<SafetensorsFile>((dir / f).string()));
        m_info.weightFiles.push_back(fs::absolute(dir / f).string());
        m_info.weightBytes += opened.back()->size();
    }

    // where every tensor lives; a tensor in two files is ambiguous
    std::map<std::string, std::string> firstSeen;
    for (size_t i = 0; i < opened.size(); ++i) {
        for (const TensorInfo &t : opened[i]->header().tensors) {
            if (m_where.count(t.name))
                throw ModelError(opened[i]->path() + ": tensor '" + t.name + "' is also in " + firstSeen[t.name]);
            m_where[t.name] = {opened[i], &t};
            firstSeen[t.name] = opened[i]->path();
        }
    }
    for (const auto &[name, file] : shardOf) {
        auto it = m_where.find(name);
        if (it == m_where.end() || fs::path(it->second.file->path()).filename() != file)
            throw ModelError((dir / file).string() + ": tensor '" + name +
                             "' listed in model.safetensors.index.json is not in this file");
    }

    std::set<std::string> expectedNames;
    std::set<DType> dtypes;
    for (const ExpectedTensor &e : expectedTensors(config)) {
        expectedNames.insert(e.name);
        auto it = m_where.find(e.name);
        if (it == m_where.end()) {
            if (e.optional)
                continue;
            throw ModelError(m_info.dir + ": missing tensor '" + e.name + "' (required by config.json for a " +
                             config.architecture + ")");
        }
        const TensorInfo &t = *it->second.info;
        if (t.shape != e.shape)
            throw ModelError(it->second.file->path() + ": tensor '" + e.name + "' has shape " + shapeText(t.shape) +
                             ", but config.json implies " + shapeText(e.shape));
        if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
            throw ModelError(it->second.file->path() + ": tensor '" + e.name + "' has dtype " + dtypeName(t.dtype) +
                             "; weights must be F32, F16 or BF16");
        dtypes.insert(t.dtype);
        m_info.storedParameters += t.numel();
    }
    for (const auto &[name, loc] : m_where)
        if (!expectedNames.count(name) && !ignorable(name))
            throw ModelError(loc.file->path() + ": unexpected tensor '" + name + "' (not part of a " +
                             config.architecture + " with this config.json)");
    m_info.storedDtype = dtypes.size() == 1 ? dtypeName(*dtypes.begin()) : "mixed";
}

at::Tensor Checkpoint::tensor(const std::string &name, at::ScalarType dtype, const at::Device &device) const
{
    auto it = m_where.find(name);
    if (it == m_where.end())
        throw ModelError(m_info.dir + ": missing tensor '" + name + "'");
    const Location &loc = it->second;
    const at::ScalarType stored = toScalarType(loc.info->dtype);
    std::uint8_t *data = loc.file->data(*loc.info);
    auto keepAlive = loc.file;
    at::Tensor mapped = at::from_blob(
        data, loc.info->shape, [keepAlive](void *) {}, at::TensorOptions().dtype(stored));
    const bool aligned = reinterpret_cast<std::uintptr_t>(data) % dtypeSize(loc.info->dtype) == 0;
    if (stored == dtype && device.is_cpu() && aligned)
        return mapped;  // shares the copy-on-write mapping
    if (!aligned)
        mapped = mapped.clone();  // unaligned data: copy once before converting
    return mapped.to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
}

ModelInfo inspectModel(const std::string &dir)
{
    const ModelConfig config = readModelConfig(dir);
    return Checkpoint(dir, config).info();
}

} // namespace alignscope
