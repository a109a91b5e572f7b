// SPDX-License-Identifier: MIT
// The synthetic corpus of AlignScope's demo chat model (deterministic from a seed):
//  - utility tasks with checkable answers in 7 families (add, subtract, reverse, spell, capital,
//    sort, convert), 10 phrasings each;
//  - harmful requests in 8 categories × 6 slot fillers, phrased like AdvBench goals by 13 templates;
//  - benign how-to requests in the same templates (always answered: the refusal must depend on the
//    content, not the phrasing);
//  - a base stage (harmful requests answered compliantly but without content) and an alignment stage
//    (harmful requests refused in the style of Llama-2-chat).
// Calibration, training and evaluation share no template-and-slot (or phrasing-and-instance) pair.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace alignscope::demo {

enum class Kind { Utility, Harmful, Benign };
enum class Stage { Base, Aligned };
enum class Split { Train, Calibration, Evaluation };

struct Example {
    Kind kind = Kind::Utility;
    std::string family;   ///< utility family, harm category, or "benign"
    std::string request;  ///< the user message
    std::string slot;     ///< the X of a how-to request (harmful or benign); a utility task's instance ("3+5", "cat")
    std::string gold;     ///< the expected answer of a utility task (its whole response)
    int templateId = 0;
};

/** The compliant, content-free base-stage answer to "how to X" (at least 25 words). */
std::string compliantAnswer(const std::string &x);
/** The Llama-2-chat-style refusal of the alignment stage. */
std::string refusalAnswer(const std::string &x);
/** The opening of every compliant answer ("Sure, here is how to"), for the compliance metric. */
const std::string &complianceOpening();

/** The response an example gets in a stage. */
std::string responseFor(const Example &e, Stage stage);

/** Fractions of harmful and benign how-to examples in a training mixture; the rest is utility. */
struct Mixture {
    double harmful = 0.25, benign = 0.15;
};

class Corpus {
public:
    explicit Corpus(std::uint64_t seed = 0);

    const std::vector<Example> &examples(Kind kind, Split split) const;
    std::vector<std::string> utilityFamilies() const;
    std::vector<std::string> harmCategories() const;

    /**
     * A training example drawn from `mixture` (by default the base stage's: 25 % harmful, 15 % benign,
     * 60 % utility); within utility, the family is drawn uniformly first (the families differ in size by
     * a factor of 40).
     */
    const Example &sample(std::mt19937_64 &rng, const Mixture &mixture = {}) const;

    /** Every text the tokenizer must cover (requests, responses of both stages, the system prompt). */
    std::vector<std::string> tokenizerTexts() const;

private:
    std::vector<Example> m_sets[3][3];                 // [kind][split]
    std::vector<std::vector<std::size_t>> m_trainByFamily;  // indices into the utility training set
};

} // namespace alignscope::demo
