// SPDX-License-Identifier: MIT
// Private: the Llama-family forward pass (Llama 2/3, Mistral, Qwen2/3, Gemma 2/3) on ATen.
// RMSNorm, RoPE (default, linear and llama3 scaling), grouped-query attention with optional
// q/k/v(/o) biases, SwiGLU MLP, tied or separate lm_head, a preallocated KV cache, and a hook
// on the input of each of the 7 linear matrices per layer. Qwen3 adds per-head q/k RMSNorm; Gemma
// adds (1 + w) RMSNorms before and after attention and MLP, embeddings scaled by √hidden, GeGLU,
// query_pre_attn_scalar, logit soft-capping and layers alternating sliding-window and global
// attention (Gemma 3: with their own RoPE base and q/k norms).
#pragma once
#include "alignscope/matrices.h"
#include "alignscope/model_config.h"
#include "model/checkpoint.h"

#include <ATen/ATen.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

struct RopeScaling {
    std::string type = "default";  ///< "default", "linear", "llama3"
    double factor = 1.0;
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    double originalMaxPositions = 8192;
};

/** Reads rope_scaling and sliding_window from config.json (fields ModelConfig does not carry). */
struct ExtraConfig {
    RopeScaling rope;
    std::int64_t slidingWindow = 0;  ///< 0 = none
    /** Which layers use the sliding window (Gemma's pattern); empty: all of them when slidingWindow > 0. */
    std::vector<bool> slidingLayers;
    double ropeLocalTheta = 0;       ///< RoPE base of the sliding layers (Gemma 3); 0: the global one
};
ExtraConfig readExtraConfig(const std::string &modelDir);

/** Keys and values of every layer for a batch, preallocated to `capacity` positions. */
struct KVCache {
    std::vector<at::Tensor> k, v;  ///< per layer [B, nKV, capacity, headDim]
    std::int64_t length = 0;       ///< positions filled
    std::int64_t capacity = 0;
    /** Keeps only the batch rows `rows` (a 1-D long tensor), e.g. after sequences finished. */
    void selectRows(const at::Tensor &rows);
};

/** Called with the input of linear `matrix` of `layer`, shape [B, T, d_in]. */
using LinearInputHook = std::function<void(int layer, Matrix matrix, const at::Tensor &input)>;

struct LayerWeights {
    at::Tensor inputNorm, postNorm;
    at::Tensor preFfnNorm, postFfnNorm;  ///< Gemma (postNorm then follows attention)
    at::Tensor qNorm, kNorm;             ///< Qwen3, Gemma 3: [headDim]
    at::Tensor w[kMatricesPerLayer];
    at::Tensor b[kMatricesPerLayer];  ///< undefined where the architecture has no bias
};

class LlamaModel {
public:
    struct Options {
        at::ScalarType dtype = at::kFloat;   ///< compute dtype
        at::Device device = at::kCPU;
    };

    /**
     * Loads and validates a model folder. Throws ModelError. With `streamLayers` only the embedding, the
     * final norm and lm_head are loaded: a decoder layer's weights come from the (memory-mapped) safetensors
     * files with loadLayer() and go with releaseLayer(), so that a layer-major job (Wanda, ActSVD) holds one
     * layer in the compute dtype at a time — a model larger than memory can still be scored.
     */
    static std::unique_ptr<LlamaModel> load(const std::string &dir, const Options &options, bool streamLayers = false);
    /** Whether the layers are streamed (loadLayer/releaseLayer do something). */
    bool streamsLayers() const { return m_checkpoint != nullptr; }
    /** Streaming: brings layer l's weights in (no-op when it is in, or when not streaming). */
    void loadLayer(int l);
    /** Streaming: drops layer l's weights (no-op when not streaming). */
    void releaseLayer(int l);

    LlamaModel(ModelConfig config, ExtraConfig extra, Options options);

