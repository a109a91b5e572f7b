// SPDX-License-Identifier: MIT
// The shape of a Hugging Face Llama-family model, read from its config.json.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace alignscope {

/** A model directory or file that cannot be used; the message names the file and the problem. */
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Architectures the runtime implements (config.json "architectures"[0]). */
const std::vector<std::string> &supportedArchitectures();

struct ModelConfig {
    std::string architecture;  ///< e.g. "LlamaForCausalLM"
    std::string modelType;     ///< e.g. "llama"
    std::int64_t hiddenSize = 0;
    std::int64_t intermediateSize = 0;
    std::int64_t numLayers = 0;
    std::int64_t numHeads = 0;
    std::int64_t numKvHeads = 0;  ///< < numHeads for grouped-query attention
    std::int64_t headDim = 0;     ///< hidden_size / num_attention_heads unless given
    std::int64_t vocabSize = 0;
    std::int64_t maxPositionEmbeddings = 0;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    bool tieWordEmbeddings = false;
    bool attentionBias = false;  ///< q/k/v (and, for Llama's flag, o) carry biases; always true for Qwen2
    std::string torchDtype;      ///< as declared ("bfloat16", "float16", "float32") or empty
    // what Qwen3 and Gemma 2/3 add to the Llama layer
    bool qkNorm = false;             ///< an RMSNorm over each query and key head before RoPE (Qwen3, Gemma 3)
    bool gemma = false;              ///< Gemma: (1 + w) RMSNorms around attention and MLP, embeddings × √hidden
    std::string hiddenAct = "silu";  ///< the MLP's activation: "silu" or "gelu_pytorch_tanh"
    double queryPreAttnScalar = 0;   ///< attention scores × 1/√(this) (0: head_dim)
    double attnLogitSoftcapping = 0;   ///< scores → c·tanh(scores / c) (0: none; Gemma 2)
    double finalLogitSoftcapping = 0;  ///< logits → c·tanh(logits / c) (0: none; Gemma 2)

    /** Shape (d_out, d_in) of matrix m (0..6 in kMatrixNames order) of any layer. */
    std::pair<std::int64_t, std::int64_t> matrixShape(int m) const;
    /** Entries of the 7 × L decoder matrices: the denominator of "actual sparsity". */
    std::int64_t decoderLinearParameters() const;
    /** All parameters: embeddings, decoder layers (with norms and biases), final norm, lm_head unless tied. */
    std::int64_t totalParameters() const;
};

/** A LlamaForCausalLM config built in code (training, benchmarks): head_dim = hidden / heads, eps 1e-5. */
ModelConfig llamaConfig(std::int64_t hidden, std::int64_t intermediate, std::int64_t layers, std::int64_t heads,
                        std::int64_t kvHeads, std::int64_t vocab);

/** Parses `json` as a config.json; `fileName` is only used in error messages. Throws ModelError. */
ModelConfig parseModelConfig(const std::string &json, const std::string &fileName);
/** Reads `modelDir`/config.json. Throws ModelError naming the file and the problem. */
ModelConfig readModelConfig(const std::string &modelDir);

} // namespace alignscope
