// SPDX-License-Identifier: MIT
// `score`, `sets`, `select`, `overlap`: attribution into the store, and the questions it answers.
#include "cli.h"
#include "validators.h"

#include "alignscope/runtime.h"

#include "alignscope/analysis.h"
#include "alignscope/store.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace alignscope::cli {

namespace {

std::string fmt(const char *f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

nlohmann::json setJson(const ScoreSetInfo &s)
{
    const ScoreSettings &x = s.settings;
    nlohmann::json j = {{"name", s.name}, {"role", s.role}, {"method", methodName(x.method)}, {"mode", modeName(x.mode)},
                        {"nsamples", x.nsamples}, {"seed", x.seed}, {"max_length", x.maxLength},
                        {"dataset_file", s.datasetFile}, {"dataset_fingerprint", s.datasetFingerprint},
                        {"dataset_format", s.datasetFormat}, {"store_dtype", s.storeDtype},
                        {"compute_dtype", s.computeDtype}, {"device", s.device}, {"examples", s.examples},
                        {"response_tokens", s.responseTokens}, {"truncated_examples", s.truncatedExamples},
                        {"seconds", s.seconds}, {"created", s.created}, {"program_version", s.programVersion}};
    if (x.orthogonal) {
        j["orthogonal"] = true;
        j["ru"] = x.ru;
        j["rs"] = x.rs;
        j["paper_ranks"] = x.paperRanks;
        j["partner"] = s.partner;
    } else if (x.mode == ScoreMode::Sequential) {
        if (x.method == ScoreMethod::ActSvd) {
            j["rank"] = x.rank;
            j["remove_top"] = x.removeTop;
        } else {
            j["sparsity"] = x.sparsity;
            j["top_down"] = x.topDown;
        }
    }
    return j;
}

Granularity parseGranularity(const std::string &g)
{
    if (g == "matrix")
        return Granularity::WholeMatrix;
    if (g == "row")
        return Granularity::PerRow;
    throw CLI::ValidationError("--granularity", "expected matrix or row");
}

const char *matrixHeader = "layer       q       k       v       o    gate      up    down   layer total";

std::string selectionText(const SelectionReport &r, const SelectionSpec &spec)
{
    std::ostringstream t;
    t << (r.ranks ? "removed ranks per matrix" : "removed entries per matrix (fraction of the matrix)")
      << (r.fromSummaries ? ", from the slider summaries" : "") << "\n";
    t << matrixHeader << "\n";
    for (int l = 0; l < r.layers; ++l) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%5d", l);
        t << buf;
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const size_t i = size_t(l * kMatricesPerLayer + m);
            t << (r.ranks ? fmt("%8.0f", double(r.removed[i]))
                          : fmt("%7.3f%%", 100.0 * double(r.removed[i]) / double(std::max<std::int64_t>(1, r.capacity[i]))));
        }
        const auto [rem, cap] = r.layerTotals(l);
        t << fmt("   %8.4f%%", 100.0 * double(rem) / double(std::max<std::int64_t>(1, cap))) << "\n";
    }
    if (r.ranks)
        t << "removed " << r.removedTotal << " of " << r.capacityTotal << " ranks (" << fmt("%.4f%%", 100 * r.fraction())
          << ")";
    else
        t << "actual sparsity " << fmt("%.6f", r.fraction()) << " (" << r.removedTotal << " of " << r.capacityTotal
          << " weights)";
    if (!r.bound.empty()) {
        std::int64_t b = 0;
        for (auto x : r.bound)
            b += x;
        t << "; the §7 bound allows " << b;
    }
    (void)spec;
    t << "\n";
    return t.str();
}

std::string selectionCsv(const SelectionReport &r)
{
    std::ostringstream t;
    t << "layer,matrix,removed,capacity,fraction" << (r.bound.empty() ? "" : ",bound") << "\n";
    for (int l = 0; l < r.layers; ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const size_t i = size_t(l * kMatricesPerLayer + m);
            t << l << "," << matrixName(Matrix(m)) << "," << r.removed[i] << "," << r.capacity[i] << ","
              << fmt("%.9g", double(r.removed[i]) / double(std::max<std::int64_t>(1, r.capacity[i])));
            if (!r.bound.empty())
                t << "," << r.bound[i];
            t << "\n";
        }
    return t.str();
}

