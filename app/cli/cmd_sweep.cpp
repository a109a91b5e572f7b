// SPDX-License-Identifier: MIT
// `sweep`, `sweeps`, `merge`: grids of edits evaluated into the store, their tables, and the
// combination of stores written by several shards.
#include "cli.h"
#include "validators.h"

#include "alignscope/finetune.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace alignscope::cli {

namespace {

std::string cell(double v)
{
    if (std::isnan(v))
        return "-";
    char buf[32];
    if (v == std::floor(v) && std::abs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

/** The table without the per-task utility columns and raw counts (those are in --csv and --json). */
std::string tableText(const SweepTable &t)
{
    std::ostringstream s;
    s << "sweep " << t.name << " (" << t.kind << "): " << t.doneCount() << " of " << t.points() << " points done\n";
    std::vector<size_t> shown, width(t.columns.size(), 0);
    for (size_t c = 0; c < t.columns.size(); ++c)
        if (t.columns[c].rfind("utility_", 0) != 0 && t.columns[c] != "removed" && t.columns[c] != "capacity") {
            shown.push_back(c);
            width[c] = std::max<size_t>(t.columns[c].size(), 7);
        }
    s << "point";
    for (size_t c : shown)
        s << "  " << std::string(width[c] - t.columns[c].size(), ' ') << t.columns[c];
    s << "\n";
    for (int i = 0; i < t.points(); ++i) {
        char idx[16];
        std::snprintf(idx, sizeof idx, "%5d", i);
        s << idx;
        for (size_t c : shown) {
            const std::string v = t.done[size_t(i)] ? cell(t.values[c][size_t(i)]) : std::string("…");
            s << "  " << std::string(width[c] > v.size() ? width[c] - v.size() : 0, ' ') << v;
        }
        s << "\n";
    }
    if (shown.size() < t.columns.size())
        s << "(per-task utility and raw counts: --csv or --json)\n";
    return s.str();
}

std::string tableCsv(const SweepTable &t)
{
    std::ostringstream s;
    s << "point";
    for (const auto &c : t.columns)
        s << "," << c;
    s << "\n";
    for (int i = 0; i < t.points(); ++i) {
        if (!t.done[size_t(i)])
            continue;
        s << i;
        for (size_t c = 0; c < t.columns.size(); ++c) {
            const double v = t.values[c][size_t(i)];
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.15g", v);
            s << "," << (std::isnan(v) ? std::string() : std::string(buf));
        }
        s << "\n";
    }
    return s.str();
}

nlohmann::json tableJson(const SweepTable &t)
{
    nlohmann::json rows = nlohmann::json::array();
    for (int i = 0; i < t.points(); ++i) {
        nlohmann::json r = {{"point", i}, {"done", bool(t.done[size_t(i)])}};
        for (size_t c = 0; c < t.columns.size(); ++c) {
            const double v = t.values[c][size_t(i)];
            r[t.columns[c]] = std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
        }
        rows.push_back(r);
    }
    // the description is JSON written by the sweep; a damaged one is shown as the text it is
    nlohmann::json description = nlohmann::json::parse(t.description, nullptr, /*allow_exceptions=*/false);
    if (description.is_discarded())
        description = t.description;
    return {{"name", t.name}, {"kind", t.kind}, {"columns", t.columns}, {"points", t.points()},
            {"done", t.doneCount()}, {"rows", rows}, {"description", description}};
}

} // namespace

void addSweepCommands(CLI::App &app, Cli &cli)
{
    {
        struct Args {
            std::string dir, store, out, granularity = "matrix", shard = "0/1";
            SweepSpec spec;
            MeasureArgs m;
            bool keepTop = false, noBaseline = false, noGenerations = false;
        };
        auto a = std::make_shared<Args>();
        auto *cmd = app.add_subcommand("sweep", "Evaluate a grid of edits (set difference (p, q), pruning sparsity, "
                                                "ActSVD rank, orthogonal (r_u, r_s)) into the store's results table");
        cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
        cmd->add_option("--store", a->store, "The store with the score or basis sets (results are added to it)")
            ->required()
            ->check(CLI::ExistingFile);
        cmd->add_option("--name", a->spec.name, "Sweep name in the store")
            ->required()
            ->check(CLI::Validator(
                [](std::string &n) { return n.empty() || n.find('/') != std::string::npos ? "a sweep name has no '/'" : ""; },
                "NAME"));
        SelectionSpec &sel = a->spec.selection;
        cmd->add_option("--safety-set", sel.safety, "Safety score set (set difference)");
        cmd->add_option("--utility-set", sel.utility, "Utility score set (set difference)");
        cmd->add_option("--granularity", a->granularity, "Set difference: matrix (the reference code) or row");
        cmd->add_option("--scores", sel.scores, "Score set (per-row pruning)");
        cmd->add_flag("--top-down", sel.topDown, "Per-row pruning of the highest scores");
        cmd->add_option("--basis", sel.basis, "Basis set (ActSVD)");
        cmd->add_flag("--keep-top", a->keepTop, "ActSVD: keep the top m − r ranks instead of removing the top r");
        cmd->add_option("--safety-basis", sel.safetyBasis, "Safety basis set (orthogonal projection)");
        cmd->add_option("--utility-basis", sel.utilityBasis, "Utility basis set (orthogonal projection)");
        cmd->add_flag("--paper-ranks", sel.paperNaming, "r_u and r_s are the subspace dimensions (the paper's naming)");
        cmd->add_option("--random-control", sel.randomSeed,
                        "Set difference or pruning: the matched random control with this seed — in every matrix as "
                        "many weights as the edit removes, drawn at random")
            ->check(wholeNumber(0));
        cmd->add_option("--p", a->spec.ps, "Set difference: utility fractions p (comma-separated)")
            ->delimiter(',')
            ->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--q", a->spec.qs, "Set difference: safety fractions q")->delimiter(',')->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--sparsity", a->spec.sparsities, "Per-row pruning: sparsities")
            ->delimiter(',')
            ->check(numberIn(0.0, 0.999999));
        cmd->add_option("--rank", a->spec.ranks, "ActSVD: ranks r")->delimiter(',')->check(wholeNumber(0));
        cmd->add_option("--ru", a->spec.rus, "Orthogonal projection: r_u values")->delimiter(',')->check(wholeNumber(0));
        cmd->add_option("--rs", a->spec.rss, "Orthogonal projection: r_s values")->delimiter(',')->check(wholeNumber(0));
        cmd->add_flag("--no-baseline", a->noBaseline, "No unedited point 0");
        cmd->add_flag("--no-generations", a->noGenerations, "Do not keep the generations in the store");
        cmd->add_option("--compliance-prefix", a->spec.compliancePrefix,
                        "Also report the fraction of responses that start with this text (e.g. \"Sure, here is\")");
        cmd->add_option("--shard", a->shard, "Run shard k of n: the points i with i mod n = k (0 <= k < n); combine "
                                             "the stores with `merge`");
        cmd->add_option("--out", a->out, "Write the rows into this store (created for the model if missing, without "
                                         "the sets) instead of --store, which then is only read: each shard of a "
                                         "cluster job writes its own, `merge` combines them");
        cmd->add_option("--device", a->spec.load.device, "cpu, cuda or cuda:N");
        cmd->add_option("--dtype", a->spec.load.dtype, "Compute dtype: auto, fp32|float32, bf16|bfloat16, fp16|float16")
            ->transform(dtypeName(true, true));
        addMeasureOptions(cmd, a->m);
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                resolveModelDir(a->dir);
                resolveMeasure(a->m);
                if (a->m.empty())
                    throw CLI::ValidationError("sweep", "nothing to measure: give --prompts, --utility and/or "
                                                        "--perplexity");
                SweepSpec &spec = a->spec;
                if (!resolveSelection(spec.selection, a->granularity, a->keepTop))
                    throw CLI::ValidationError("sweep", "give the sets of the edit: --safety-set/--utility-set, "
                                                        "--scores, --basis, or --safety-basis/--utility-basis");
                spec.prompts = a->m.prompts;
                spec.column = a->m.column;
                spec.limit = a->m.limit;
                spec.asr = a->m.o;
                spec.utility = a->m.utilityFiles;
                spec.utilityLimit = a->m.utilityLimit;
                spec.perplexity = a->m.perplexityFile;
                spec.pplWindow = a->m.pplWindow;
                spec.judges = a->m.judges;
                spec.prefix = a->m.prefix;
                spec.coherence = a->m.coherence;
                spec.coherenceQuantile = a->m.coherenceQuantile;
                spec.baseline = !a->noBaseline;
                spec.keepGenerations = !a->noGenerations;
                SweepShard shard;
                try {
                    shard = parseShard(a->shard);
                } catch (const std::invalid_argument &e) {
                    throw CLI::ValidationError("--shard", e.what());
                }
                JobContext ctx = cli.jobContext();
                const SweepRunResult r = runSweep(a->dir, a->store, spec, shard, &ctx, a->out);
                std::ostringstream t;
                t << "shard " << a->shard << ": " << r.shardPoints << " points, " << r.computed << " computed, "
                  << r.skipped << " already done (" << cell(r.seconds) << " s)"
                  << (a->out.empty() ? std::string() : ", rows in " + a->out) << "\n"
                  << tableText(r.table);
                cli.emit({{"store", a->store}, {"out", a->out.empty() ? a->store : a->out}, {"shard", a->shard},
                          {"shard_points", r.shardPoints},
                          {"computed", r.computed}, {"skipped", r.skipped}, {"seconds", r.seconds},
                          {"sweep", tableJson(r.table)}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    {
        struct Args {
            std::string store, name, setting = "vanilla";
            bool csv = false;
            int point = -1;
        };
        auto a = std::make_shared<Args>();
        auto *cmd = app.add_subcommand("sweeps", "List the sweeps of a store, or print one's table (text, CSV, JSON) "
                                                 "or one point's generations (JSONL)");
        cmd->add_option("store", a->store, "The store file")->required()->check(CLI::ExistingFile);
        cmd->add_option("--name", a->name, "The sweep to print");
        cmd->add_flag("--csv", a->csv, "Print the table as CSV (done points only)");
        cmd->add_option("--generations", a->point, "Print the generations of this point (JSONL, the reference's fields)")
            ->check(nonNegativeNumber());
        cmd->add_option("--setting", a->setting, "ASR setting of --generations (default vanilla)");
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                Store::open(a->store);  // a clear error for a file that is not a store
                if (a->name.empty()) {
                    nlohmann::json list = nlohmann::json::array();
                    std::ostringstream t;
                    for (const auto &n : sweepNames(a->store)) {
                        const SweepTable s = readSweep(a->store, n);
                        list.push_back({{"name", n}, {"kind", s.kind}, {"points", s.points()}, {"done", s.doneCount()}});
                        t << n << "  " << s.kind << "  " << s.doneCount() << "/" << s.points() << " points\n";
                    }
                    if (list.empty())
                        t << "no sweeps in " << a->store << "\n";
                    cli.emit({{"store", a->store}, {"sweeps", list}}, t.str());
                    return int(ExitOk);
                }
                const SweepTable s = readSweep(a->store, a->name);
                if (a->point >= 0) {
                    if (a->point >= s.points())
                        throw CLI::ValidationError("--generations", "the sweep has " + std::to_string(s.points()) +
                                                                        " points");
                    const std::string g = sweepGenerations(a->store, a->name, a->point, a->setting);
                    if (g.empty())
                        throw std::runtime_error(a->store + ": no " + a->setting + " generations kept for point " +
                                                 std::to_string(a->point) + " of " + a->name);
                    *cli.out << g;
                    return int(ExitOk);
                }
                cli.emit(tableJson(s), a->csv ? tableCsv(s) : tableText(s));
                return int(ExitOk);
            };
        });
    }
    {
        auto target = std::make_shared<std::string>();
        auto inputs = std::make_shared<std::vector<std::string>>();
        auto *cmd = app.add_subcommand("merge", "Combine stores of one model (e.g. the shards of a sweep) into TARGET: "
                                                "missing sets are copied, sweep rows are united");
        cmd->add_option("target", *target, "The store to write (created if missing)")->required();
        cmd->add_option("inputs", *inputs, "Stores to merge in")->required()->check(CLI::ExistingFile);
        cmd->callback([&cli, target, inputs] {
            cli.run = [&cli, target, inputs] {
                const MergeResult r = mergeStores(*target, *inputs);
                std::ostringstream t;
                t << "merged " << inputs->size() << " store(s) into " << *target << ": " << r.setsAdded.size()
                  << " sets and " << r.sweepsAdded.size() << " sweeps added, " << r.rowsAdded << " sweep rows added\n";
                cli.emit({{"target", *target}, {"sets_added", r.setsAdded}, {"sweeps_added", r.sweepsAdded},
                          {"rows_added", r.rowsAdded}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    {
        struct Args {
            std::string dir, store, granularity = "matrix", settings = "vanilla", modes = "frozen,rewind", judgeFile;
            FinetuneAttackSpec spec;
            bool csv = false;
        };
        auto a = std::make_shared<Args>();
        auto *cmd = app.add_subcommand("finetune-attack",
                                       "Fine-tune on n harmful demonstrations (spec §10) and measure the ASR, with the "
                                       "safety-critical weights of a selection frozen during training or rewound after");
        cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
        cmd->add_option("--demos", a->spec.demos, "Harmful demonstrations: messages JSONL (pure_bad) or a calibration "
                                                  "file")
            ->required()
            ->check(CLI::ExistingFile);
        cmd->add_option("--n", a->spec.ns, "Numbers of demonstrations (default 10,50,100)")->delimiter(',')->check(wholeNumber(1));
        cmd->add_option("--prompts", a->spec.prompts, "Harmful prompts for the ASR")->required()->check(CLI::ExistingFile);
        cmd->add_option("--column", a->spec.column, "CSV column of the prompts");
        cmd->add_option("--limit", a->spec.limit, "Use the first N prompts (default 100)")->check(nonNegativeNumber());
        cmd->add_option("--asr", a->settings, "ASR settings (default vanilla: inst_ASR_basic, as the reference)");
        cmd->add_option("--max-new-tokens", a->spec.asr.maxNewTokens, "Generation length (default 256)")
            ->check(positiveNumber());
        cmd->add_option("--judge-keywords", a->judgeFile, "Refusal keywords file (see eval)")->check(CLI::ExistingFile);
        cmd->add_option("--store", a->store, "Store with the sets of the frozen selection")->check(CLI::ExistingFile);
        SelectionSpec &sel = a->spec.selection;
        cmd->add_option("--safety-set", sel.safety, "Freeze a set difference: safety score set");
        cmd->add_option("--utility-set", sel.utility, "Freeze a set difference: utility score set");
        cmd->add_option("--p", sel.p, "Set difference: utility fraction p (the frozen fractions are q)")
            ->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--granularity", a->granularity, "Set difference: matrix or row");
        cmd->add_option("--scores", sel.scores, "Freeze a per-row pruning selection of this score set");
        cmd->add_flag("--top-down", sel.topDown, "Per-row pruning: the highest scores (the safety-critical ones)");
        cmd->add_option("--fractions", a->spec.fractions, "Frozen fractions: q of the set difference or the pruning "
                                                          "sparsity (comma-separated)")
            ->delimiter(',')
            ->check(numberIn(0.0, 1.0));
        cmd->add_option("--modes", a->modes, "frozen (gradients masked during training), rewind (restored after), or "
                                             "both (default)");
        cmd->add_option("--epochs", a->spec.train.epochs, "Epochs (default 5)")->check(positiveNumber());
        cmd->add_option("--lr", a->spec.train.lr, "Learning rate (default 5e-5)")->check(positiveNumber());
        cmd->add_option("--batch", a->spec.train.batch, "Batch size (default 10)")->check(positiveNumber());
        cmd->add_option("--weight-decay", a->spec.train.weightDecay, "AdamW weight decay (default 0)")->check(nonNegativeNumber());
        cmd->add_option("--seed", a->spec.train.seed, "Shuffling seed")->check(unsignedNumber());
        cmd->add_option("--system", a->spec.train.system, "System prompt of the training data: pure_bad (default), "
                                                          "base or none")
            ->check(CLI::IsMember({"pure_bad", "base", "none"}));
        cmd->add_flag("--csv", a->csv, "Print the table as CSV");
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                resolveModelDir(a->dir);
                FinetuneAttackSpec &spec = a->spec;
                MeasureArgs m;
                m.settings = a->settings;
                m.judgeFile = a->judgeFile;
                resolveMeasure(m);
                spec.asr.settings = m.o.settings;
                spec.asr.judge = m.o.judge;
                const bool select = resolveSelection(spec.selection, a->granularity, false);
                if (select != !spec.fractions.empty())
                    throw CLI::ValidationError("--fractions", "a frozen selection needs --fractions, and --fractions "
                                                              "needs a selection (--safety-set/--utility-set or --scores)");
                if (select && a->store.empty())
                    throw CLI::ValidationError("--store", "the selection's sets are in a store: give --store");
                spec.modes.clear();
                std::stringstream ss(a->modes);
                for (std::string x; std::getline(ss, x, ',');) {
                    if (x == "frozen")
                        spec.modes.push_back(FreezeMode::Frozen);
                    else if (x == "rewind")
                        spec.modes.push_back(FreezeMode::Rewind);
                    else if (!x.empty())
                        throw CLI::ValidationError("--modes", "unknown mode \"" + x + "\" (frozen, rewind)");
                }
                JobContext ctx = cli.jobContext();
                const FinetuneAttackResult r = runFinetuneAttack(a->dir, a->store, spec, &ctx);
                std::ostringstream t;
                nlohmann::json rows = nlohmann::json::array();
                if (a->csv)
                    t << "n,mode,fraction,frozen_fraction";
                else
                    t << "    n  mode    fraction  frozen %";
                for (const auto &s : r.settings)
                    t << (a->csv ? "," : "  ") << "asr_" << s;
                t << (a->csv ? ",final_loss,seconds\n" : "  final loss  seconds\n");
                for (const auto &row : r.rows) {
                    nlohmann::json asr = nlohmann::json::object();
                    for (size_t k = 0; k < r.settings.size(); ++k)
                        asr[r.settings[k]] = row.asr[k];
                    rows.push_back({{"n", row.n}, {"mode", freezeModeName(row.mode)}, {"fraction", row.fraction},
                                    {"frozen_fraction", row.frozenFraction}, {"asr", asr},
                                    {"final_loss", row.finalLoss}, {"seconds", row.seconds}});
                    char buf[160];
                    if (a->csv)
                        std::snprintf(buf, sizeof buf, "%d,%s,%.15g,%.15g", row.n, freezeModeName(row.mode).c_str(),
                                      row.fraction, row.frozenFraction);
                    else
                        std::snprintf(buf, sizeof buf, "%5d  %-6s  %8.4g  %8.3f", row.n,
                                      freezeModeName(row.mode).c_str(), row.fraction, 100 * row.frozenFraction);
                    t << buf;
                    for (double x : row.asr) {
                        std::snprintf(buf, sizeof buf, a->csv ? ",%.15g" : "  %11.3f", x);
                        t << buf;
                    }
                    std::snprintf(buf, sizeof buf, a->csv ? ",%.15g,%.15g\n" : "  %10.4f  %7.1f\n", row.finalLoss,
                                  row.seconds);
                    t << buf;
                }
                cli.emit({{"model", a->dir}, {"demos", spec.demos}, {"asr_settings", r.settings}, {"rows", rows},
                          {"seconds", r.seconds},
                          {"training", {{"epochs", spec.train.epochs}, {"lr", spec.train.lr}, {"batch", spec.train.batch},
                                        {"weight_decay", spec.train.weightDecay}, {"system", spec.train.system}}}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    {
        struct Args {
            std::string store, out, size = "double", probing, legend, workspace;
            double fontPt = 0;
            double p = -1, q = -1;
        };
        auto a = std::make_shared<Args>();
        auto *cmd = app.add_subcommand("figures", "Render the app's views of a store (layer map, overlap, tradeoff, "
                                                  "matrix; heads with --probing) as PNG, PDF, SVG and CSV, headless "
                                                  "(runs alignscope-figures)");
        cmd->add_option("--store", a->store, "The store")->required()->check(CLI::ExistingFile);
        cmd->add_option("--out", a->out, "Folder for the figures")->required();
        cmd->add_option("--p", a->p, "Set difference p of the layer map (default 0.2)")->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--q", a->q, "Set difference q (default 0.1)")->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--probing", a->probing, "A probing result (JSON of `probe` or the reference's) for the heads view")
            ->check(CLI::ExistingFile);
        cmd->add_option("--size", a->size, "single (one column, 3.25 in) or double (two columns, 6.75 in)")
            ->check(CLI::IsMember({"single", "double"}));
        cmd->add_option("--workspace", a->workspace, "A workspace file of the application (its store, edit, views' options "
                                                     "and ASR points) instead of --store's defaults")
            ->check(CLI::ExistingFile);
        cmd->add_option("--font-pt", a->fontPt, "Every text of the figures in this size (default 8 pt)")->check(numberIn(4.0, 24.0));
        cmd->add_option("--legend", a->legend, "Where legends go: auto (below a narrow figure, else beside), right, below, "
                                               "inside, hidden")
            ->check(CLI::IsMember({"auto", "right", "below", "inside", "hidden"}));
        cmd->callback([&cli, a] {
            cli.run = [&cli, a]() -> int {
                namespace fs = std::filesystem;
                std::error_code ec;
                const fs::path self = fs::read_symlink("/proc/self/exe", ec).parent_path();
                std::string tool;
                for (const fs::path &c : {self / "alignscope-figures", self / ".." / "figures" / "alignscope-figures"})
                    if (fs::exists(c, ec)) {
                        tool = c.string();
                        break;
                    }
                if (tool.empty())
                    tool = "alignscope-figures";  // from PATH
                std::vector<std::string> args = {tool, "store", "--store", a->store, "--out", a->out, "--size", a->size};
                if (a->p >= 0)
                    args.insert(args.end(), {"--p", std::to_string(a->p)});
                if (a->q >= 0)
                    args.insert(args.end(), {"--q", std::to_string(a->q)});
                if (!a->probing.empty())
                    args.insert(args.end(), {"--probing", a->probing});
                if (a->fontPt > 0)
                    args.insert(args.end(), {"--font-pt", std::to_string(a->fontPt)});
                if (!a->legend.empty())
                    args.insert(args.end(), {"--legend", a->legend});
                if (!a->workspace.empty())
                    args.insert(args.end(), {"--workspace", a->workspace});
                std::vector<char *> argv;
                for (auto &x : args)
                    argv.push_back(x.data());
                argv.push_back(nullptr);
                cli.out->flush();
                ::execvp(argv[0], argv.data());
                throw std::runtime_error("cannot run " + tool + " (" + std::strerror(errno) +
                                         "): alignscope-figures is built with the GUI (ALIGNSCOPE_BUILD_GUI)");
            };
        });
    }
}

} // namespace alignscope::cli
