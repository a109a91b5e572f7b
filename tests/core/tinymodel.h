// SPDX-License-Identifier: MIT
// Test fixture: tiny random-weight Llama-family models written in the Hugging Face layout, and an
// independent, deliberately plain reference forward pass (double precision, no cache, loops over
// heads and positions) to check the runtime against.
#pragma once
#include <ATen/ATen.h>

#include <map>
#include <string>
#include <vector>

namespace alignscope::test {

struct TinySpec {
    std::string arch = "LlamaForCausalLM";
    int layers = 2, hidden = 32, inter = 48, heads = 4, kvHeads = 4, vocab = 61;
    bool bias = false;          ///< Llama attention_bias (q, k, v, o); Qwen2 always has q/k/v biases
    bool tied = false;
    at::ScalarType fileDtype = at::kFloat;
    int shards = 1;             ///< > 1 writes model-0000k-of-0000n.safetensors + index
    std::string ropeScaling;    ///< raw JSON for "rope_scaling", or empty
    int slidingWindow = 0;
    double ropeTheta = 10000.0;
    std::uint64_t seed = 1;
    int bosId = 1, eosId = 2;
};

/** Random weights for `spec` (fp32, already rounded to the file dtype), keyed by HF tensor name. */
std::map<std::string, at::Tensor> tinyWeights(const TinySpec &spec);
/** Writes config.json, generation_config.json and the safetensors file(s) of `weights` into `dir`. */
void writeTinyModel(const std::string &dir, const TinySpec &spec, const std::map<std::string, at::Tensor> &weights);
std::string tinyConfigJson(const TinySpec &spec);
/**
 * Writes a byte-level tokenizer.json (ids 0…255 are the bytes, 256 = "<s>", 257 = "</s>", BOS added)
 * and its tokenizer_config.json. The model needs a vocabulary of at least 258.
 */
void writeByteTokenizer(const std::string &dir);

/** Writes `text` to `path` as it is (binary). */
void writeText(const std::string &path, const std::string &text);
/** A calibration file in the paper's CSV format: `rows` rows "[INST] <kind> request i [/INST]" → " <kind> answer 3i". */
std::string calibrationCsv(const char *kind, int rows);

/**
 * Everything a store answers, as one list for bitwise comparisons: every score and basis of every set, and
 * slider-summary cells at a spread of grid points. Throws StoreError as the reads do.
 */
std::vector<double> storeContents(const std::string &path);

/** Reference logits [T, vocab] (double) of one unpadded sequence. */
at::Tensor referenceLogits(const TinySpec &spec, const std::map<std::string, at::Tensor> &weights,
                           const std::vector<std::int64_t> &ids);

} // namespace alignscope::test
