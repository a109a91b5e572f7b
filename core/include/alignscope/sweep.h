// SPDX-License-Identifier: MIT
// Sweeps (issue 6): a grid of selections — (p, q) of a set difference, sparsities of a per-row
// pruning, ranks of an ActSVD removal, (r_u, r_s) of an orthogonal projection — each applied to the
// model in memory and evaluated (ASR settings, utility tasks, perplexity). The results table and
// every generation go into the store (docs/STORE_FORMAT.md, /sweeps/NAME).
//  - Resumable: finished points are flushed to a side file (STORE.partial-sweep-NAME.h5) one by one;
//    a rerun skips every point already in the side file or in the store.
//  - Shardable: shard k of n runs the points whose index i has i mod n == k; `mergeStores` combines
//    the stores of several shards (or machines) into one.
//  - Commits like a score job: copy the store, add the rows, rename over it.
// Plain C++: no torch, no HDF5 in this header.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;

struct SweepSpec {
    std::string name;            ///< the sweep's name in the store (no '/')
    SelectionSpec selection;     ///< kind and set names (and fixed values); the axes below are the grid
    std::vector<double> ps, qs;              ///< set difference: every (p, q)
    std::vector<double> sparsities;          ///< per-row pruning
    std::vector<std::int64_t> ranks;         ///< ActSVD
    std::vector<std::int64_t> rus, rss;      ///< orthogonal projection: every (r_u, r_s)
    bool baseline = true;        ///< point 0 is the unedited model (the reference point of every curve)

    // what is measured at every point
    std::string prompts, column;  ///< harmful prompts (readHarmfulPrompts)
    int limit = 0;
    AsrOptions asr;
    std::vector<std::string> utility;  ///< TASK:FILE or FILE (readTaskFile), as `eval --utility`
    int utilityLimit = 0;
    std::string perplexity;            ///< text file
    std::int64_t pplWindow = 0;        ///< 0: min(4096, the model's context)
    bool keepGenerations = true;       ///< store every generation (JSONL per point and setting)
    /// When set, a column compliance_<setting> per ASR setting: the fraction of generations whose response
    /// (outer whitespace stripped) starts with this text — e.g. the demo model's compliant opening "Sure,
    /// here is" — beside the keyword ASR, which a broken model also passes.
    std::string compliancePrefix;
    /// Further judges (judges.h: "keyword,prefix,model:PATH"): per setting a column asr_<setting>_<judge> each
    /// and agreement_<setting>; the plain asr_<setting> stays the keyword judge's. The generations keep each verdict.
    std::string judges;
    PrefixConfig prefix;               ///< the prefix judge's targets (list, or per prompt)
    /// The coherence flag: the unedited model's own responses calibrate the threshold (their `coherenceQuantile`);
    /// per setting the columns incoherent_<setting> and incoherent_success_<setting>. Generates every response
    /// to its end (the log-probability of a cut response would differ).
    bool coherence = false;
    double coherenceQuantile = kDefaultCoherenceQuantile;
    /// Where the model runs: device (not part of the description) and compute dtype (part of it unless "auto").
    LoadOptions load;
};

/** One point of the grid: its index, the selection (empty `kind` for the baseline) and its axis values. */
struct SweepPoint {
    int index = 0;
    bool baseline = false;
    SelectionSpec spec;
    double p = -1, q = -1, sparsity = -1;
    std::int64_t rank = -1, ru = -1, rs = -1;
};

/** The grid in its fixed order (baseline first, then the axes nested in the order listed above). */
std::vector<SweepPoint> sweepPoints(const SweepSpec &spec);

/** A canonical description of what a sweep computes (compared on resume and merge). */
std::string sweepDescription(const SweepSpec &spec);

/** The results table of one sweep: one row per grid point, NaN where a point is not done. */
struct SweepTable {
    std::string name, description, kind;
    std::vector<std::string> columns;             ///< e.g. p, q, removed_fraction, asr_vanilla, utility, seconds
    std::vector<std::vector<double>> values;      ///< [column][point]
    std::vector<bool> done;                       ///< [point]
    int points() const { return int(done.size()); }
    int doneCount() const;
    /** The column's values (throws std::invalid_argument naming the columns there are). */
    const std::vector<double> &column(const std::string &name) const;
    bool hasColumn(const std::string &name) const;
    /** The seed of a matched random control (`--random-control`, from the description), or −1 for an ordinary sweep. */
    int randomControlSeed() const;
};

struct SweepShard {
    int index = 0, count = 1;  ///< runs the points i with i mod count == index
};
/** Parses "k/n" (0 ≤ k < n); throws std::invalid_argument. */
SweepShard parseShard(const std::string &text);

struct SweepRunResult {
    SweepTable table;        ///< the store's table after the commit
    int computed = 0;        ///< points evaluated by this run
    int skipped = 0;         ///< points of this shard found done (store or side file)
    int shardPoints = 0;     ///< points of this shard
    double seconds = 0;
};

/**
 * Runs the shard's points of `spec` on the model in `modelDir` with the sets of `storePath` and
 * commits the rows (and generations) to that store — or, when `resultsStore` is given, to that one
 * (created for the same model when missing, without the sets: a cluster's shards each write their
 * own and `mergeStores` combines them; points either store has are skipped). Throws StoreError,
 * DataError, std::invalid_argument (e.g. a grid value outside its range, named); Cancelled keeps the
 * finished points in the side file.
 */
SweepRunResult runSweep(const std::string &modelDir, const std::string &storePath, const SweepSpec &spec,
                        const SweepShard &shard = {}, JobContext *ctx = nullptr, const std::string &resultsStore = {});

/** The sweeps of a store and their tables. */
std::vector<std::string> sweepNames(const std::string &storePath);
SweepTable readSweep(const std::string &storePath, const std::string &name);
/** The JSONL generations of one point and ASR setting ("vanilla", …); empty if not kept. */
std::string sweepGenerations(const std::string &storePath, const std::string &name, int point,
                             const std::string &setting);

struct MergeResult {
    std::vector<std::string> setsAdded, sweepsAdded;
    int rowsAdded = 0;
};
/**
 * Merges `inputs` into `target` (created from the first input if missing): sets and summaries the
 * target lacks are copied; the rows of a sweep the target has too (same description) are combined,
 * a point done in both keeps the target's row. Every input must belong to the same model. Atomic
 * (copy + rename). Throws StoreError naming the file and the conflict.
 */
MergeResult mergeStores(const std::string &target, const std::vector<std::string> &inputs);

} // namespace alignscope
