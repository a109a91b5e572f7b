// SPDX-License-Identifier: MIT
#include "model/llama.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope {

namespace {

constexpr float kMasked = -1e30f;  // finite: a fully masked (padding) row gives a harmless uniform softmax

at::Tensor rotateHalf(const at::Tensor &x)
{
    const auto half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

/** Precision of normalisation, softmax and logits: fp32, or fp64 when the model computes in fp64. */
at::ScalarType accumulation(at::ScalarType t) { return t == at::kDouble ? at::kDouble : at::kFloat; }

at::Tensor linear(const at::Tensor &x, const at::Tensor &w, const at::Tensor &b)
{
    return b.defined() ? at::linear(x, w, b) : at::linear(x, w);
}

} // namespace

ExtraConfig readExtraConfig(const std::string &modelDir)
{
    const std::string file = (std::filesystem::path(modelDir) / "config.json").string();
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    ExtraConfig e;
    nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object())
        return e;  // readModelConfig reports malformed files
    if (auto rs = j.find("rope_scaling"); rs != j.end() && rs->is_object()) {
        std::string type = rs->value("rope_type", rs->value("type", std::string("default")));
        auto num = [&](const char *k, double d) {
            auto it = rs->find(k);
            if (it == rs->end() || it->is_null())
                return d;
            if (!it->is_number() || !(it->get<double>() > 0))
                throw ModelError(file + ": rope_scaling." + k + " must be a positive number");
            return it->get<double>();
        };
        e.rope.type = type;
        if (type == "linear") {
            e.rope.factor = num("factor", 1.0);
        } else if (type == "llama3") {
            e.rope.factor = num("factor", 8.0);
            e.rope.lowFreqFactor = num("low_freq_factor", 1.0);
            e.rope.highFreqFactor = num("high_freq_factor", 4.0);
            e.rope.originalMaxPositions = num("original_max_position_embeddings", 8192);
            if (e.rope.highFreqFactor <= e.rope.lowFreqFactor)
                throw ModelError(file + ": rope_scaling.high_freq_factor must exceed low_freq_factor");
        } else if (type != "default") {
            throw ModelError(file + ": unsupported rope_scaling type \"" + type +
                             "\"; supported: default, linear, llama3");
        }
    }
    const bool useSliding = j.value("use_sliding_window", true);
    if (auto sw = j.find("sliding_window"); useSliding && sw != j.end() && sw->is_number_integer())
        e.slidingWindow = std::max<std::int64_t>(0, sw->get<std::int64_t>());
    // Gemma: sliding and global layers alternate
    const auto arch = j.find("architectures");
    const std::string a = arch != j.end() && arch->is_array() && !arch->empty() && (*arch)[0].is_string()
                              ? (*arch)[0].get<std::string>()
                              : "";
    const auto layers = j.find("num_hidden_layers");
    const std::int64_t L = layers != j.end() && layers->is_number_integer() ? layers->get<std::int64_t>() : 0;
    if (auto lt = j.find("layer_types"); lt != j.end() && lt->is_array()) {
        if (std::int64_t(lt->size()) != L)
            throw ModelError(file + ": layer_types has " + std::to_string(lt->size()) + " entries for " +
                             std::to_string(L) + " layers");
        for (const auto &t : *lt) {
            const std::string s = t.is_string() ? t.get<std::string>() : "";
            if (s != "sliding_attention" && s != "full_attention")
                throw ModelError(file + ": layer_types entries must be \"sliding_attention\" or \"full_attention\"");
            e.slidingLayers.push_back(s == "sliding_attention");
        }
    } else if (a == "Gemma2ForCausalLM") {
        for (std::int64_t l = 0; l < L; ++l)
            e.slidingLayers.push_back(l % 2 == 0);
    } else if (a == "Gemma3ForCausalLM") {
        const auto pt = j.find("sliding_window_pattern");
        const std::int64_t pattern = pt != j.end() && pt->is_number_integer() ? pt->get<std::int64_t>() : 6;
        if (pattern <= 0)
            throw ModelError(file + ": sliding_window_pattern must be a positive integer");
        for (std::int64_t l = 0; l < L; ++l)
            e.slidingLayers.push_back((l + 1) % pattern != 0);
    }
    if (!e.slidingLayers.empty() && e.slidingWindow <= 0)
        e.slidingLayers.clear();  // no window: every layer is global
    if (a == "Gemma3ForCausalLM") {
        e.ropeLocalTheta = 10000.0;
        if (auto it = j.find("rope_local_base_freq"); it != j.end() && it->is_number()) {
            if (!(it->get<double>() > 0))
                throw ModelError(file + ": rope_local_base_freq must be positive");
            e.ropeLocalTheta = it->get<double>();
        }
    }
    return e;
}

