// SPDX-License-Identifier: MIT
#include "model/save.h"

#include "alignscope/safetensors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace alignscope {

namespace {

void writeText(const std::filesystem::path &file, const std::string &text)
{
    const std::filesystem::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out)
            throw ModelError(file.string() + ": write failed");
    }
    std::filesystem::rename(tmp, file);
}

} // namespace

void saveModel(const LlamaModel &model, const std::string &dirName, const SaveOptions &o)
{
    namespace fs = std::filesystem;
    const fs::path dir(dirName);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw ModelError(dirName + ": cannot create (" + ec.message() + ")");
    const ModelConfig &c = model.config();
    const char *dtypeName = o.dtype == at::kBFloat16 ? "bfloat16" : o.dtype == at::kHalf ? "float16" : "float32";
    const DType fileType = o.dtype == at::kBFloat16 ? DType::BF16 : o.dtype == at::kHalf ? DType::F16 : DType::F32;
    nlohmann::json cfg = {
        {"architectures", {c.architecture}}, {"model_type", c.architecture == "Qwen2ForCausalLM" ? "qwen2"
                                                            : c.architecture == "MistralForCausalLM" ? "mistral" : "llama"},
        {"hidden_size", c.hiddenSize}, {"intermediate_size", c.intermediateSize}, {"num_hidden_layers", c.numLayers},
        {"num_attention_heads", c.numHeads}, {"num_key_value_heads", c.numKvHeads}, {"head_dim", c.headDim},
        {"vocab_size", c.vocabSize}, {"max_position_embeddings", c.maxPositionEmbeddings},
        {"rms_norm_eps", c.rmsNormEps}, {"rope_theta", c.ropeTheta}, {"tie_word_embeddings", c.tieWordEmbeddings},
        {"attention_bias", c.attentionBias}, {"hidden_act", "silu"}, {"torch_dtype", dtypeName},
        {"bos_token_id", o.bosId}, {"eos_token_id", o.eosId}};
    // a model loaded from a folder keeps that folder's config.json (RoPE scaling, Gemma's and Qwen3's fields), in
    // the dtype written now
    if (!model.info().dir.empty()) {
        std::ifstream in(fs::path(model.info().dir) / "config.json", std::ios::binary);
        nlohmann::json source = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (source.is_object()) {
            source["torch_dtype"] = dtypeName;
            cfg = source;
        }
    }
    nlohmann::json gen = {{"bos_token_id", o.bosId}, {"eos_token_id", o.eosId}};
    if (o.padId >= 0)
        gen["pad_token_id"] = o.padId;

    std::vector<at::Tensor> keep;
    std::vector<TensorBytes> tensors;
    auto add = [&](const std::string &name, const at::Tensor &t) {
        at::Tensor c2 = t.detach().to(at::kCPU).to(o.dtype).contiguous();
        keep.push_back(c2);
        tensors.push_back({name, fileType, std::vector<std::int64_t>(c2.sizes().begin(), c2.sizes().end()),
                           c2.data_ptr(), size_t(c2.nbytes())});
    };
    auto &m = const_cast<LlamaModel &>(model);
    add("model.embed_tokens.weight", m.embedding());
    add("model.norm.weight", m.finalNorm());
    if (!c.tieWordEmbeddings)
        add("lm_head.weight", model.lmHead());
    for (int l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        const LayerWeights &w = model.layer(l);
        add(p + "input_layernorm.weight", w.inputNorm);
        add(p + "post_attention_layernorm.weight", w.postNorm);
        if (w.preFfnNorm.defined())
            add(p + "pre_feedforward_layernorm.weight", w.preFfnNorm);
        if (w.postFfnNorm.defined())
            add(p + "post_feedforward_layernorm.weight", w.postFfnNorm);
        if (w.qNorm.defined())
            add(p + "self_attn.q_norm.weight", w.qNorm);
        if (w.kNorm.defined())
            add(p + "self_attn.k_norm.weight", w.kNorm);
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            add(p + std::string(kMatrixModules[k]) + ".weight", w.w[k]);
            if (w.b[k].defined())
                add(p + std::string(kMatrixModules[k]) + ".bias", w.b[k]);
        }
    }
    writeSafetensors((dir / "model.safetensors").string(), tensors, {{"format", "pt"}});
    writeText(dir / "config.json", cfg.dump(2) + "\n");
    writeText(dir / "generation_config.json", gen.dump(2) + "\n");
}

} // namespace alignscope
