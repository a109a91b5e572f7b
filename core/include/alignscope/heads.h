// SPDX-License-Identifier: MIT
// Attention heads (spec §11, §4.6): the reference's probing-result JSON ({"layer-L-head-H": accuracy}),
// the probing itself (a linear harmful-vs-harmless classifier on every head's output, after Li et al.
// 2023 as the paper's Appendix B.4 describes it), and the choice of heads for the head-ablation
// experiment. The ablation is ModelEdit::ablateHeads. Plain C++: no torch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;
class Model;
class Tokenizer;

/** Validation accuracies of one linear probe per attention head. */
struct HeadProbing {
    int layers = 0, heads = 0;
    std::vector<double> accuracy;  ///< [layer * heads + head]
    std::string source;            ///< the file read, or how it was computed
    double at(int layer, int head) const { return accuracy[size_t(layer * heads + head)]; }
};

/**
 * Reads a probing JSON in the reference's format: an object {"layer-{l}-head-{h}": accuracy, …} with
 * every (l, h) of a layers × heads grid exactly once, accuracies in [0, 1]. Throws DataError naming the
 * file and the problem (not JSON, a key of another form, a missing or repeated head, a value that is not
 * a number in [0, 1]).
 */
HeadProbing readProbingJson(const std::string &file);
/** The same format, keys in layer-major, head-minor order (as the reference's files). */
std::string probingJson(const HeadProbing &probing);

struct ProbeOptions {
    int perClass = 420;           ///< prompts per class (the paper: 420 harmful, 420 harmless); fewer if the files have fewer
    double trainFraction = 5.0 / 7.0;  ///< the paper's 5:2 split (600 train, 240 validation)
    std::uint64_t seed = 0;       ///< which prompts, and the split (numpy's permutation)
    int iterations = 300;         ///< full-batch gradient steps of the logistic regression
    double l2 = 1e-3;             ///< weight decay of the logistic regression
    bool inst = true;             ///< prompts in the model's chat template (no system prompt)
};

/**
 * Probes every attention head: each prompt (harmful: label 1, harmless: 0) is run through the model and
 * the head's output at the last prompt token (its slice of o_proj's input, as Li et al. take it) is
 * kept; per head a logistic regression on standardised features is trained on the train split and its
 * accuracy on the validation split reported. Deterministic for a seed. Throws std::invalid_argument when
 * a class has fewer than 4 prompts.
 */
HeadProbing probeHeads(Model &model, const Tokenizer &tokenizer, const std::vector<std::string> &harmful,
                       const std::vector<std::string> &harmless, const ProbeOptions &options = {},
                       JobContext *ctx = nullptr);

/**
 * Instructions from a prompt file: a .txt file (one per line), a .csv file with a "goal", "Behavior",
 * "instruction" or "prompt" column, or a calibration file (.json/.jsonl, alpaca or prompt/response).
 * A prompt wrapped in "[INST] … [/INST]" (the paper's CSVs) is unwrapped. Throws DataError naming the file.
 */
std::vector<std::string> readInstructions(const std::string &file);

struct HeadRef {
    int layer = 0, head = 0;
    bool operator==(const HeadRef &o) const { return layer == o.layer && head == o.head; }
};

/** Which heads the ablation takes (spec §4.6). */
enum class HeadPool {
    Top,         ///< the k heads of highest accuracy (ties: layer-major order), deterministic
    Paper7B,     ///< the reference for 7B: if k ≤ c (heads at accuracy 1), k drawn from the first 132 in accuracy order
    AllPerfect,  ///< the reference for 13B: if k ≤ c, k drawn from all c heads at accuracy 1
};
/** "top", "paper-7b", "all-perfect"; parse throws std::invalid_argument listing them. */
std::string headPoolName(HeadPool pool);
HeadPool parseHeadPool(const std::string &name);

/**
 * The heads to ablate, in descending accuracy (ties in layer-major order). The reference draws with
 * Python's unseeded random.sample; here the draw is seeded (a uniform sample without replacement).
 * With k > c both reference rules take the top k. Throws std::invalid_argument for k outside
 * [0, layers·heads] and, as the reference, for Paper7B with 132 < k ≤ c.
 */
std::vector<HeadRef> chooseAblationHeads(const HeadProbing &probing, int k, HeadPool pool = HeadPool::Top,
                                         std::uint64_t seed = 0);

/** How a head is ablated (ModelEdit::ablateHeads). */
enum class HeadAblation {
    Reference,  ///< the reference code: columns [d·h, d·h+d) of W_q, W_k, W_v and rows of W_o (residual channels; spec §4.6)
    Output,     ///< the head's own contribution: columns [d·h, d·h+d) of W_o (the head's slice of o_proj's input)
};
std::string headAblationName(HeadAblation a);  ///< "reference", "output"
HeadAblation parseHeadAblation(const std::string &name);

} // namespace alignscope
