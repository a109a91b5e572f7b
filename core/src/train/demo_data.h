// SPDX-License-Identifier: MIT
// Private: the training stream of the demo models.
#pragma once
#include "alignscope/demo_corpus.h"
#include "alignscope/tokenizer.h"
#include "train/trainer.h"

#include <functional>

namespace alignscope {

/**
 * Training sequences of `stage`, drawn from `mixture`, in the Llama 2 chat format, response-only loss,
 * EOS at the end. Whole batches of `batch` consecutive draws either carry Llama 2's system prompt
 * (probability `systemFraction`) or not: it is ~100 tokens, and mixing would pad every short example.
 */
std::function<TrainSequence(std::mt19937_64 &)> demoSampler(const demo::Corpus &corpus, const Tokenizer &tok,
                                                            demo::Stage stage, const demo::Mixture &mixture,
                                                            double systemFraction, std::int64_t batch);

} // namespace alignscope
