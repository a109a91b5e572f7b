// SPDX-License-Identifier: MIT
// Attribution settings shared by the engine, the store and the front ends (no torch here).
#pragma once
#include <cstdint>
#include <string>

namespace alignscope {

enum class ScoreMethod { Wanda, Snip, ActSvd };
enum class ScoreMode { OneShot, Sequential };

std::string methodName(ScoreMethod m);  ///< "wanda", "snip", "actsvd"
std::string modeName(ScoreMode m);      ///< "oneshot", "sequential"
/** Parses the names above; throws std::invalid_argument listing the accepted names. */
ScoreMethod parseMethod(const std::string &name);
ScoreMode parseMode(const std::string &name);

/** How a top-fraction set is taken: over the whole flattened matrix (the reference code) or per row (the paper's text). */
enum class Granularity { WholeMatrix, PerRow };
std::string granularityName(Granularity g);  ///< "matrix", "row"

struct ScoreSettings {
    ScoreMethod method = ScoreMethod::Snip;
    ScoreMode mode = ScoreMode::OneShot;
    std::int64_t nsamples = 128;  ///< calibration examples (spec default)
    std::uint64_t seed = 0;       ///< sample selection seed (numpy PCG64 permutation)
    std::int64_t maxLength = 0;   ///< cut longer examples to this many tokens; 0 = keep them whole (the reference)
    // Sequential mode only: what is done to layer ℓ before layer ℓ+1 is scored.
    double sparsity = 0.0;        ///< Wanda/SNIP: per-row pruning at this sparsity (spec §4.1)
    bool topDown = false;         ///< Wanda/SNIP: remove the highest scores (--neg_prune) instead of the lowest
    std::int64_t rank = 0;        ///< ActSVD: ranks removed per matrix (spec §6.2)
    bool removeTop = true;        ///< ActSVD: remove the top-r ranks; false: keep the top m − r
    // Sequential ActSVD with orthogonal projection (spec §7, main_low_rank_diff.py): layer ℓ is modified by
    // W ← W − (I − Π_u) Π_s W before layer ℓ+1 is decomposed; one job computes the safety and the utility
    // basis set together (the same partially modified model feeds both).
    bool orthogonal = false;
    std::int64_t ru = 0, rs = 0;  ///< code's meaning (subspaces of m − r_u, m − r_s dimensions) unless paperRanks
    bool paperRanks = false;
    int layerChunk = 0;           ///< SNIP one-shot: layers per backward pass; 0 = all that fit in memory
};

} // namespace alignscope
