// SPDX-License-Identifier: MIT
#include "alignscope/model_config.h"

#include "alignscope/matrices.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string> &supportedArchitectures()
{
    static const std::vector<std::string> archs = {"LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM",
                                                   "Qwen3ForCausalLM", "Gemma2ForCausalLM", "Gemma3ForCausalLM"};
    return archs;
}

namespace {

[[noreturn]] void fail(const std::string &file, const std::string &problem)
{
    throw ModelError(file + ": " + problem);
}

std::int64_t positiveInt(const json &j, const char *key, const std::string &file, bool required = true,
                         std::int64_t fallback = 0)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            fail(file, std::string("missing required key \"") + key + "\"");
        return fallback;
    }
    if (!it->is_number_integer() && !it->is_number_unsigned())
        fail(file, std::string("\"") + key + "\" must be an integer, got " + it->dump());
    const auto v = it->get<std::int64_t>();
    if (v <= 0)
        fail(file, std::string("\"") + key + "\" must be positive, got " + std::to_string(v));
    return v;
}

double positiveNumber(const json &j, const char *key, double fallback, const std::string &file)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_number())
        fail(file, std::string("\"") + key + "\" must be a number, got " + it->dump());
    const double v = it->get<double>();
    if (!(v > 0))
        fail(file, std::string("\"") + key + "\" must be positive, got " + it->dump());
    return v;
}

bool boolean(const json &j, const char *key, bool fallback, const std::string &file)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        fail(file, std::string("\"") + key + "\" must be true or false, got " + it->dump());
    return it->get<bool>();
}

} // namespace

ModelConfig parseModelConfig(const std::string &text, const std::string &file)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception &e) {
        fail(file, std::string("malformed JSON (") + e.what() + ")");
    }
    if (!j.is_object())
        fail(file, "expected a JSON object at the top level");

    ModelConfig c;
    auto arch = j.find("architectures");
    if (arch == j.end() || !arch->is_array() || arch->empty() || !(*arch)[0].is_string())
        fail(file, "missing \"architectures\" (a list naming the model class, e.g. [\"LlamaForCausalLM\"])");
    c.architecture = (*arch)[0].get<std::string>();
    const auto &supported = supportedArchitectures();
    if (std::find(supported.begin(), supported.end(), c.architecture) == supported.end()) {
        std::string list;
        for (const auto &s : supported)
            list += (list.empty() ? "" : ", ") + s;
        fail(file, "unsupported architecture \"" + c.architecture + "\"; supported: " + list);
    }
    if (auto mt = j.find("model_type"); mt != j.end() && mt->is_string())
        c.modelType = mt->get<std::string>();

    c.hiddenSize = positiveInt(j, "hidden_size", file);
    c.intermediateSize = positiveInt(j, "intermediate_size", file);
    c.numLayers = positiveInt(j, "num_hidden_layers", file);
    c.numHeads = positiveInt(j, "num_attention_heads", file);
    c.numKvHeads = positiveInt(j, "num_key_value_heads", file, false, c.numHeads);
    c.vocabSize = positiveInt(j, "vocab_size", file);
    c.maxPositionEmbeddings = positiveInt(j, "max_position_embeddings", file, false, 2048);
    c.headDim = positiveInt(j, "head_dim", file, false, 0);
    if (c.headDim == 0) {
        if (c.hiddenSize % c.numHeads != 0)
            fail(file, "hidden_size " + std::to_string(c.hiddenSize) + " is not divisible by num_attention_heads " +
                           std::to_string(c.numHeads));
        c.headDim = c.hiddenSize / c.numHeads;
    }
    if (c.numHeads % c.numKvHeads != 0)
        fail(file, "num_attention_heads " + std::to_string(c.numHeads) + " is not a multiple of num_key_value_heads " +
                       std::to_string(c.numKvHeads));
    c.rmsNormEps = positiveNumber(j, "rms_norm_eps", 1e-6, file);
    c.ropeTheta = positiveNumber(j, "rope_theta", 10000.0, file);
    const bool gemma = c.architecture == "Gemma2ForCausalLM" || c.architecture == "Gemma3ForCausalLM";
    c.tieWordEmbeddings = boolean(j, "tie_word_embeddings", gemma, file);  // Gemma ties by default
    c.attentionBias = c.architecture == "Qwen2ForCausalLM" || boolean(j, "attention_bias", false, file);
    c.qkNorm = c.architecture == "Qwen3ForCausalLM" || c.architecture == "Gemma3ForCausalLM";
    c.gemma = gemma;
    auto optionalNumber = [&](const char *key) {  // absent or null: 0 (none)
        auto it = j.find(key);
        return it == j.end() || it->is_null() ? 0.0 : positiveNumber(j, key, 0.0, file);
    };
    if (gemma) {
        c.queryPreAttnScalar = optionalNumber("query_pre_attn_scalar");
        c.attnLogitSoftcapping = optionalNumber("attn_logit_softcapping");
        c.finalLogitSoftcapping = optionalNumber("final_logit_softcapping");
        c.hiddenAct = "gelu_pytorch_tanh";
    }
    for (const char *key : {"hidden_activation", "hidden_act"})
        if (auto it = j.find(key); it != j.end() && it->is_string()) {
            c.hiddenAct = it->get<std::string>();
            break;
        }
    if (c.hiddenAct == "gelu_tanh")
        c.hiddenAct = "gelu_pytorch_tanh";
    if (c.hiddenAct != "silu" && c.hiddenAct != "gelu_pytorch_tanh")
        fail(file, "unsupported MLP activation \"" + c.hiddenAct + "\"; supported: silu, gelu_pytorch_tanh");
    if (auto dt = j.find("torch_dtype"); dt != j.end() && dt->is_string())
        c.torchDtype = dt->get<std::string>();
    return c;
}

