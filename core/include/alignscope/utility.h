// SPDX-License-Identifier: MIT
// Utility of a (possibly edited) model (spec §9.8–§9.9): zero-shot multiple-choice accuracy by
// log-likelihood, as lm-eval 0.3.0 computes it for the paper (context and continuation encoded
// separately, no BOS, an empty context replaced by the end-of-text token; acc = argmax of the summed
// log-probabilities, acc_norm = of the sums divided by the choice's length in bytes), and perplexity
// over a text file in non-overlapping windows. Plain C++: no torch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;
class Model;
class Tokenizer;

struct McDoc {
    std::string task;  ///< the "task" field, else the file's stem
    std::string context;
    std::vector<std::string> choices;
    int gold = 0;
    /** Partial scoring (winogrande): one context per choice, all scored on the same continuation choices[0]. */
    std::vector<std::string> contexts;
};

/**
 * Multiple-choice tasks in the generic JSONL format: one object per line with "context", "choices"
 * (at least 2 strings), "gold" (index), optional "task". `limitPerTask` > 0 keeps N documents of each
 * task by lm-eval 0.3.0's rule (the paper's limit=200): the task's documents shuffled with Python's
 * random.Random(42), then the first N. Throws DataError naming the file and line.
 */
std::vector<McDoc> readMultipleChoice(const std::string &file, int limitPerTask = 0);

/**
 * A task file in its dataset's own JSONL format, turned into documents with lm-eval 0.3.0's templates
 * (spec §9.8): "boolq" (passage, question, label), "rte" (sentence1/premise, sentence2/hypothesis,
 * label 0 = entailment), "arc_easy"/"arc_challenge" (question, choices{text,label}, answerKey),
 * "openbookqa" (question_stem, choices{text,label}, answerKey), "hellaswag" (activity_label, ctx_a,
 * ctx_b, endings, label; lm-eval's preprocessing), "winogrande" (sentence with "_", option1,
 * option2, answer "1"/"2"; partial scoring: the sentence up to "_" with each option as the contexts,
 * the rest as the shared continuation). "generic" is readMultipleChoice's format. The limit follows
 * the same Random(42) rule. Throws DataError naming the file and line, or std::invalid_argument for
 * an unknown task.
 */
std::vector<McDoc> readTaskFile(const std::string &task, const std::string &file, int limit = 0);

/** A task given on a command line or in a sweep: "TASK:FILE", or "FILE" for the generic format. */
struct TaskSpec {
    std::string task, file;
};
TaskSpec parseTaskSpec(const std::string &spec);

struct McTaskResult {
    std::string task;
    int docs = 0;
    double acc = 0, accNorm = 0;
};

struct UtilityResult {
    std::vector<McTaskResult> tasks;
    double average = 0;  ///< unweighted mean of the tasks' acc (the paper's utility)
    double seconds = 0;
};

UtilityResult evaluateMultipleChoice(Model &model, const Tokenizer &tokenizer, const std::vector<McDoc> &docs,
                                     JobContext *ctx = nullptr);

struct PerplexityResult {
    double perplexity = 0;
    std::int64_t windows = 0, tokens = 0, window = 0;
    double seconds = 0;
};

/**
 * Perplexity of a text file (spec §9.9): tokenized once with one BOS, cut into ⌊tokens/window⌋
 * non-overlapping windows (the tail is dropped), exp of the mean over windows of each window's mean
 * next-token cross-entropy. Throws DataError when the file has fewer tokens than one window.
 */
PerplexityResult evaluatePerplexity(Model &model, const Tokenizer &tokenizer, const std::string &textFile,
                                    std::int64_t window, JobContext *ctx = nullptr);

} // namespace alignscope