nlohmann::json selectionJson(const SelectionReport &r)
{
    nlohmann::json layers = nlohmann::json::array();
    for (int l = 0; l < r.layers; ++l) {
        nlohmann::json row = {{"layer", l}};
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const size_t i = size_t(l * kMatricesPerLayer + m);
            row[std::string(matrixName(Matrix(m)))] = {{"removed", r.removed[i]}, {"capacity", r.capacity[i]}};
            if (!r.bound.empty())
                row[std::string(matrixName(Matrix(m)))]["bound"] = r.bound[i];
        }
        const auto [rem, cap] = r.layerTotals(l);
        row["removed"] = rem;
        row["capacity"] = cap;
        layers.push_back(row);
    }
    return {{"unit", r.ranks ? "ranks" : "weights"}, {"from_summaries", r.fromSummaries}, {"layers", layers},
            {"removed", r.removedTotal}, {"capacity", r.capacityTotal}, {"fraction", r.fraction()}};
}

std::string overlapCsv(const OverlapReport &o)
{
    std::ostringstream t;
    t << "layer,matrix" << (o.hasJaccard ? ",jaccard" : "") << (o.hasSubspace ? ",subspace_similarity" : "") << "\n";
    auto row = [&](const std::string &l, const std::string &m, double j, double s) {
        t << l << "," << m;
        if (o.hasJaccard)
            t << "," << fmt("%.9g", j);
        if (o.hasSubspace)
            t << "," << fmt("%.9g", s);
        t << "\n";
    };
    for (int l = 0; l < o.layers; ++l) {
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const size_t i = size_t(l * kMatricesPerLayer + m);
            row(std::to_string(l), std::string(matrixName(Matrix(m))), o.hasJaccard ? o.jaccard[i] : 0,
                o.hasSubspace ? o.subspace[i] : 0);
        }
        row(std::to_string(l), "attention", o.hasJaccard ? o.jaccardAttention[size_t(l)] : 0,
            o.hasSubspace ? o.subspaceAttention[size_t(l)] : 0);
        row(std::to_string(l), "mlp", o.hasJaccard ? o.jaccardMlp[size_t(l)] : 0, o.hasSubspace ? o.subspaceMlp[size_t(l)] : 0);
    }
    row("all", "attention", o.jaccardAttentionAll, o.subspaceAttentionAll);
    row("all", "mlp", o.jaccardMlpAll, o.subspaceMlpAll);
    return t.str();
}

std::string overlapText(const OverlapReport &o)
{
    std::ostringstream t;
    auto table = [&](const char *title, const std::vector<double> &v, const std::vector<double> &att,
                     const std::vector<double> &mlp, double attAll, double mlpAll) {
        t << title << "\nlayer       q       k       v       o    gate      up    down   attention     mlp\n";
        for (int l = 0; l < o.layers; ++l) {
            t << fmt("%5.0f", l);
            for (int m = 0; m < kMatricesPerLayer; ++m)
                t << fmt("%8.4f", v[size_t(l * kMatricesPerLayer + m)]);
            t << fmt("    %8.4f", att[size_t(l)]) << fmt("%8.4f", mlp[size_t(l)]) << "\n";
        }
        t << "  all" << std::string(7 * 8, ' ') << fmt("    %8.4f", attAll) << fmt("%8.4f", mlpAll) << "\n";
    };
    if (o.hasJaccard)
        table(o.fromSummaries ? "Jaccard index of the top-p safety and utility weights (from the slider summaries)"
                              : "Jaccard index of the top-p safety and utility weights",
              o.jaccard, o.jaccardAttention, o.jaccardMlp, o.jaccardAttentionAll, o.jaccardMlpAll);
    if (o.hasSubspace)
        table("subspace similarity of the safety and utility rank bases", o.subspace, o.subspaceAttention, o.subspaceMlp,
              o.subspaceAttentionAll, o.subspaceMlpAll);
    return t.str();
}