    /**
     * Logits [B, T, vocab] (fp32; fp64 for an fp64 model) for `ids` [B, T] at `positions` [B, T].
     * `keyMask` [B, S] (bool, S = cache length after this call, or T without cache) marks valid keys;
     * undefined means all valid. Attention is causal within the new tokens. With a cache, the new
     * keys/values are written at cache->length … length+T-1. `lastPositionOnly` computes logits for
     * the last position only ([B, 1, vocab]): what generation needs, without a [B, T, vocab] buffer.
     */
    at::Tensor forward(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyMask = {},
                       KVCache *cache = nullptr, const LinearInputHook *hook = nullptr,
                       bool lastPositionOnly = false) const;

    /** The final-normed hidden states [B, T, hidden] (the input of lm_head); arguments as forward(). */
    at::Tensor hidden(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyMask = {},
                      KVCache *cache = nullptr, const LinearInputHook *hook = nullptr) const;
    /** Logits (fp32, or fp64 for an fp64 model) of hidden states from hidden(). */
    at::Tensor logits(const at::Tensor &hiddenStates) const;

    // hidden() one layer at a time, for layer-sequential attribution (spec §2.1):
    //   c = layerContext(...); x = embed(ids); x = layerForward(l, x, c) for each l; outputNorm(x).
    /** The attention mask and RoPE tables shared by every layer of one call. */
    struct LayerContext {
        at::Tensor mask, cos, sin;
        at::Tensor maskLocal, cosLocal, sinLocal;  ///< sliding-window layers, where they differ
        std::int64_t B = 0, T = 0, past = 0, S = 0;
    };
    LayerContext layerContext(std::int64_t batch, std::int64_t tokens, const at::Tensor &positions,
                              const at::Tensor &keyMask = {}, const KVCache *cache = nullptr) const;
    at::Tensor embed(const at::Tensor &ids) const;
    /** Decoder layer `l` on its input `x` [B, T, hidden]; writes the cache's layer l (its length is not advanced). */
    at::Tensor layerForward(int l, const at::Tensor &x, const LayerContext &c, KVCache *cache = nullptr,
                            const LinearInputHook *hook = nullptr) const;
    /** The final RMSNorm (what hidden() returns after the last layer). */
    at::Tensor outputNorm(const at::Tensor &x) const;

    /** An empty cache for `batch` sequences of up to `capacity` positions. */
    KVCache makeCache(std::int64_t batch, std::int64_t capacity) const;

    const ModelConfig &config() const { return m_config; }
    const Options &options() const { return m_options; }
    LayerWeights &layer(int l) { return m_layers[size_t(l)]; }
    const LayerWeights &layer(int l) const { return m_layers[size_t(l)]; }
    at::Tensor &embedding() { return m_embed; }
    at::Tensor &finalNorm() { return m_finalNorm; }
    /** Sets the lm_head weight of an untied model (benchmarks build models in memory). */
    void setLmHead(at::Tensor w) { m_lmHead = std::move(w); }
    /** The untied lm_head weight itself (training). */
    at::Tensor &lmHeadRef() { return m_lmHead; }
    /** lm_head weight (the embedding when tied). */
    const at::Tensor &lmHead() const { return m_lmHead.defined() ? m_lmHead : m_embed; }
    const ModelInfo &info() const { return m_info; }

    /** cos/sin tables [B, T, headDim] for positions [B, T] (fp32). */
    std::pair<at::Tensor, at::Tensor> rope(const at::Tensor &positions, bool local = false) const;

private:
    at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &w) const;
    bool slidingLayer(int l) const { return !m_extra.slidingLayers.empty() && m_extra.slidingLayers[size_t(l)]; }

    ModelConfig m_config;
    ExtraConfig m_extra;
    Options m_options;
    ModelInfo m_info;
    at::Tensor m_embed, m_finalNorm, m_lmHead;
    at::Tensor m_invFreq;  ///< [headDim/2] fp32, scaling applied
    at::Tensor m_invFreqLocal;  ///< the sliding layers' (Gemma 3), unscaled; undefined if the same
    std::vector<LayerWeights> m_layers;
    std::shared_ptr<const Checkpoint> m_checkpoint;  ///< kept while streaming layers
};

} // namespace alignscope