void KVCache::selectRows(const at::Tensor &rows)
{
    for (auto &t : k)
        t = t.index_select(0, rows);
    for (auto &t : v)
        t = t.index_select(0, rows);
}

std::unique_ptr<LlamaModel> LlamaModel::load(const std::string &dir, const Options &options, bool streamLayers)
{
    ModelConfig config = readModelConfig(dir);
    ExtraConfig extra = readExtraConfig(dir);
    auto ckpt = std::make_shared<Checkpoint>(dir, config);
    auto model = std::make_unique<LlamaModel>(config, extra, options);
    model->m_info = ckpt->info();
    auto get = [&](const std::string &name) { return ckpt->tensor(name, options.dtype, options.device); };
    model->m_embed = get("model.embed_tokens.weight");
    model->m_finalNorm = get("model.norm.weight");
    if (!config.tieWordEmbeddings)
        model->m_lmHead = get("lm_head.weight");
    model->m_checkpoint = ckpt;
    if (streamLayers)
        return model;  // layers come in with loadLayer()
    for (int l = 0; l < int(config.numLayers); ++l)
        model->loadLayer(l);
    model->m_checkpoint.reset();
    return model;
}

void LlamaModel::loadLayer(int l)
{
    if (!m_checkpoint || m_layers[size_t(l)].w[0].defined())
        return;
    const Checkpoint &ckpt = *m_checkpoint;
    auto get = [&](const std::string &name) { return ckpt.tensor(name, m_options.dtype, m_options.device); };
    const std::string p = "model.layers." + std::to_string(l) + ".";
    LayerWeights &lw = m_layers[size_t(l)];
    lw.inputNorm = get(p + "input_layernorm.weight");
    lw.postNorm = get(p + "post_attention_layernorm.weight");
    if (m_config.gemma) {
        lw.preFfnNorm = get(p + "pre_feedforward_layernorm.weight");
        lw.postFfnNorm = get(p + "post_feedforward_layernorm.weight");
    }
    if (m_config.qkNorm) {
        lw.qNorm = get(p + "self_attn.q_norm.weight");
        lw.kNorm = get(p + "self_attn.k_norm.weight");
    }
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const std::string mod(kMatrixModules[m]);
        lw.w[m] = get(p + mod + ".weight");
        if (ckpt.has(p + mod + ".bias"))
            lw.b[m] = get(p + mod + ".bias");
    }
}

void LlamaModel::releaseLayer(int l)
{
    if (m_checkpoint)
        m_layers[size_t(l)] = LayerWeights{};
}

