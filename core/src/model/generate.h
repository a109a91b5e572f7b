// SPDX-License-Identifier: MIT
// Private: batched generation with left padding, a KV cache, greedy or sampled decoding, and a
// per-sequence early stop; finished sequences leave the batch at once.
#pragma once
#include "alignscope/jobs.h"
#include "model/llama.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace alignscope {

struct SamplingSettings {
    std::int64_t maxNewTokens = 256;
    double temperature = 0.0;  ///< 0 = greedy
    double topP = 1.0;         ///< nucleus sampling threshold (1 = off)
    std::int64_t topK = 0;     ///< 0 = off
    std::uint64_t seed = 0;
};

struct GenerateRequest {
    std::vector<std::vector<std::int64_t>> prompts;  ///< token ids, each non-empty (BOS included by the caller)
    std::vector<std::int64_t> eosIds;                ///< generation of a sequence ends after any of these
    std::int64_t padId = 0;                          ///< only fills padding; never attended to
    SamplingSettings sampling;
    /** Called after every new token; return true to end that sequence now (its outcome is decided). */
    std::function<bool(std::size_t index, const std::vector<std::int64_t> &generated)> stopEarly;
};

struct GenerateResult {
    std::vector<std::vector<std::int64_t>> tokens;  ///< new tokens per prompt (a final EOS included, as in HF)
    std::vector<bool> hitEos;
    std::vector<bool> stoppedEarly;
    std::int64_t steps = 0;          ///< decode steps run
    std::int64_t tokensComputed = 0; ///< rows × steps actually computed (after compaction)
};

GenerateResult generate(const LlamaModel &model, const GenerateRequest &request, JobContext *ctx = nullptr);

} // namespace alignscope
