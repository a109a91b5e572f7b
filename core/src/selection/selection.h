// SPDX-License-Identifier: MIT
// Private: turning scores into sets of weight entries (spec §4, §5, §8) and rank bases into
// projections (§6, §7). Every function works on one matrix; the deterministic tie rule everywhere is
// "score descending, then flat (row-major) index ascending" for a top set, and the reference's stable
// ascending sort (ties by increasing column) for per-row pruning.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/attribution.h"

#include <ATen/ATen.h>

#include <cstdint>

namespace alignscope {

/** ⌊fraction · n⌋ with the reference's rounding (int(n * fraction) in double precision). */
std::int64_t fractionCount(double fraction, std::int64_t n);

/** Flat indices of the ⌊fraction·numel⌋ highest-scoring entries of the whole matrix (tie rule above), ascending. */
at::Tensor topFlat(const at::Tensor &score, double fraction);
/** The same per row: in each row the ⌊fraction·d_in⌋ highest entries (ties: lower column first). */
at::Tensor topPerRow(const at::Tensor &score, double fraction);

/**
 * Per-row pruning of spec §4.1 at sparsity s: in every row the k = ⌊d_in·s⌋ lowest entries
 * (bottom-up, the default) or, with `topDown`, the k highest, by a stable ascending sort of S or −S.
 * Returns flat indices, ascending.
 */
at::Tensor rowPruneIndices(const at::Tensor &score, double sparsity, bool topDown);

/** Set difference of spec §5: TopQ(safety) \ TopP(utility), as flat indices (ascending). */
at::Tensor setDifference(const at::Tensor &safety, const at::Tensor &utility, double p, double q, Granularity g);

/** |A ∩ B| and |A ∪ B| of the top-p sets of two scores (spec §8); Jaccard = inter / union (0 if empty). */
struct Overlap {
    std::int64_t intersection = 0, unionSize = 0;
    double jaccard() const { return unionSize ? double(intersection) / double(unionSize) : 0.0; }
};
Overlap topOverlap(const at::Tensor &a, const at::Tensor &b, double p, Granularity g);

/** Subspace similarity ‖U_sᵀU_u‖²_F / min(r_s, r_u) of the first r_s / r_u columns of two orthonormal bases (§8). */
double subspaceSimilarity(const at::Tensor &basisS, std::int64_t rS, const at::Tensor &basisU, std::int64_t rU);

/**
 * ΔW of the orthogonal projection of spec §7: (I − Π_u) Π_s W, with Π_u / Π_s the projections on the
 * first d_u / d_s columns of the utility / safety bases (d_out × ≥d columns, orthonormal). With the
 * reference code's meaning (`paperNaming` false) d_u = m − r_u and d_s = m − r_s, m = min(d_out, d_in);
 * with the paper's, d_u = r_u and d_s = r_s. The edited weight is W − ΔW.
 */
at::Tensor orthogonalProjectionDelta(const at::Tensor &weight, const at::Tensor &utilityBasis,
                                     const at::Tensor &safetyBasis, std::int64_t ru, std::int64_t rs, bool paperNaming);
/** The subspace dimensions (d_u, d_s) that orthogonalProjectionDelta uses; throws on ranks outside [0, m]. */
std::pair<std::int64_t, std::int64_t> orthogonalDimensions(std::int64_t dOut, std::int64_t dIn, std::int64_t ru,
                                                           std::int64_t rs, bool paperNaming);
/** Numerical rank: singular values above max(rows, cols) · eps · max(σ_max, scale), in fp64. Pass the norm of
 *  the matrix that `m` was derived from as `scale`, so that round-off of an exact zero is not counted, and the
 *  machine epsilon of the least precise input as `eps` (fp32 bases: 1.19e-7). */
std::int64_t numericalRank(const at::Tensor &m, double scale = 0.0, double eps = 2.220446049250313e-16);

} // namespace alignscope