LlamaModel::LlamaModel(ModelConfig config, ExtraConfig extra, Options options)
    : m_config(std::move(config)), m_extra(std::move(extra)), m_options(options), m_layers(size_t(m_config.numLayers))
{
    // inverse frequencies as Hugging Face computes them (fp32), then the configured scaling
    const std::int64_t d = m_config.headDim;
    std::vector<float> inv(size_t(d / 2));
    const RopeScaling &rs = m_extra.rope;
    for (std::int64_t i = 0; i < d / 2; ++i) {
        const float exponent = float(2 * i) / float(d);
        float f = 1.0f / std::pow(float(m_config.ropeTheta), exponent);
        if (rs.type == "linear") {
            f = float(f / rs.factor);
        } else if (rs.type == "llama3") {
            const double lowWavelen = rs.originalMaxPositions / rs.lowFreqFactor;
            const double highWavelen = rs.originalMaxPositions / rs.highFreqFactor;
            const double wavelen = 2.0 * M_PI / f;
            if (wavelen > lowWavelen) {
                f = float(f / rs.factor);
            } else if (wavelen >= highWavelen) {
                const double smooth = (rs.originalMaxPositions / wavelen - rs.lowFreqFactor) /
                                      (rs.highFreqFactor - rs.lowFreqFactor);
                f = float((1.0 - smooth) * f / rs.factor + smooth * f);
            }
        }
        inv[size_t(i)] = f;
    }
    m_invFreq = at::tensor(inv, at::kFloat).to(m_options.device);
    if (m_extra.ropeLocalTheta > 0 && !m_extra.slidingLayers.empty()) {
        for (std::int64_t i = 0; i < d / 2; ++i)
            inv[size_t(i)] = 1.0f / std::pow(float(m_extra.ropeLocalTheta), float(2 * i) / float(d));
        m_invFreqLocal = at::tensor(inv, at::kFloat).to(m_options.device);
    }
    if (!m_extra.slidingLayers.empty() && std::int64_t(m_extra.slidingLayers.size()) != m_config.numLayers)
        throw ModelError("the sliding-window layer pattern has " + std::to_string(m_extra.slidingLayers.size()) +
                         " entries for " + std::to_string(m_config.numLayers) + " layers");
}

KVCache LlamaModel::makeCache(std::int64_t batch, std::int64_t capacity) const
{
    KVCache c;
    c.capacity = capacity;
    const auto opts = at::TensorOptions().dtype(m_options.dtype).device(m_options.device);
    for (std::int64_t l = 0; l < m_config.numLayers; ++l) {
        c.k.push_back(at::zeros({batch, m_config.numKvHeads, capacity, m_config.headDim}, opts));
        c.v.push_back(at::zeros({batch, m_config.numKvHeads, capacity, m_config.headDim}, opts));
    }
    return c;
}

std::pair<at::Tensor, at::Tensor> LlamaModel::rope(const at::Tensor &positions, bool local) const
{
    const at::Tensor &inv = local && m_invFreqLocal.defined() ? m_invFreqLocal : m_invFreq;
    const at::Tensor angles = positions.to(at::kFloat).unsqueeze(-1) * inv;  // [B, T, d/2], fp32 as in HF
    const at::Tensor emb = at::cat({angles, angles}, -1);
    return {emb.cos(), emb.sin()};
}

at::Tensor LlamaModel::rmsNorm(const at::Tensor &x, const at::Tensor &w) const
{
    const at::Tensor xf = x.to(accumulation(x.scalar_type()));
    const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + m_config.rmsNormEps);
    if (m_config.gemma)  // Gemma scales by (1 + w) in fp32, then casts
        return (normed * (w.to(normed.scalar_type()) + 1.0)).to(x.scalar_type());
    return w * normed.to(x.scalar_type());
}

at::Tensor LlamaModel::forward(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyMask,
                               KVCache *cache, const LinearInputHook *hook, bool lastPositionOnly) const
{
    at::Tensor h = hidden(ids, positions, keyMask, cache, hook);
    if (lastPositionOnly)
        h = h.narrow(1, h.size(1) - 1, 1);
    return logits(h);
}

at::Tensor LlamaModel::logits(const at::Tensor &hiddenStates) const
{
    at::Tensor out = at::linear(hiddenStates, lmHead()).to(accumulation(m_options.dtype));
    if (m_config.finalLogitSoftcapping > 0)
        out = at::tanh(out / m_config.finalLogitSoftcapping) * m_config.finalLogitSoftcapping;
    return out;
}

