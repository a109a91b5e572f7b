// SPDX-License-Identifier: MIT
// The AlignScope store: one HDF5 file per model that holds every score set, rank basis, slider
// summary and (later) evaluation result computed for it. Layout: docs/STORE_FORMAT.md.
//  - Writes are atomic: a job writes into a side file next to the store (STORE.partial-NAME.h5,
//    flushed after every layer, so an interrupted job resumes at the first missing layer), and a
//    finished set is committed by copying the store to a temporary file, adding the set and renaming
//    it over the store. The store is never half-written.
//  - A store belongs to one model (its fingerprint); writing another model's results is refused.
//  - Slider queries (set-difference counts, Jaccard indices at grid fractions) are answered from
//    per-matrix joint histograms of (safety rank fraction, utility rank fraction), never from scores.
// Plain C++: no torch, no HDF5 in this header.
#pragma once
#include "alignscope/attribution.h"
#include "alignscope/matrices.h"
#include "alignscope/model.h"

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;

/** A store that cannot be read or written; the message names the file and the problem. */
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** A fingerprint of a model folder: config.json and every safetensors header and size (not the weights' bytes). */
std::string computeModelFingerprint(const std::string &modelDir);

struct MatrixShape {
    std::int64_t rows = 0, cols = 0;
    std::int64_t numel() const { return rows * cols; }
};

/** One score set (Wanda/SNIP scores) or basis set (ActSVD) and where it came from. */
struct ScoreSetInfo {
    std::string name;               ///< e.g. "snip-safety_short-oneshot-n128-s0"
    std::string role;               ///< "safety" or "utility"
    ScoreSettings settings;
    std::string datasetFile, datasetFingerprint, datasetFormat;
    std::string storeDtype;         ///< fp32, fp16 or bf16
    std::string computeDtype, device, programVersion, created;
    std::int64_t examples = 0, responseTokens = 0, truncatedExamples = 0;
    int layersDone = 0;
    double seconds = 0;
    /// Sequential orthogonal projection (settings.orthogonal): the other set of the pair, computed in the
    /// same job on the same modified model, and its dataset's fingerprint. Empty otherwise.
    std::string partner, partnerDatasetFingerprint;
    bool isBasis() const { return settings.method == ScoreMethod::ActSvd; }
};

/** Counts of one matrix at one (p, q) grid point, from the slider summaries. */
struct SliderCell {
    std::int64_t removed = 0;       ///< |TopQ(safety) \ TopP(utility)|
    std::int64_t intersection = 0;  ///< |TopQ(safety) ∩ TopP(utility)|
    std::int64_t numel = 0;
    double jaccard = 0;             ///< of TopP(safety) and TopP(utility) (same fraction p)
};

/** A slider answer for all matrices: cells[layer * 7 + matrix]. */
struct SliderAnswer {
    std::vector<SliderCell> cells;
    std::int64_t removed = 0, numel = 0;
    double actualSparsity() const { return numel ? double(removed) / double(numel) : 0.0; }
};

class Store {
public:
    /** Opens an existing store read-only. Throws StoreError (missing, not a store, corrupt, truncated). */
    static std::unique_ptr<Store> open(const std::string &path);
    ~Store();

    const std::string &path() const;
    const std::string &modelFingerprint() const;
    const std::string &modelDir() const;  ///< where the model was when the store was created
    int numLayers() const;
    const std::array<MatrixShape, kMatricesPerLayer> &shapes() const;
    std::int64_t totalWeights() const;  ///< all decoder-matrix entries (the denominator of actual sparsity)

    const std::vector<ScoreSetInfo> &sets() const;
    /** The set called `name`; throws StoreError listing the names there are. */
    const ScoreSetInfo &set(const std::string &name) const;

    /** Scores of one matrix, row-major [rows × cols], as fp32. */
    std::vector<float> scores(const std::string &set, int layer, Matrix m) const;
    /** A rank basis: eigenvalues (descending) and the eigenvectors' first `columns` columns, row-major [rows × columns]. */
    struct Basis {
        std::vector<double> eigenvalues;
        std::vector<float> vectors;
        std::int64_t rows = 0, columns = 0;
    };
    Basis basis(const std::string &set, int layer, Matrix m) const;

    /** (safety set, utility set) pairs that have slider summaries. */
    std::vector<std::pair<std::string, std::string>> summaryPairs() const;
    /**
     * Set-difference counts at (p, q) = (grid[pIndex], grid[qIndex]) and the Jaccard index at p, for
     * every matrix, from the summaries of (safety, utility) (fractionGrid() indices). Exact.
     */
    SliderAnswer query(const std::string &safety, const std::string &utility, int pIndex, int qIndex,
                       Granularity g) const;

    class Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/** A score job of the CLI and the GUI. */
struct ScoreJob {
    std::string modelDir, dataFile, storePath;
    std::string role;                 ///< "safety" or "utility"; empty: from the file name (see docs)
    std::string name;                 ///< set name; empty: derived from method, data file and settings
    /// Sequential orthogonal projection (settings.orthogonal): `dataFile` is the safety set and this the
    /// utility set; both basis sets are computed together and committed together.
    std::string utilityDataFile, utilityName;
    std::string storeDtype = "bf16";  ///< fp32, fp16 or bf16 (scores; bases are stored in fp32)
    std::string device = "cpu", computeDtype = "auto";
    /// Wanda and ActSVD (not the sequential orthogonal projection): one decoder layer in memory at a time, read
    /// from the memory-mapped weight files (scores equal to the in-memory job's; see ScoreEstimate::streamingBytes).
    bool streamLayers = false;
    ScoreSettings settings;
};

struct ScoreJobResult {
    ScoreSetInfo set;              ///< the set computed (an orthogonal job: the safety set)
    std::vector<ScoreSetInfo> sets;  ///< every set committed (an orthogonal job: safety, then utility)
    bool reused = false;           ///< the store already had this set: nothing computed
    int resumedFromLayer = 0;      ///< > 0 when an interrupted job was resumed
    std::vector<std::string> summaries;  ///< summary pairs written ("safety|utility")
};

/** What a score job will cost (ScoreJob's data tokenized; nothing is run). */
struct ScoreEstimate {
    std::int64_t examples = 0;      ///< calibration examples the job uses
    std::int64_t tokens = 0;        ///< their tokens (prompt and response)
    std::int64_t longest = 0;       ///< tokens of the longest example
    std::uint64_t memoryBytes = 0;  ///< peak: weights, activations, and gradients (SNIP) or XᵀX (ActSVD)
    /// Peak with the layers streamed (Wanda, ActSVD; 0 for SNIP, which cannot): embeddings, one layer in the
    /// compute dtype, the hidden states and statistics. The weight files are read once through the page cache.
    std::uint64_t streamingBytes = 0;
    std::uint64_t weightFileBytes = 0;  ///< bytes of the weight files (what a streamed job reads)
    double flops = 0;               ///< floating-point operations of the whole job
    double seconds = -1;            ///< flops at the measured speed (-1 when the speed is unknown)
};

/**
 * Estimates a score job before it runs: the examples it selects are read and tokenized, and counted as
 * one forward pass each (Wanda), forward + backward (SNIP one-shot; the per-layer loop of sequential SNIP
 * costs (1.5·L + 1.5) forward passes per example), or a forward pass plus XᵀX and the eigendecomposition
 * of W XᵀX Wᵀ per matrix (ActSVD). A sequential orthogonal job counts both sets. `seconds` assumes the
 * measured matrix-product rate at the efficiency estimateSeconds() assumes. Throws DataError / ModelError.
 */
ScoreEstimate estimateScoreJob(const ScoreJob &job, const MachineSpeed &speed);

/** Role a data file gets when none is given: "safety" if its name mentions safety/align/harm/refus, else "utility". */
std::string inferRole(const std::string &dataFile);

/**
 * Computes a score or basis set and commits it to the store (created if missing), with the slider
 * summaries against every set of the other role with the same method and mode. Throws StoreError, DataError,
 * ModelError; Cancelled leaves the store as it was and the side file for resuming.
 */
ScoreJobResult runScoreJob(const ScoreJob &job, JobContext *ctx = nullptr);

} // namespace alignscope
