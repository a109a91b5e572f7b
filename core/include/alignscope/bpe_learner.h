// SPDX-License-Identifier: MIT
// A byte-pair-encoding learner for AlignScope's own tokenizers (the demo model's): it writes a
// Hugging Face tokenizer.json in the SentencePiece style of Llama 2 / Mistral (Metaspace pre-tokenizer,
// "▁" for spaces, byte fallback), which Tokenizer and other tools load like any model's.
#pragma once
#include <string>
#include <vector>

namespace alignscope {

struct BpeLearnOptions {
    int vocabSize = 1024;  ///< total, including <unk>, <s>, </s> and the 256 byte tokens
    int minFrequency = 2;  ///< a pair must occur this often to be merged
    /** Never merge a digit with anything (SentencePiece's split_digits, as in Llama 2): every number
     *  becomes "▁" and one token per digit, so arithmetic is learnt digit by digit. */
    bool splitDigits = true;
};

/**
 * Learns merges on `texts` (each one a unit, as a segment of a prompt) and returns the content of
 * tokenizer.json. Deterministic: ties go to the lexicographically smallest pair. Ids: 0 <unk>,
 * 1 <s>, 2 </s>, 3…258 the bytes <0x00>…<0xFF>, then the characters seen, then one per merge.
 */
std::string learnBpeTokenizer(const std::vector<std::string> &texts, const BpeLearnOptions &options = {});

/** tokenizer_config.json for a learned tokenizer (BOS added, Llama-2 chat template marker). */
std::string learnedTokenizerConfig();

} // namespace alignscope
