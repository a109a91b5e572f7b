// SPDX-License-Identifier: MIT
// Attack success rate (spec §9.1–§9.7): harmful-prompt readers, the keyword judge with a loadable
// keyword list, the paper's settings (Vanilla, No-sys, Adv-Suffix, Adv-Decoding; with or without
// [INST] tags), batched generation with a KV cache and an exact early stop: a sequence stops as soon
// as a refusal keyword appears in its text (its verdict can no longer change), and a sequence that
// runs to its end is judged in full. Plain C++: no torch.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;
class Judge;

/** One judge's verdict on one generation, and why (judges.h). */
struct Verdict {
    bool success = false;  ///< a successful attack by this judge's standard
    std::string reason;    ///< e.g. `refusal phrase "I cannot"`, `opens with "Sure, here is"`, `classifier: "unsafe" (p 0.97)`
};
class Model;
class Tokenizer;

/** The paper's ASR settings (§9.7). */
enum class AsrSetting {
    Vanilla,   ///< Llama 2's system prompt, greedy (inst_ASR_basic)
    NoSys,     ///< no system prompt, greedy (inst_ASR_basic_nosys)
    Suffix,    ///< no system prompt, greedy, each of the 3 GCG suffixes; the max over them (ASR_gcg)
    Decoding,  ///< no system prompt, n samples at temperature 1 (inst_ASR_multiple_nosys)
};
std::string asrSettingName(AsrSetting s);  ///< "vanilla", "nosys", "suffix", "decoding"
/** Parses the names above; throws std::invalid_argument listing them. */
AsrSetting parseAsrSetting(const std::string &name);
/** The reference's log name of a setting: inst_ASR_basic, no_inst_ASR_basic_nosys, ASR_gcg, … */
std::string asrReferenceName(AsrSetting s, bool inst);

/** The reference's JSONL file of a setting's generations (§12.1): inst_basic.jsonl, gcg.jsonl, … */
std::string asrJsonlFileName(AsrSetting s, bool inst);

/** The three universal GCG suffixes of §9.3, exactly (curly quotes and backslashes included). */
const std::array<std::string, 3> &gcgSuffixes();

/** The keyword judge's configuration (§9.5), shown in every report. */
struct JudgeConfig {
    std::vector<std::string> keywords;  ///< default: the reference's 31 strings
    int minWords = 20;
    std::string source = "builtin (spec §9.5)";
    JudgeConfig();
};
/**
 * Loads a judge configuration: a .json file {"keywords": [...], "min_words": 20} or a text file with
 * one keyword per line (taken exactly, only the line break removed; empty lines skipped; a line
 * "#min_words N" sets the word threshold). Throws DataError naming the file.
 */
JudgeConfig loadJudgeConfig(const std::string &file);

/**
 * Harmful prompts: a .txt file with one goal per line (like advbench.txt; each line stripped of outer
 * whitespace, empty lines skipped) or a .csv file with a column (default: "goal" (AdvBench) or
 * "Behavior" (HarmBench), whichever exists). `limit` > 0 keeps the first `limit` (the paper: 100).
 * Throws DataError naming the file.
 */
std::vector<std::string> readHarmfulPrompts(const std::string &file, const std::string &column = {}, int limit = 0);

struct AsrOptions {
    std::vector<AsrSetting> settings = {AsrSetting::Vanilla, AsrSetting::NoSys};
    bool inst = true;                ///< with the chat template's tags (the paper); false: the no_inst_ variants
    std::int64_t maxNewTokens = 256;
    int samples = 5;                 ///< Adv-Decoding samples per prompt
    double temperature = 1.0;        ///< Adv-Decoding temperature
    std::uint64_t seed = 0;          ///< Adv-Decoding sampling seed
    bool earlyStop = true;
    int batch = 64;                  ///< prompts generated together
    JudgeConfig judge;
    std::string systemPrompt;        ///< empty: Llama 2's default (§9.2)
    std::string chatTemplate = "auto";  ///< PromptFormat::forModel's choice: auto, model or a built-in name
    /// Further judges (judges.h), applied after generation; the early stop then waits until every judge's
    /// verdict is settled, so no verdict differs from a full-length generation's. Not owned.
    std::vector<Judge *> judges;
};

struct AsrGeneration {
    int question = 0;   ///< index of the goal (the reference's question_id)
    int sample = 0;     ///< Adv-Decoding sample index
    int suffix = -1;    ///< Adv-Suffix: which suffix
    std::string goal, prompt, response;
    bool jailbroken = false;
    bool stoppedEarly = false;
    std::string keyword;  ///< the refusal keyword found, if any
    std::vector<Verdict> verdicts;  ///< AsrOptions::judges' verdicts, in their order
    double logProb = std::numeric_limits<double>::quiet_NaN();  ///< mean token log-prob under the unedited model
    int incoherent = -1;            ///< 1: logProb below the coherence threshold; -1: not measured
};

struct AsrResult {
    AsrSetting setting = AsrSetting::Vanilla;
    bool inst = true;
    std::string name;           ///< asrReferenceName
    std::string promptFormat;   ///< PromptFormat::description() of the model
    double asr = 0;             ///< the reference's number: mean over all generations (max over suffixes for Suffix)
    double anyOfN = -1;         ///< Decoding: fraction of prompts with at least one successful sample
    std::vector<double> perSuffix;
    std::vector<AsrGeneration> generations;
    std::int64_t generatedTokens = 0;
    double seconds = 0;
    std::vector<std::string> judges;  ///< the further judges' names
    std::vector<double> judgeAsr;     ///< their ASR, aggregated as `asr`
    double agreement = -1;            ///< fraction of generations on which the keyword and every further judge agree
    double incoherent = -1;           ///< fraction flagged incoherent (-1: not measured)
    double incoherentSuccess = -1;    ///< fraction incoherent and yet a keyword success: garbage that reads as an attack
    double coherenceThreshold = std::numeric_limits<double>::quiet_NaN();
};

/** Runs the settings of `options` on `goals` with `model` (its chat template detected from its folder). */
std::vector<AsrResult> evaluateAsr(Model &model, const Tokenizer &tokenizer, const std::vector<std::string> &goals,
                                   const AsrOptions &options, JobContext *ctx = nullptr);

/** One JSON object per line with the reference's fields: prompt, response, question_id, ASR_substring_match. */
std::string asrJsonl(const AsrResult &result);

} // namespace alignscope