ModelConfig llamaConfig(std::int64_t hidden, std::int64_t intermediate, std::int64_t layers, std::int64_t heads,
                        std::int64_t kvHeads, std::int64_t vocab)
{
    ModelConfig c;
    c.architecture = "LlamaForCausalLM";
    c.modelType = "llama";
    c.hiddenSize = hidden;
    c.intermediateSize = intermediate;
    c.numLayers = layers;
    c.numHeads = heads;
    c.numKvHeads = kvHeads;
    c.headDim = hidden / heads;
    c.vocabSize = vocab;
    c.maxPositionEmbeddings = 512;
    c.rmsNormEps = 1e-5;
    c.ropeTheta = 10000.0;
    return c;
}

ModelConfig readModelConfig(const std::string &modelDir)
{
    const fs::path dir(modelDir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw ModelError(modelDir + ": not a directory (a model is a Hugging Face folder with config.json)");
    const fs::path file = dir / "config.json";
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ModelError(file.string() + ": cannot open (is this a Hugging Face model folder?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (ss.str().size() > (16u << 20))
        throw ModelError(file.string() + ": larger than 16 MiB; not a model config");
    return parseModelConfig(ss.str(), file.string());
}

std::pair<std::int64_t, std::int64_t> ModelConfig::matrixShape(int m) const
{
    const std::int64_t q = numHeads * headDim, kv = numKvHeads * headDim;
    switch (static_cast<Matrix>(m)) {
    case Matrix::Q: return {q, hiddenSize};
    case Matrix::K: return {kv, hiddenSize};
    case Matrix::V: return {kv, hiddenSize};
    case Matrix::O: return {hiddenSize, q};
    case Matrix::Gate: return {intermediateSize, hiddenSize};
    case Matrix::Up: return {intermediateSize, hiddenSize};
    case Matrix::Down: return {hiddenSize, intermediateSize};
    }
    throw std::out_of_range("[ModelConfig::matrixShape] matrix index out of range");
}

std::int64_t ModelConfig::decoderLinearParameters() const
{
    std::int64_t perLayer = 0;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const auto [o, i] = matrixShape(m);
        perLayer += o * i;
    }
    return perLayer * numLayers;
}

std::int64_t ModelConfig::totalParameters() const
{
    const std::int64_t q = numHeads * headDim, kv = numKvHeads * headDim;
    std::int64_t perLayerExtra = (gemma ? 4 : 2) * hiddenSize;  // RMSNorm weights
    if (qkNorm)
        perLayerExtra += 2 * headDim;
    if (attentionBias)
        perLayerExtra += q + 2 * kv + (architecture == "Qwen2ForCausalLM" ? 0 : hiddenSize);
    const std::int64_t embed = vocabSize * hiddenSize;
    return decoderLinearParameters() + perLayerExtra * numLayers + embed + hiddenSize +
           (tieWordEmbeddings ? 0 : embed);
}

} // namespace alignscope
