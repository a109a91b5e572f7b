// SPDX-License-Identifier: MIT
// The fine-tuning attack with "frozen" safety-critical weights (spec §10): fine-tune the model on n
// harmful demonstrations (the pure_bad attack of Qi et al. 2023) and measure the ASR afterwards,
// with the weights a selection marks as safety-critical (a) truly frozen during training (their
// gradients masked, their values held) or (b) rewound to their original values after an unfrozen
// fine-tune, as the reference's rewind_ft_model.py does. Plain C++: no torch.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/asr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;

struct HarmfulDemo {
    std::string prompt, response;
};

/**
 * Harmful demonstrations: JSONL with {"messages": [{"role": "user", …}, {"role": "assistant", …}]}
 * (the pure_bad files; a "system" message is ignored: the template decides), or a calibration file
 * (the paper's CSV, alpaca or prompt/response JSONL; a prompt already in [INST] tags is unwrapped).
 * `limit` > 0 keeps the first `limit`. Throws DataError naming the file and line.
 */
std::vector<HarmfulDemo> readHarmfulDemos(const std::string &file, int limit = 0);

/** The pure_bad system prompt of the reference's templates (spec §9.2). */
const std::string &pureBadSystemPrompt();

struct FinetuneOptions {
    int epochs = 5;          ///< Qi et al.'s pure_bad recipe: 5 epochs, lr 5e-5, batch 10, AdamW
    double lr = 5e-5;        ///< constant learning rate
    int batch = 10;
    double weightDecay = 0;
    double clipNorm = 1.0;
    std::uint64_t seed = 0;  ///< shuffling of the demonstrations per epoch
    std::string system = "pure_bad";  ///< system prompt of the training data: pure_bad, base (Llama 2's) or none
};

/** How the safety-critical entries are treated. */
enum class FreezeMode { None, Frozen, Rewind };
std::string freezeModeName(FreezeMode m);  ///< "none", "frozen", "rewind"

struct FinetuneAttackSpec {
    std::string demos;                    ///< harmful demonstrations (readHarmfulDemos)
    std::vector<int> ns = {10, 50, 100};  ///< the first n demonstrations
    /// What is frozen: a mask-type selection (set difference or per-row pruning, usually top-down); the
    /// fractions below replace its q (set difference) or its sparsity (pruning). Empty fractions: only
    /// the unfrozen fine-tune.
    SelectionSpec selection;
    std::vector<double> fractions;
    std::vector<FreezeMode> modes = {FreezeMode::Frozen, FreezeMode::Rewind};
    FinetuneOptions train;
    std::string prompts, column;  ///< harmful prompts of the ASR (readHarmfulPrompts)
    int limit = 100;
    AsrOptions asr;               ///< default: Vanilla only (inst_ASR_basic), as the reference's §10 evaluation
    FinetuneAttackSpec() { asr.settings = {AsrSetting::Vanilla}; }
};

struct FinetuneAttackRow {
    int n = 0;                  ///< demonstrations; 0 = the model before fine-tuning
    FreezeMode mode = FreezeMode::None;
    double fraction = 0;        ///< the selection's q or sparsity (0 when nothing is frozen)
    double frozenFraction = 0;  ///< entries frozen / all decoder-matrix entries
    std::vector<double> asr;    ///< per spec.asr.settings
    double finalLoss = -1;      ///< mean response loss of the last training step
    double seconds = 0;         ///< training time (a rewind row shares its unfrozen run's)
};

struct FinetuneAttackResult {
    std::vector<FinetuneAttackRow> rows;  ///< the original model first, then per n: none, then each fraction × mode
    std::vector<std::string> settings;    ///< names of the ASR columns
    double seconds = 0;
};

/**
 * Runs the attack on the model in `modelDir` with the selection's sets from `storePath` (unused when
 * `fractions` is empty). The model is restored between runs; nothing is written to disk.
 */
FinetuneAttackResult runFinetuneAttack(const std::string &modelDir, const std::string &storePath,
                                       const FinetuneAttackSpec &spec, JobContext *ctx = nullptr);

} // namespace alignscope