LlamaModel::LayerContext LlamaModel::layerContext(std::int64_t B, std::int64_t T, const at::Tensor &positions,
                                                 const at::Tensor &keyMask, const KVCache *cache) const
{
    LayerContext c;
    c.B = B;
    c.T = T;
    c.past = cache ? cache->length : 0;
    c.S = c.past + T;
    if (cache && c.S > cache->capacity)
        throw std::length_error("[LlamaModel::forward] KV cache capacity " + std::to_string(cache->capacity) +
                                " exceeded");
    const auto dev = m_options.device;
    // additive mask [B, 1, 1, T, S] (the extra 1 is the query-group axis of grouped-query attention)
    const at::Tensor qPos = at::arange(c.past, c.S, at::TensorOptions().dtype(at::kLong).device(dev)).unsqueeze(1);
    const at::Tensor kPos = at::arange(0, c.S, at::TensorOptions().dtype(at::kLong).device(dev)).unsqueeze(0);
    const at::Tensor causal = kPos <= qPos;  // [T, S]
    const at::Tensor window = (qPos - kPos) < m_extra.slidingWindow;
    auto additive = [&](at::Tensor allowed) {
        allowed = allowed.unsqueeze(0).expand({B, T, c.S});
        if (keyMask.defined())
            allowed = allowed & keyMask.to(dev).to(at::kBool).unsqueeze(1);
        return at::zeros({B, T, c.S}, at::TensorOptions().dtype(accumulation(m_options.dtype)).device(dev))
            .masked_fill(allowed.logical_not(), kMasked)
            .view({B, 1, 1, T, c.S});
    };
    const bool pattern = !m_extra.slidingLayers.empty();  // Gemma: some layers slide, others are global
    c.mask = additive(m_extra.slidingWindow > 0 && !pattern ? causal & window : causal);
    if (pattern)
        c.maskLocal = additive(causal & window);
    auto [cosF, sinF] = rope(positions.to(dev));
    c.cos = cosF.to(m_options.dtype).unsqueeze(1);  // [B, 1, T, hd]
    c.sin = sinF.to(m_options.dtype).unsqueeze(1);
    if (m_invFreqLocal.defined()) {
        auto [cosL, sinL] = rope(positions.to(dev), true);
        c.cosLocal = cosL.to(m_options.dtype).unsqueeze(1);
        c.sinLocal = sinL.to(m_options.dtype).unsqueeze(1);
    }
    return c;
}

at::Tensor LlamaModel::embed(const at::Tensor &ids) const
{
    const at::Tensor x = at::embedding(m_embed, ids.to(m_options.device));
    if (!m_config.gemma)
        return x;
    // Gemma: × √hidden, the factor rounded to the compute dtype as Hugging Face does
    return x * at::scalar_tensor(std::sqrt(double(m_config.hiddenSize)), x.options());
}

