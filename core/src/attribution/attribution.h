// SPDX-License-Identifier: MIT
// Private: safety/utility attribution of every decoder matrix (spec §2, §3, §6).
//  - Wanda: |W| · sqrt(mean over examples of the summed squared inputs at the response positions);
//  - SNIP: |W| · Σ_examples |∇_W ℓ_n| (ℓ_n the mean response-token cross-entropy);
//  - ActSVD: the eigen-decomposition of W (XᵀX) Wᵀ (X the inputs at the response positions), i.e. the
//    left singular vectors of W Xᵀ, with XᵀX accumulated in fp32 and no stored X.
// One-shot mode scores every layer on the dense model: SNIP then needs one forward and one backward
// per example for all layers together (chunked by layers only when memory demands it). Sequential
// mode reproduces the reference's prune mode: layer ℓ is scored on a model whose layers < ℓ are
// already modified (per-row pruning at sparsity s for Wanda/SNIP, rank removal for ActSVD).
#pragma once
#include "alignscope/attribution.h"
#include "alignscope/calibration.h"
#include "alignscope/matrices.h"
#include "model/llama.h"

#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace alignscope {

class JobContext;

/** Where results go, layer by layer, as soon as a layer is done. */
class AttributionSink {
public:
    virtual ~AttributionSink() = default;
    /** Takes the score [d_out, d_in] (fp32) of one matrix (Wanda, SNIP); returns what a sequential job prunes by:
     *  the fp32 score (spec §2.3), exactly as storedScore() will give it back to a resumed job. */
    virtual at::Tensor score(int layer, Matrix m, const at::Tensor &score) = 0;
    /** Takes eigenvalues [d_out] (descending, fp64) and eigenvectors [d_out, d_out] (columns, same order)
     *  (ActSVD); returns the eigenvectors as stored. */
    virtual at::Tensor basis(int layer, Matrix m, const at::Tensor &eigenvalues, const at::Tensor &eigenvectors) = 0;
    /** All matrices of `layer` were delivered. */
    virtual void layerDone(int layer) = 0;
    /** For resuming a sequential job: the stored score / basis of a layer already done. */
    virtual at::Tensor storedScore(int layer, Matrix m) = 0;
    virtual at::Tensor storedBasis(int layer, Matrix m) = 0;
};

/**
 * Runs the attribution of `settings` on `model` (left as it was on return, also on error or
 * cancellation). Layers below `firstLayer` are taken as done (resume): in sequential mode their
 * modification is replayed from the sink's stored results.
 */
void runAttribution(LlamaModel &model, const std::vector<CalibrationExample> &examples, const ScoreSettings &settings,
                    AttributionSink &sink, int firstLayer, JobContext *ctx);

/**
 * Spec §7 in the reference's sequential form: for ℓ = 0 … L−1 the safety and utility bases of layer ℓ
 * are computed on the model whose layers < ℓ were modified by W ← W − (I − Π_u) Π_s W (settings.ru,
 * rs, paperRanks), then layer ℓ is modified the same way. Resumes at `firstLayer` by replaying the
 * stored bases. `settings` must be ActSVD, sequential, orthogonal.
 */
void runOrthogonalAttribution(LlamaModel &model, const std::vector<CalibrationExample> &safety,
                              const std::vector<CalibrationExample> &utility, const ScoreSettings &settings,
                              AttributionSink &safetySink, AttributionSink &utilitySink, int firstLayer,
                              JobContext *ctx);

/** The ActSVD modification of spec §6.2 of one matrix from its basis: W − V_r V_rᵀ W (top) or V_{m−r}V_{m−r}ᵀ W. */
at::Tensor actSvdModified(const at::Tensor &weight, const at::Tensor &eigenvectors, std::int64_t rank, bool removeTop);

} // namespace alignscope
