// SPDX-License-Identifier: MIT
// Questions answered from a store: how much a selection removes (spec §4.7: per matrix, per layer,
// in total) and how much safety and utility overlap (spec §8: Jaccard index of the top sets,
// subspace similarity of the rank bases, MLP vs attention). Plain C++: no torch.
#pragma once
#include "alignscope/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

enum class SelectionKind {
    SetDifference,  ///< TopQ(safety) \ TopP(utility) (spec §5)
    RowPrune,       ///< per-row removal of the lowest (or, top-down, the highest) scores at sparsity s (§4.1)
    ActSvd,         ///< removal of the top r ranks, or keeping the top m − r (§6.2)
    Orthogonal,     ///< W − (I − Π_u) Π_s W (§7)
};

struct SelectionSpec {
    SelectionKind kind = SelectionKind::SetDifference;
    std::string safety, utility;  ///< score sets (set difference)
    double p = 0.5, q = 0.5;
    Granularity granularity = Granularity::WholeMatrix;
    std::string scores;           ///< score set (row prune)
    double sparsity = 0;
    bool topDown = false;
    std::string basis;            ///< basis set (ActSVD)
    std::int64_t rank = 0;
    bool removeTop = true;
    std::string safetyBasis, utilityBasis;  ///< basis sets (orthogonal projection)
    std::int64_t ru = 0, rs = 0;
    bool paperNaming = false;     ///< r_u, r_s are the subspace dimensions (the paper), not m − dimension (the code)
    /// ≥ 0 (set difference, row pruning): the matched random control instead of the selection — in every matrix
    /// as many entries as the selection removes, drawn uniformly at random (seeded by this, the layer and the
    /// matrix). The paper's claim needs it: the same count of random weights must leave safety intact.
    std::int64_t randomSeed = -1;
};

struct SelectionReport {
    int layers = 0;
    bool ranks = false;          ///< counts are ranks (ActSVD, orthogonal), not weight entries
    bool fromSummaries = false;  ///< answered from the slider summaries (p and q on the grid)
    std::vector<std::int64_t> removed;   ///< [layer * 7 + matrix]
    std::vector<std::int64_t> capacity;  ///< entries of the matrix, or its full rank m = min(d_out, d_in)
    std::vector<std::int64_t> bound;     ///< orthogonal: the §7 bound min(d_out − d_u, d_s); else empty
    std::int64_t removedTotal = 0, capacityTotal = 0;
    double fraction() const { return capacityTotal ? double(removedTotal) / double(capacityTotal) : 0.0; }
    /** Removed and capacity summed over the matrices of `layer`. */
    std::pair<std::int64_t, std::int64_t> layerTotals(int layer) const;
};

/**
 * What a selection removes. Set difference at grid fractions is read from the summaries, otherwise
 * computed from the scores; the orthogonal projection's removed rank is the numerical rank of ΔW,
 * which needs the model's weights (`modelDir`; default: the store's model folder, fingerprint-checked).
 * Throws StoreError / std::invalid_argument naming the problem.
 */
SelectionReport reportSelection(const Store &store, const SelectionSpec &spec, const std::string &modelDir = {});

/**
 * The §7 bound on the rank an orthogonal projection removes from a d_out × d_in matrix:
 * min(d_out − d_u, d_s) with the subspace dimensions d_u, d_s that r_u, r_s mean (code's or paper's
 * naming). Throws std::invalid_argument for ranks outside [0, min(d_out, d_in)].
 */
std::int64_t orthogonalRankBound(std::int64_t dOut, std::int64_t dIn, std::int64_t ru, std::int64_t rs, bool paperNaming);

/** The mean of each matrix's scores in score set `set`: [layer * 7 + matrix]. Reads every score once. */
std::vector<double> meanScores(const Store &store, const std::string &set);

struct OverlapSpec {
    std::string safety, utility;  ///< score sets: Jaccard index of the top-p sets
    double p = 0.05;
    Granularity granularity = Granularity::WholeMatrix;
    std::string safetyBasis, utilityBasis;  ///< basis sets: subspace similarity of the top r_s / r_u directions
    std::int64_t rs = 0, ru = 0;
};

struct OverlapReport {
    int layers = 0;
    bool hasJaccard = false, hasSubspace = false, fromSummaries = false;
    std::vector<double> jaccard;               ///< [layer * 7 + matrix]
    std::vector<double> jaccardAttention, jaccardMlp;  ///< [layer]: pooled Σ|∩| / Σ|∪| over q,k,v,o and gate,up,down
    double jaccardAttentionAll = 0, jaccardMlpAll = 0;
    std::vector<double> subspace;              ///< [layer * 7 + matrix]
    std::vector<double> subspaceAttention, subspaceMlp;  ///< [layer]: mean over the matrices
    double subspaceAttentionAll = 0, subspaceMlpAll = 0;
};

OverlapReport reportOverlap(const Store &store, const OverlapSpec &spec);

/** One matrix up close: where a set difference removes weights, and how its scores are distributed. */
struct MatrixDetail {
    int layer = 0;
    Matrix matrix = Matrix::Q;
    std::int64_t rows = 0, cols = 0;
    int blockRows = 0, blockCols = 0;          ///< the matrix in blockRows × blockCols blocks (at most maxBlocks each way)
    std::vector<double> removedFraction;       ///< [blockRows * blockCols]: the fraction of each block's entries removed
    std::int64_t removed = 0;
    std::vector<double> binEdges;              ///< log10 of the score: bins + 1 edges shared by both histograms
    std::vector<std::int64_t> safetyHistogram, utilityHistogram;  ///< positive scores per bin
    std::int64_t safetyZeros = 0, utilityZeros = 0;               ///< scores that are exactly 0 (not in the bins)
};

/**
 * The set difference `spec` (kind SetDifference) in one matrix: the removed entries aggregated into
 * blocks, and histograms of log10(score) of the safety and the utility set. Reads that matrix's scores.
 * Throws StoreError / std::invalid_argument.
 */
MatrixDetail matrixDetail(const Store &store, const SelectionSpec &spec, int layer, Matrix matrix, int maxBlocks = 128,
                          int bins = 60);

} // namespace alignscope