at::Tensor LlamaModel::layerForward(int l, const at::Tensor &xIn, const LayerContext &c, KVCache *cache,
                                    const LinearInputHook *hook) const
{
    const std::int64_t B = c.B, T = c.T, past = c.past, S = c.S;
    const std::int64_t nH = m_config.numHeads, nKV = m_config.numKvHeads, hd = m_config.headDim;
    const std::int64_t group = nH / nKV;
    const at::ScalarType acc = accumulation(m_options.dtype);
    const double scale = 1.0 / std::sqrt(m_config.queryPreAttnScalar > 0 ? m_config.queryPreAttnScalar : double(hd));
    const LayerWeights &w = m_layers[size_t(l)];
    const bool local = slidingLayer(l);
    const at::Tensor &mask = local ? c.maskLocal : c.mask;
    const at::Tensor &cos = local && c.cosLocal.defined() ? c.cosLocal : c.cos;
    const at::Tensor &sin = local && c.sinLocal.defined() ? c.sinLocal : c.sin;
    at::Tensor x = xIn;
    at::Tensor h = rmsNorm(x, w.inputNorm);
    if (hook) {
        (*hook)(l, Matrix::Q, h);
        (*hook)(l, Matrix::K, h);
        (*hook)(l, Matrix::V, h);
    }
    at::Tensor q = linear(h, w.w[0], w.b[0]).view({B, T, nH, hd});
    at::Tensor k = linear(h, w.w[1], w.b[1]).view({B, T, nKV, hd});
    if (m_config.qkNorm) {  // per head, before RoPE
        q = rmsNorm(q, w.qNorm);
        k = rmsNorm(k, w.kNorm);
    }
    q = q.transpose(1, 2);
    k = k.transpose(1, 2);
    at::Tensor v = linear(h, w.w[2], w.b[2]).view({B, T, nKV, hd}).transpose(1, 2);
    q = q * cos + rotateHalf(q) * sin;
    k = k * cos + rotateHalf(k) * sin;
    at::Tensor K = k, V = v;
    if (cache) {
        cache->k[size_t(l)].narrow(2, past, T).copy_(k);
        cache->v[size_t(l)].narrow(2, past, T).copy_(v);
        K = cache->k[size_t(l)].narrow(2, 0, S);
        V = cache->v[size_t(l)].narrow(2, 0, S);
    }
    // grouped-query attention without copying K/V: query head h uses key/value head h / group
    const at::Tensor qg = q.reshape({B, nKV, group, T, hd});
    at::Tensor scores = (at::matmul(qg, K.unsqueeze(2).transpose(-1, -2)) * scale).to(acc);  // [B, nKV, group, T, S]
    if (m_config.attnLogitSoftcapping > 0)
        scores = at::tanh(scores / m_config.attnLogitSoftcapping) * m_config.attnLogitSoftcapping;
    const at::Tensor probs = at::softmax(scores + mask, -1).to(m_options.dtype);
    const at::Tensor attn =
        at::matmul(probs, V.unsqueeze(2)).reshape({B, nH, T, hd}).transpose(1, 2).reshape({B, T, nH * hd});
    if (hook)
        (*hook)(l, Matrix::O, attn);
    const at::Tensor attnOut = linear(attn, w.w[3], w.b[3]);
    x = x + (m_config.gemma ? rmsNorm(attnOut, w.postNorm) : attnOut);

    const at::Tensor h2 = rmsNorm(x, m_config.gemma ? w.preFfnNorm : w.postNorm);
    if (hook) {
        (*hook)(l, Matrix::Gate, h2);
        (*hook)(l, Matrix::Up, h2);
    }
    const at::Tensor gate = linear(h2, w.w[4], w.b[4]);
    const at::Tensor act = m_config.hiddenAct == "silu" ? at::silu(gate) : at::gelu(gate, "tanh");
    const at::Tensor a = act * linear(h2, w.w[5], w.b[5]);
    if (hook)
        (*hook)(l, Matrix::Down, a);
    const at::Tensor mlpOut = linear(a, w.w[6], w.b[6]);
    return x + (m_config.gemma ? rmsNorm(mlpOut, w.postFfnNorm) : mlpOut);
}

at::Tensor LlamaModel::outputNorm(const at::Tensor &x) const { return rmsNorm(x, m_finalNorm); }

at::Tensor LlamaModel::hidden(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyMask,
                              KVCache *cache, const LinearInputHook *hook) const
{
    const LayerContext c = layerContext(ids.size(0), ids.size(1), positions, keyMask, cache);
    at::Tensor x = embed(ids);
    for (int l = 0; l < int(m_config.numLayers); ++l)
        x = layerForward(l, x, c, cache, hook);
    if (cache)
        cache->length = c.S;
    return outputNorm(x);
}

} // namespace alignscope