nlohmann::json overlapJson(const OverlapReport &o)
{
    nlohmann::json layers = nlohmann::json::array();
    for (int l = 0; l < o.layers; ++l) {
        nlohmann::json row = {{"layer", l}};
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const size_t i = size_t(l * kMatricesPerLayer + m);
            nlohmann::json c;
            if (o.hasJaccard)
                c["jaccard"] = o.jaccard[i];
            if (o.hasSubspace)
                c["subspace_similarity"] = o.subspace[i];
            row[std::string(matrixName(Matrix(m)))] = c;
        }
        if (o.hasJaccard) {
            row["jaccard_attention"] = o.jaccardAttention[size_t(l)];
            row["jaccard_mlp"] = o.jaccardMlp[size_t(l)];
        }
        if (o.hasSubspace) {
            row["subspace_attention"] = o.subspaceAttention[size_t(l)];
            row["subspace_mlp"] = o.subspaceMlp[size_t(l)];
        }
        layers.push_back(row);
    }
    nlohmann::json j = {{"layers", layers}, {"from_summaries", o.fromSummaries}};
    if (o.hasJaccard)
        j["jaccard"] = {{"attention", o.jaccardAttentionAll}, {"mlp", o.jaccardMlpAll}};
    if (o.hasSubspace)
        j["subspace_similarity"] = {{"attention", o.subspaceAttentionAll}, {"mlp", o.subspaceMlpAll}};
    return j;
}

} // namespace

void addSelectionOptions(CLI::App *cmd, SelectionSpec &spec, std::string &granularity, bool &keepTop,
                         const std::string &setSuffix)
{
    cmd->add_option("--safety" + setSuffix, spec.safety, "Safety score set (set difference)");
    cmd->add_option("--utility" + setSuffix, spec.utility, "Utility score set (set difference)");
    cmd->add_option("--p", spec.p, "Utility top fraction p (set difference)")->check(numberIn(0.0, 1.0, true));
    cmd->add_option("--q", spec.q, "Safety top fraction q (set difference)")->check(numberIn(0.0, 1.0, true));
    cmd->add_option("--granularity", granularity, "matrix (the reference code) or row (the paper's text)");
    cmd->add_option("--scores", spec.scores, "Score set (per-row pruning)");
    cmd->add_option("--sparsity", spec.sparsity, "Per-row pruning sparsity")->check(numberIn(0.0, 0.999999));
    cmd->add_flag("--top-down", spec.topDown, "Per-row pruning of the highest scores");
    cmd->add_option("--basis", spec.basis, "Basis set (ActSVD)");
    cmd->add_option("--rank", spec.rank, "ActSVD rank r")->check(nonNegativeNumber());
    cmd->add_flag("--keep-top", keepTop, "ActSVD: keep the top m − r ranks instead of removing the top r");
    cmd->add_option("--safety-basis", spec.safetyBasis, "Safety basis set (orthogonal projection)");
    cmd->add_option("--utility-basis", spec.utilityBasis, "Utility basis set (orthogonal projection)");
    cmd->add_option("--ru", spec.ru, "r_u (code meaning: the protected utility subspace has m − r_u dimensions)")
        ->check(nonNegativeNumber());
    cmd->add_option("--rs", spec.rs, "r_s (code meaning: the safety subspace has m − r_s dimensions)")
        ->check(nonNegativeNumber());
    cmd->add_flag("--paper-ranks", spec.paperNaming, "r_u and r_s are the subspace dimensions (the paper's naming)");
    cmd->add_option("--random-control", spec.randomSeed,
                    "Set difference or pruning: the matched random control with this seed (as many weights per "
                    "matrix, drawn at random)")
        ->check(wholeNumber(0));
}

