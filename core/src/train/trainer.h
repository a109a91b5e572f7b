// SPDX-License-Identifier: MIT
// Private: a small causal-LM trainer on LlamaModel — AdamW (decoupled weight decay on matrices
// only), linear warm-up then cosine decay to a floor, global gradient-norm clipping, response-only
// loss — and the initialisation of a fresh model.
#pragma once
#include "alignscope/jobs.h"
#include "model/llama.h"

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace alignscope {

/** One training sequence: ids, and the first position whose token is a target (the response start). */
struct TrainSequence {
    std::vector<std::int64_t> ids;
    std::int64_t firstTarget = 1;  ///< tokens ids[firstTarget…] are predicted (from the position before each)
};

struct TrainOptions {
    std::int64_t steps = 1000;
    std::int64_t batch = 32;
    double peakLr = 2e-3;
    std::int64_t warmup = 100;
    double minLrFraction = 0.1;  ///< cosine decays to peakLr × this
    double weightDecay = 0.1;
    double beta1 = 0.9, beta2 = 0.95, eps = 1e-8;
    double clipNorm = 1.0;
    std::uint64_t seed = 0;
};

struct TrainStats {
    std::vector<double> loss;  ///< mean response-token loss per step
    double seconds = 0;
};

/** Every trained weight of `model`: embeddings, norms, lm_head (unless tied), the 7·L matrices and their biases. */
std::vector<at::Tensor *> parameters(LlamaModel &model);

/** The learning rate of step `step` (0-based). */
double learningRate(const TrainOptions &o, std::int64_t step);

/** Fills every weight of `model` with a fresh initialisation: N(0, 0.02) matrices and embeddings, unit norms. */
void initialiseWeights(LlamaModel &model, std::uint64_t seed);

/** Entries kept fixed during training: a bool mask (true = frozen) per decoder matrix [layer * 7 + matrix]. */
struct FrozenEntries {
    std::vector<at::Tensor> masks;  ///< undefined entries: nothing frozen in that matrix
};

/**
 * Trains `model` in place on batches drawn from `sample`. Every weight is trained, except the entries
 * of `frozen`: their gradients are zeroed before clipping and the optimizer step (as if they had no
 * gradient), and their values are restored after each step, so that not even weight decay moves
 * them. Reports progress ("training", step/steps) and honours cancellation between steps.
 */
TrainStats train(LlamaModel &model, const std::function<TrainSequence(std::mt19937_64 &)> &sample,
                 const TrainOptions &options, JobContext *ctx = nullptr, const FrozenEntries *frozen = nullptr);

/** Mean response-token loss of `batch` sequences (no gradients). */
double evaluateLoss(const LlamaModel &model, const std::vector<TrainSequence> &batch);

} // namespace alignscope
