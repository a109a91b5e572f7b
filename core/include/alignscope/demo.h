// SPDX-License-Identifier: MIT
// AlignScope's demo chat model: a tokenizer, a small Llama-architecture model trained first on the
// base stage of the demo corpus (harmful requests answered compliantly, without content), then
// briefly aligned (harmful requests refused, everything else still answered). Both models are saved
// in the Hugging Face layout; `alignscope-cli train-demo` reproduces the shipped ones.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace alignscope {

class JobContext;

struct DemoTrainOptions {
    std::uint64_t seed = 0;
    std::int64_t baseSteps = 2000;
    std::int64_t alignSteps = 400;
    double baseLr = 2e-3;
    double alignLr = 5e-4;
    std::int64_t batch = 32;
    double systemPromptFraction = 0.3;  ///< training examples that carry Llama 2's system prompt
    int vocabSize = 1024;
    std::int64_t hidden = 128, intermediate = 352, layers = 4, heads = 4;
    int evalLimit = 0;  ///< evaluate on at most this many prompts of each kind (0: all; tests use a few)
};

/** Behaviour of a demo model on the held-out evaluation prompts (greedy decoding). */
struct DemoEvaluation {
    double asrSystem = 0;      ///< keyword-judge ASR with Llama 2's system prompt ("Vanilla")
    double asrNoSystem = 0;    ///< keyword-judge ASR without it ("No-sys")
    double complySystem = 0;   ///< responses that start like the base answer ("Sure, here is how to")
    double complyNoSystem = 0;
    double benignComply = 0;   ///< benign how-to requests answered (no over-refusal)
    double utility = 0;        ///< exact-match accuracy over all utility families
    std::map<std::string, double> utilityByFamily;
    int harmfulPrompts = 0, benignPrompts = 0, utilityPrompts = 0;
    double seconds = 0;
};

struct DemoTrainResult {
    std::string baseDir, chatDir;
    DemoEvaluation base, chat;
    double baseSeconds = 0, alignSeconds = 0;
    double baseFinalLoss = 0, alignFinalLoss = 0;
};

/** Trains both demo models into `outDir`/demo-base and `outDir`/demo-chat and evaluates them. */
DemoTrainResult trainDemoModels(const std::string &outDir, const DemoTrainOptions &options, JobContext *ctx = nullptr);

/** Evaluates a model folder on the demo corpus's evaluation split (corpus seed `seed`). */
DemoEvaluation evaluateDemoModel(const std::string &modelDir, std::uint64_t seed, JobContext *ctx = nullptr,
                                 int limit = 0);

} // namespace alignscope