bool resolveSelection(SelectionSpec &spec, const std::string &granularity, bool keepTop)
{
    spec.granularity = parseGranularity(granularity);
    spec.removeTop = !keepTop;
    const int kinds = int(!spec.safety.empty() || !spec.utility.empty()) + int(!spec.scores.empty()) +
                      int(!spec.basis.empty()) + int(!spec.safetyBasis.empty() || !spec.utilityBasis.empty());
    if (kinds > 1)
        throw CLI::ValidationError("selection", "give exactly one selection: --safety/--utility, --scores, --basis, "
                                                "or --safety-basis/--utility-basis");
    spec.kind = !spec.scores.empty()                                   ? SelectionKind::RowPrune
                : !spec.basis.empty()                                  ? SelectionKind::ActSvd
                : !spec.safetyBasis.empty() || !spec.utilityBasis.empty() ? SelectionKind::Orthogonal
                                                                         : SelectionKind::SetDifference;
    if (spec.randomSeed >= 0 && (spec.kind == SelectionKind::ActSvd || spec.kind == SelectionKind::Orthogonal))
        throw CLI::ValidationError("--random-control", "a random control needs a set difference or a pruning (it "
                                                       "draws as many weights as they remove), not a change of ranks");
    return kinds == 1;
}

void addAnalysisCommands(CLI::App &app, Cli &cli)
{
    {
        auto job = std::make_shared<ScoreJob>();
        auto method = std::make_shared<std::string>("snip");
        auto mode = std::make_shared<std::string>("oneshot");
        auto keepTop = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand("score", "Score every decoder matrix for safety or utility (Wanda, SNIP) or "
                                                "compute its rank basis (ActSVD) into the store");
        cmd->add_option("model", job->modelDir, "Model folder; default: the bundled demo model")
            ->check(CLI::ExistingDirectory);
        cmd->add_option("--data", job->dataFile, "Calibration data: the paper's CSV (,prompt,response,text), "
                                                 "alpaca JSON/JSONL or prompt/response JSONL")
            ->required()
            ->check(CLI::ExistingFile);
        cmd->add_option("--method", *method, "wanda, snip or actsvd")->check(CLI::IsMember({"wanda", "snip", "actsvd"}));
        cmd->add_option("--store", job->storePath, "The store file (HDF5; created if missing)")->required();
        cmd->add_option("--nsamples", job->settings.nsamples, "Calibration examples (default 128)")
            ->check(numberIn(1, 1000000));
        cmd->add_option("--seed", job->settings.seed, "Sample-selection seed (numpy's PCG64 permutation; default 0)")
            ->check(unsignedNumber());
        cmd->add_option("--mode", *mode, "oneshot (every layer on the dense model) or sequential (the reference's "
                                         "prune-as-you-go)")
            ->check(CLI::IsMember({"oneshot", "sequential"}));
        cmd->add_option("--max-length", job->settings.maxLength, "Cut longer examples to this many tokens (default 0: "
                                                                 "keep them whole, as the reference)")
            ->check(nonNegativeNumber());
        cmd->add_option("--sparsity", job->settings.sparsity, "Sequential Wanda/SNIP: per-row pruning after each layer")
            ->check(numberIn(0.0, 0.999999));
        cmd->add_flag("--top-down", job->settings.topDown, "Sequential: prune the highest scores (--neg_prune)");
        cmd->add_option("--rank", job->settings.rank, "Sequential ActSVD: ranks removed after each layer")
            ->check(nonNegativeNumber());
        cmd->add_flag("--keep-top", *keepTop, "Sequential ActSVD: keep the top m − r ranks instead of removing the top r");
        cmd->add_option("--orthogonal-utility", job->utilityDataFile,
                        "Sequential ActSVD with orthogonal projection (main_low_rank_diff.py): --data is the safety "
                        "set, this the utility set; both bases are computed on the model modified after each layer "
                        "by W - (I - P_u) P_s W")
            ->check(CLI::ExistingFile);
        cmd->add_option("--ru", job->settings.ru, "Orthogonal projection: r_u (code's meaning: the protected utility "
                                                  "subspace has m - r_u dimensions)")
            ->check(nonNegativeNumber());
        cmd->add_option("--rs", job->settings.rs, "Orthogonal projection: r_s (the safety subspace has m - r_s "
                                                  "dimensions)")
            ->check(nonNegativeNumber());
        cmd->add_flag("--paper-ranks", job->settings.paperRanks,
                      "Orthogonal projection: r_u and r_s are the subspace dimensions (the paper's naming)");
        cmd->add_option("--utility-name", job->utilityName, "Orthogonal projection: the utility set's name");
        cmd->add_option("--role", job->role, "safety or utility (default: from the file name)")
            ->check(CLI::IsMember({"safety", "utility"}));
        cmd->add_option("--name", job->name, "Set name in the store (default: from method, data and settings)");
        cmd->add_option("--store-dtype", job->storeDtype, "Score precision in the store: bf16 (default, as the "
                                                          "reference's SNIP dumps), fp16 or fp32 (or bfloat16, float16, float32)")
            ->transform(dtypeName(false, false));
        cmd->add_option("--device", job->device, "cpu, cuda or cuda:N");
        cmd->add_option("--dtype", job->computeDtype, "Compute dtype: auto, fp32|float32, bf16|bfloat16, fp16|float16")
            ->transform(dtypeName(true, true));
        cmd->add_option("--layer-chunk", job->settings.layerChunk, "SNIP one-shot: layers per backward pass (default: "
                                                                   "as many as fit in memory)")
            ->check(nonNegativeNumber());
        auto force = std::make_shared<bool>(false);
        cmd->add_flag("--force", *force, "Run even when the estimate exceeds the memory available");
        auto stream = std::make_shared<std::string>("auto");
        cmd->add_option("--stream", *stream, "Wanda and ActSVD: read one decoder layer at a time from the weight "
                                             "files (a model larger than memory); auto (default: when the model "
                                             "does not fit and streaming does), on or off")
            ->check(CLI::IsMember({"auto", "on", "off"}));
        cmd->callback([&cli, job, method, mode, keepTop, force, stream] {
            cli.run = [&cli, job, method, mode, keepTop, force, stream] {
                resolveModelDir(job->modelDir);
                job->settings.method = parseMethod(*method);
                job->settings.mode = parseMode(*mode);
                job->settings.removeTop = !*keepTop;
                job->settings.orthogonal = !job->utilityDataFile.empty();
                if (job->settings.orthogonal && (job->settings.method != ScoreMethod::ActSvd ||
                                                 job->settings.mode != ScoreMode::Sequential))
                    throw CLI::ValidationError("--orthogonal-utility",
                                               "needs --method actsvd --mode sequential (the one-shot orthogonal "
                                               "projection is a selection: score both sets, then select)");
                // estimate first (0.1 s to measure the machine): what the job will take, on stderr and in the JSON;
                // a job that cannot start reports its own error below
                ScoreEstimate est;
                try {
                    const MatmulProbe probe = probeMatmul(512, 2);
                    est = estimateScoreJob(*job, MachineSpeed{probe.gflops * 1e9, 0});
                    if (!cli.quiet)
                        *cli.err << "estimate: about " << formatDuration(est.seconds) << " and "
                                 << formatBytes(est.memoryBytes) << " of memory (" << est.examples << " examples, "
                                 << est.tokens << " tokens, " << fmt("%.3g", est.flops) << " FLOP at "
                                 << fmt("%.1f", probe.gflops) << " GFLOP/s)\n";
                } catch (const std::exception &) {  // the job reports it below, with its context
                }
                const std::uint64_t avail = availableMemory();
                const bool canStream = est.streamingBytes > 0;
                if (*stream == "on" && !canStream && est.memoryBytes > 0)
                    throw CLI::ValidationError("--stream", "streams Wanda and ActSVD jobs (not SNIP, which needs "
                                                           "every layer for its backward pass, nor the sequential "
                                                           "orthogonal projection)");
                job->streamLayers = *stream == "on" ||
                                    (*stream == "auto" && job->device == "cpu" && canStream && avail > 0 &&
                                     est.memoryBytes > avail && est.streamingBytes <= avail);
                if (job->streamLayers)
                    returnFreedMemory();  // a freed layer goes back to the kernel before the next one comes in
                if (job->streamLayers && !cli.quiet)
                    *cli.err << "streaming the layers: about " << formatBytes(est.streamingBytes)
                             << " of memory instead of " << formatBytes(est.memoryBytes) << "; the weight files ("
                             << formatBytes(est.weightFileBytes) << ") are read layer by layer"
                             << (*stream == "auto" ? " (the model does not fit in the " + formatBytes(avail) +
                                                         " available)"
                                                   : std::string())
                             << "\n";
                const std::uint64_t need = job->streamLayers ? est.streamingBytes : est.memoryBytes;
                if (job->device == "cpu" && avail > 0 && need > avail && !*force)
                    throw std::runtime_error("[score] the job needs about " + formatBytes(need) +
                                             " of memory but only " + formatBytes(avail) + " is available; " +
                                             (canStream && !job->streamLayers
                                                  ? std::string("streaming the layers (--stream on) would need ") +
                                                        formatBytes(est.streamingBytes) + "; "
                                                  : std::string()) +
                                             "use fewer --nsamples or a --max-length, or give --force to run anyway");
                JobContext ctx = cli.jobContext();
                const ScoreJobResult r = runScoreJob(*job, &ctx);
                nlohmann::json sets = nlohmann::json::array();
                for (const auto &x : r.sets)
                    sets.push_back(setJson(x));
                nlohmann::json j = {{"store", job->storePath}, {"set", setJson(r.set)}, {"sets", sets},
                                    {"reused", r.reused}, {"resumed_from_layer", r.resumedFromLayer},
                                    {"summaries", r.summaries},
                                    {"streamed", job->streamLayers},
                                    {"estimate", {{"seconds", est.seconds}, {"memory_bytes", est.memoryBytes},
                                                  {"streaming_bytes", est.streamingBytes},
                                                  {"weight_file_bytes", est.weightFileBytes},
                                                  {"flops", est.flops}, {"examples", est.examples}, {"tokens", est.tokens}}}};
                std::ostringstream t;
                t << "set " << r.set.name << " (" << r.set.role << ")";
                if (r.sets.size() > 1)
                    t << " and " << r.sets[1].name << " (" << r.sets[1].role << ")";
                t << " in " << job->storePath << ": ";
                if (r.reused)
                    t << "already computed, nothing to do\n";
                else
                    t << "computed in " << fmt("%.1f", r.set.seconds) << " s from " << r.set.examples << " examples ("
                      << r.set.responseTokens << " response tokens)"
                      << (r.resumedFromLayer > 0 ? ", resumed at layer " + std::to_string(r.resumedFromLayer) : "")
                      << "\n";
                for (const auto &s : r.summaries)
                    t << "slider summary: " << s.substr(0, s.find('|')) << " vs " << s.substr(s.find('|') + 1) << "\n";
                cli.emit(j, t.str());
                return int(ExitOk);
            };
        });
    }
    {
        auto store = std::make_shared<std::string>();
        auto *cmd = app.add_subcommand("sets", "List the score and basis sets and slider summaries of a store");
        cmd->add_option("store", *store, "The store file")->required();
        cmd->callback([&cli, store] {
            cli.run = [&cli, store] {
                auto s = Store::open(*store);
                nlohmann::json sets = nlohmann::json::array(), pairs = nlohmann::json::array();
                std::ostringstream t;
                t << *store << ": model " << s->modelDir() << " (fingerprint " << s->modelFingerprint() << "), "
                  << s->numLayers() << " layers\n";
                for (const auto &x : s->sets()) {
                    sets.push_back(setJson(x));
                    t << "  " << x.name << "  [" << x.role << ", " << methodName(x.settings.method) << ", "
                      << modeName(x.settings.mode) << ", " << x.examples << " examples, " << fmt("%.1f s", x.seconds)
                      << "]\n";
                }
                for (const auto &[a, b] : s->summaryPairs()) {
                    pairs.push_back({{"safety", a}, {"utility", b}});
                    t << "  summary: " << a << " vs " << b << "\n";
                }
                cli.emit({{"store", *store}, {"model_dir", s->modelDir()}, {"model_fingerprint", s->modelFingerprint()},
                          {"num_layers", s->numLayers()}, {"sets", sets}, {"summaries", pairs}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    {
        auto store = std::make_shared<std::string>();
        auto spec = std::make_shared<SelectionSpec>();
        auto granularity = std::make_shared<std::string>("matrix");
        auto model = std::make_shared<std::string>();
        auto csv = std::make_shared<bool>(false);
        auto keepTop = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand("select", "How much a selection removes, per matrix, per layer and in total: "
                                                 "set difference (--safety --utility --p --q), per-row pruning "
                                                 "(--scores --sparsity), ActSVD (--basis --rank) or orthogonal "
                                                 "projection (--safety-basis --utility-basis --ru --rs)");
        cmd->add_option("--store", *store, "The store file")->required();
        addSelectionOptions(cmd, *spec, *granularity, *keepTop);
        cmd->add_option("--model", *model, "Model folder for the orthogonal projection (default: the store's)");
        cmd->add_flag("--csv", *csv, "Print CSV (layer,matrix,removed,capacity,fraction)");
        cmd->callback([&cli, store, spec, granularity, model, csv, keepTop] {
            cli.run = [&cli, store, spec, granularity, model, csv, keepTop] {
                if (!resolveSelection(*spec, *granularity, *keepTop))
                    throw CLI::ValidationError("select", "give a selection: --safety/--utility, --scores, --basis, or "
                                                         "--safety-basis/--utility-basis");
                auto s = Store::open(*store);
                const SelectionReport r = reportSelection(*s, *spec, *model);
                cli.emit(selectionJson(r), *csv ? selectionCsv(r) : selectionText(r, *spec));
                return int(ExitOk);
            };
        });
    }
    {
        auto store = std::make_shared<std::string>();
        auto spec = std::make_shared<OverlapSpec>();
        auto granularity = std::make_shared<std::string>("matrix");
        auto csv = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand("overlap", "Overlap of safety and utility per layer and matrix: Jaccard index of "
                                                  "the top-p weights and/or subspace similarity of the rank bases, with "
                                                  "attention and MLP aggregates");
        cmd->add_option("--store", *store, "The store file")->required();
        cmd->add_option("--safety", spec->safety, "Safety score set");
        cmd->add_option("--utility", spec->utility, "Utility score set");
        cmd->add_option("--p", spec->p, "Top fraction for both (default 0.05)")->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--granularity", *granularity, "matrix (default) or row");
        cmd->add_option("--safety-basis", spec->safetyBasis, "Safety basis set (ActSVD)");
        cmd->add_option("--utility-basis", spec->utilityBasis, "Utility basis set (ActSVD)");
        cmd->add_option("--rs", spec->rs, "Safety directions compared (top r_s)")->check(positiveNumber());
        cmd->add_option("--ru", spec->ru, "Utility directions compared (top r_u)")->check(positiveNumber());
        cmd->add_flag("--csv", *csv, "Print CSV (layer,matrix,jaccard,subspace_similarity)");
        cmd->callback([&cli, store, spec, granularity, csv] {
            cli.run = [&cli, store, spec, granularity, csv] {
                spec->granularity = parseGranularity(*granularity);
                if ((!spec->safetyBasis.empty() || !spec->utilityBasis.empty()) && (spec->rs < 1 || spec->ru < 1))
                    throw CLI::ValidationError("overlap", "subspace similarity needs --rs and --ru (at least 1)");
                auto s = Store::open(*store);
                const OverlapReport o = reportOverlap(*s, *spec);
                cli.emit(overlapJson(o), *csv ? overlapCsv(o) : overlapText(o));
                return int(ExitOk);
            };
        });
    }
}

} // namespace alignscope::cli
