// SPDX-License-Identifier: MIT
#include "alignscope/sweep.h"

#include "alignscope/calibration.h"
#include "alignscope/chat.h"
#include "alignscope/evaluator.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/model_config.h"
#include "alignscope/model_edit.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"
#include "alignscope/version.h"
#include "store/commit.h"
#include "store/files.h"
#include "store/h5.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string kindName(SelectionKind k)
{
    switch (k) {
    case SelectionKind::SetDifference: return "set_difference";
    case SelectionKind::RowPrune: return "row_prune";
    case SelectionKind::ActSvd: return "actsvd";
    case SelectionKind::Orthogonal: return "orthogonal";
    }
    return {};
}

std::string sweepGroup(const std::string &name) { return "/sweeps/" + name; }

std::string pointGroup(const std::string &name, int point)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "point_%06d", point);
    return sweepGroup(name) + "/generations/" + buf;
}

std::string fileFingerprint(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StoreError(path + ": cannot read");
    std::ostringstream s;
    s << in.rdbuf();
    return fingerprintBytes(s.str());
}

void writeTable(const h5::File &f, const SweepTable &t)
{
    const std::string g = sweepGroup(t.name);
    f.createGroups(g);
    f.setAttr(g, "description", t.description);
    f.setAttr(g, "kind", t.kind);
    f.setAttr(g, "columns", nlohmann::json(t.columns).dump());
    f.setAttr(g, "points", std::int64_t(t.points()));
    std::vector<double> flat;
    flat.reserve(t.columns.size() * size_t(t.points()));
    for (const auto &c : t.values)
        flat.insert(flat.end(), c.begin(), c.end());
    f.write(g + "/table", {std::int64_t(t.columns.size()), std::int64_t(t.points())}, h5::Type::F64,
            flat.data(), false);
    std::vector<std::int64_t> done(t.done.begin(), t.done.end());
    f.write(g + "/done", {std::int64_t(done.size())}, h5::Type::I64, done.data(), false);
}

SweepTable readTable(const h5::File &f, const std::string &name)
{
    const std::string g = sweepGroup(name);
    if (!f.exists(g))
        throw StoreError(f.path() + ": no sweep named \"" + name + "\"");
    SweepTable t;
    t.name = name;
    t.description = f.stringAttr(g, "description");
    t.kind = f.stringAttr(g, "kind");
    try {
        t.columns = nlohmann::json::parse(f.stringAttr(g, "columns")).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception &) {
        throw StoreError(f.path() + " (" + g + "): unreadable column list");
    }
    const auto points = f.intAttr(g, "points");
    const auto flat = f.readF64(g + "/table");
    const auto done = f.readI64(g + "/done");
    if (points < 0 || std::uint64_t(points) > done.size() || flat.size() != t.columns.size() * size_t(points) ||
        done.size() != size_t(points))
        throw StoreError(f.path() + " (" + g + "): the table does not match its column list (corrupt store?)");
    if (std::any_of(done.begin(), done.end(), [](std::int64_t d) { return d != 0 && d != 1; }))
        throw StoreError(f.path() + " (" + g + "/done): flags other than 0 and 1 (corrupt store?)");
    for (size_t c = 0; c < t.columns.size(); ++c)
        t.values.emplace_back(flat.begin() + std::ptrdiff_t(c * size_t(points)),
                              flat.begin() + std::ptrdiff_t((c + 1) * size_t(points)));
    for (auto d : done)
        t.done.push_back(d != 0);
    return t;
}

/** Adds the rows of `src`'s sweep that `dst` lacks (with their generations); returns how many. */
int mergeSweepInto(const h5::File &dst, const h5::File &src, const std::string &name)
{
    const SweepTable in = readTable(src, name);
    if (!dst.exists(sweepGroup(name))) {
        dst.createGroups("/sweeps");
        dst.copyFrom(src, sweepGroup(name), sweepGroup(name));
        return in.doneCount();
    }
    SweepTable out = readTable(dst, name);
    if (out.description != in.description || out.columns != in.columns || out.points() != in.points())
        throw StoreError(src.path() + ": the sweep \"" + name + "\" there computes something else than the one in " +
                         dst.path() + " (other grid, sets, prompts or settings); give it another name");
    int added = 0;
    for (int i = 0; i < in.points(); ++i) {
        if (!in.done[size_t(i)] || out.done[size_t(i)])
            continue;
        for (size_t c = 0; c < out.columns.size(); ++c)
            out.values[c][size_t(i)] = in.values[c][size_t(i)];
        out.done[size_t(i)] = true;
        const std::string pg = pointGroup(name, i);
        if (src.exists(pg)) {
            dst.remove(pg);
            dst.createGroups(sweepGroup(name) + "/generations");
            dst.copyFrom(src, pg, pg);
        }
        ++added;
    }
    writeTable(dst, out);
    return added;
}

std::vector<std::string> childrenOf(const h5::File &f, const std::string &g)
{
    return f.exists(g) ? f.children(g) : std::vector<std::string>{};
}

} // namespace

int SweepTable::doneCount() const
{
    int n = 0;
    for (bool d : done)
        n += d;
    return n;
}

int SweepTable::randomControlSeed() const
{
    // written by sweepDescription as selection.random_control; a description that is not JSON has none
    const nlohmann::json j = nlohmann::json::parse(description, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("selection") || !j["selection"].is_object())
        return -1;
    const auto &seed = j["selection"].value("random_control", nlohmann::json());
    return seed.is_number_integer() ? seed.get<int>() : -1;
}

bool SweepTable::hasColumn(const std::string &name) const
{
    return std::find(columns.begin(), columns.end(), name) != columns.end();
}

const std::vector<double> &SweepTable::column(const std::string &name) const
{
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name)
            return values[i];
    std::string all;
    for (const auto &c : columns)
        all += (all.empty() ? "" : ", ") + c;
    throw std::invalid_argument("sweep \"" + this->name + "\" has no column \"" + name + "\" (columns: " + all + ")");
}

SweepShard parseShard(const std::string &text)
{
    const auto slash = text.find('/');
    SweepShard s;
    try {
        if (slash == std::string::npos)
            throw std::invalid_argument("");
        size_t a = 0, b = 0;
        s.index = std::stoi(text.substr(0, slash), &a);
        s.count = std::stoi(text.substr(slash + 1), &b);
        if (a != slash || b != text.size() - slash - 1)
            throw std::invalid_argument("");
    } catch (const std::exception &) {
        throw std::invalid_argument("shard \"" + text + "\" is not k/n (e.g. 0/4)");
    }
    if (s.count < 1 || s.index < 0 || s.index >= s.count)
        throw std::invalid_argument("shard \"" + text + "\": k/n needs n >= 1 and 0 <= k < n");
    return s;
}

std::vector<SweepPoint> sweepPoints(const SweepSpec &spec)
{
    std::vector<SweepPoint> out;
    auto add = [&](SweepPoint p) {
        p.index = int(out.size());
        out.push_back(std::move(p));
    };
    if (spec.baseline) {
        SweepPoint b;
        b.baseline = true;
        add(b);
    }
    const SelectionSpec &base = spec.selection;
    auto need = [&](bool ok, const char *what) {
        if (!ok)
            throw std::invalid_argument(std::string("sweep \"") + spec.name + "\": give " + what);
    };
    auto check = [&](bool ok, const char *axis, double v, const char *range) {
        if (!ok)
            throw std::invalid_argument(std::string("sweep \"") + spec.name + "\": " + axis + " = " +
                                        std::to_string(v) + " is outside " + range);
    };
    for (double v : spec.ps)
        check(v >= 0 && v <= 1, "p", v, "[0, 1]");
    for (double v : spec.qs)
        check(v >= 0 && v <= 1, "q", v, "[0, 1]");
    for (double v : spec.sparsities)
        check(v >= 0 && v < 1, "sparsity", v, "[0, 1)");
    for (auto v : spec.ranks)
        check(v >= 0, "rank", double(v), "[0, m]");
    for (auto v : spec.rus)
        check(v >= 0, "r_u", double(v), "[0, m]");
    for (auto v : spec.rss)
        check(v >= 0, "r_s", double(v), "[0, m]");
    switch (base.kind) {
    case SelectionKind::SetDifference:
        need(!spec.ps.empty() && !spec.qs.empty(), "the p and q values of the set difference");
        for (double p : spec.ps)
            for (double q : spec.qs) {
                SweepPoint x;
                x.spec = base;
                x.spec.p = x.p = p;
                x.spec.q = x.q = q;
                add(x);
            }
        break;
    case SelectionKind::RowPrune:
        need(!spec.sparsities.empty(), "the sparsities of the pruning");
        for (double s : spec.sparsities) {
            SweepPoint x;
            x.spec = base;
            x.spec.sparsity = x.sparsity = s;
            add(x);
        }
        break;
    case SelectionKind::ActSvd:
        need(!spec.ranks.empty(), "the ranks of the ActSVD removal");
        for (std::int64_t r : spec.ranks) {
            SweepPoint x;
            x.spec = base;
            x.spec.rank = x.rank = r;
            add(x);
        }
        break;
    case SelectionKind::Orthogonal:
        need(!spec.rus.empty() && !spec.rss.empty(), "the r_u and r_s values of the orthogonal projection");
        for (std::int64_t ru : spec.rus)
            for (std::int64_t rs : spec.rss) {
                SweepPoint x;
                x.spec = base;
                x.spec.ru = x.ru = ru;
                x.spec.rs = x.rs = rs;
                add(x);
            }
        break;
    }
    return out;
}

std::string sweepDescription(const SweepSpec &spec)
{
    const SelectionSpec &s = spec.selection;
    nlohmann::json sel = {{"kind", kindName(s.kind)}};
    switch (s.kind) {
    case SelectionKind::SetDifference:
        sel.update({{"safety", s.safety}, {"utility", s.utility}, {"granularity", granularityName(s.granularity)},
                    {"p", spec.ps}, {"q", spec.qs}});
        break;
    case SelectionKind::RowPrune:
        sel.update({{"scores", s.scores}, {"top_down", s.topDown}, {"sparsity", spec.sparsities}});
        break;
    case SelectionKind::ActSvd:
        sel.update({{"basis", s.basis}, {"remove_top", s.removeTop}, {"rank", spec.ranks}});
        break;
    case SelectionKind::Orthogonal:
        sel.update({{"safety_basis", s.safetyBasis}, {"utility_basis", s.utilityBasis},
                    {"paper_ranks", s.paperNaming}, {"ru", spec.rus}, {"rs", spec.rss}});
        break;
    }
    if (s.randomSeed >= 0)
        sel["random_control"] = s.randomSeed;
    nlohmann::json settings = nlohmann::json::array();
    for (AsrSetting a : spec.asr.settings)
        settings.push_back(asrSettingName(a));
    nlohmann::json utility = nlohmann::json::array();
    for (const auto &u : spec.utility) {
        const TaskSpec t = parseTaskSpec(u);
        utility.push_back({{"task", t.task}, {"fingerprint", fileFingerprint(t.file)}});
    }
    nlohmann::json j = {
        {"selection", sel},
        {"baseline", spec.baseline},
        {"prompts", spec.prompts.empty() ? "" : fileFingerprint(spec.prompts)},
        {"column", spec.column},
        {"limit", spec.limit},
        {"asr",
         {{"settings", settings},
          {"inst", spec.asr.inst},
          {"max_new_tokens", spec.asr.maxNewTokens},
          {"samples", spec.asr.samples},
          {"temperature", spec.asr.temperature},
          {"seed", spec.asr.seed},
          {"system_prompt", spec.asr.systemPrompt},
          {"judge", {{"keywords", spec.asr.judge.keywords}, {"min_words", spec.asr.judge.minWords}}}}},
        {"judges", spec.judges},
        {"prefix", spec.judges.find("prefix") == std::string::npos
                       ? nlohmann::json()
                       : nlohmann::json{{"targets", fingerprintBytes(nlohmann::json(spec.prefix.targets).dump())},
                                        {"any", spec.prefix.any}, {"ignore_case", spec.prefix.ignoreCase},
                                        {"words", spec.prefix.words}}},
        // with the early stop a refusal's coherence is that of its part up to the refusal phrase (evaluator.h)
        {"coherence", spec.coherence ? nlohmann::json{{"quantile", spec.coherenceQuantile}, {"early_stop", spec.asr.earlyStop}}
                                     : nlohmann::json()},
        {"utility", utility},
        {"utility_limit", spec.utilityLimit},
        {"perplexity", spec.perplexity.empty() ? "" : fileFingerprint(spec.perplexity)},
        {"ppl_window", spec.pplWindow},
        {"keep_generations", spec.keepGenerations},
        {"compliance_prefix", spec.compliancePrefix}};
    if (spec.asr.chatTemplate != "auto")  // only then: the keys of sweeps begun before the option stay the same
        j["asr"]["chat_template"] = spec.asr.chatTemplate;
    if (spec.load.dtype != "auto")  // likewise; the device is where, not what
        j["dtype"] = spec.load.dtype;
    return j.dump();
}

SweepRunResult runSweep(const std::string &modelDir, const std::string &storePath, const SweepSpec &spec,
                        const SweepShard &shard, JobContext *ctx, const std::string &resultsStore)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (spec.name.empty() || spec.name.find('/') != std::string::npos)
        throw std::invalid_argument("invalid sweep name \"" + spec.name + "\" (not empty, no '/')");
    if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
        throw std::invalid_argument("invalid shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count));
    if (spec.prompts.empty() && spec.utility.empty() && spec.perplexity.empty())
        throw std::invalid_argument("sweep \"" + spec.name + "\": nothing to measure (give prompts, utility tasks "
                                    "and/or a perplexity text)");
    const std::vector<SweepPoint> points = sweepPoints(spec);
    const std::string description = sweepDescription(spec);

    // inputs first: every file error before any work
    EvalPlan plan;
    plan.goals = spec.prompts.empty() ? std::vector<std::string>{} : readHarmfulPrompts(spec.prompts, spec.column, spec.limit);
    for (const auto &u : spec.utility) {
        const TaskSpec t = parseTaskSpec(u);
        const auto d = readTaskFile(t.task, t.file, spec.utilityLimit);
        plan.docs.insert(plan.docs.end(), d.begin(), d.end());
    }
    const std::vector<McDoc> &docs = plan.docs;
    const std::vector<std::string> &goals = plan.goals;
    std::vector<std::string> tasks;
    for (const auto &d : docs)
        if (std::find(tasks.begin(), tasks.end(), d.task) == tasks.end())
            tasks.push_back(d.task);
    plan.asr = spec.asr;
    plan.judges = spec.judges;
    plan.prefix = spec.prefix;
    plan.coherence = spec.coherence;
    plan.coherenceQuantile = spec.coherenceQuantile;
    plan.compliancePrefix = spec.compliancePrefix;
    plan.perplexityFile = spec.perplexity;
    plan.pplWindow = spec.pplWindow;
    const std::vector<std::unique_ptr<Judge>> judges =  // the column names; the evaluator makes its own
        spec.judges.empty() ? std::vector<std::unique_ptr<Judge>>{} : makeJudges(spec.judges, spec.asr.judge, spec.prefix);

    auto store = Store::open(storePath);
    const std::string fingerprint = computeModelFingerprint(modelDir);
    if (store->modelFingerprint() != fingerprint)
        throw StoreError(storePath + " belongs to another model than " + modelDir + " (fingerprints differ)");
    for (const auto &p : points)  // every selection is valid before the first evaluation
        if (!p.baseline && p.index == (spec.baseline ? 1 : 0))
            reportSelection(*store, p.spec, modelDir);

    // the columns
    SweepTable table;
    table.name = spec.name;
    table.description = description;
    table.kind = kindName(spec.selection.kind);
    switch (spec.selection.kind) {
    case SelectionKind::SetDifference: table.columns = {"p", "q"}; break;
    case SelectionKind::RowPrune: table.columns = {"sparsity"}; break;
    case SelectionKind::ActSvd: table.columns = {"rank"}; break;
    case SelectionKind::Orthogonal: table.columns = {"ru", "rs"}; break;
    }
    for (const char *c : {"removed", "capacity", "removed_fraction", "actual_sparsity"})
        table.columns.push_back(c);
    for (AsrSetting a : spec.asr.settings) {
        table.columns.push_back("asr_" + asrSettingName(a));
        if (a == AsrSetting::Decoding)
            table.columns.push_back("asr_decoding_any");
        if (a == AsrSetting::Suffix)
            for (int k = 0; k < 3; ++k)
                table.columns.push_back("asr_suffix_" + std::to_string(k));
        if (!spec.compliancePrefix.empty())
            table.columns.push_back("compliance_" + asrSettingName(a));
        for (const auto &j : judges) {
            table.columns.push_back("asr_" + asrSettingName(a) + "_" + j->name());
            if (&j == &judges.back())
                table.columns.push_back("agreement_" + asrSettingName(a));
        }
        if (spec.coherence) {
            table.columns.push_back("incoherent_" + asrSettingName(a));
            table.columns.push_back("incoherent_success_" + asrSettingName(a));
        }
    }
    if (spec.coherence && !goals.empty())
        table.columns.push_back("coherence_threshold");
    for (const auto &t : tasks) {
        table.columns.push_back("utility_" + t);
        table.columns.push_back("utility_" + t + "_norm");
    }
    if (!docs.empty())
        table.columns.push_back("utility");
    if (!spec.perplexity.empty())
        table.columns.push_back("perplexity");
    table.columns.push_back("seconds");
    table.values.assign(table.columns.size(), std::vector<double>(points.size(), kNaN));
    table.done.assign(points.size(), false);
    auto col = [&](const std::string &c) -> std::vector<double> & {
        return table.values[size_t(std::find(table.columns.begin(), table.columns.end(), c) - table.columns.begin())];
    };

    // where the rows go: the store itself, or a results store of the same model
    const std::string &outPath = resultsStore.empty() ? storePath : resultsStore;
    if (!resultsStore.empty()) {
        std::error_code ec;
        if (fs::exists(resultsStore, ec) && fs::equivalent(resultsStore, storePath, ec))
            throw std::invalid_argument(resultsStore + ": the results store is the store of the sets itself (leave it out)");
        if (fs::exists(resultsStore, ec) && Store::open(resultsStore)->modelFingerprint() != fingerprint)
            throw StoreError(resultsStore + " belongs to another model than " + modelDir + " (fingerprints differ)");
    }

    // what the stores already have
    std::set<int> doneInStore;
    for (const std::string *path : {&storePath, &resultsStore}) {
        if (path->empty() || !fs::exists(*path))
            continue;
        h5::File f = h5::File::open(*path, false);
        if (f.exists(sweepGroup(spec.name))) {
            const SweepTable old = readTable(f, spec.name);
            if (old.description != description || old.columns != table.columns)
                throw StoreError(*path + ": a sweep named \"" + spec.name +
                                 "\" that computes something else exists; choose another name");
            for (int i = 0; i < old.points(); ++i)
                if (old.done[size_t(i)])
                    doneInStore.insert(i);
        }
    }

    // the side file: resume it when it holds the same sweep of the same model
    // (one per shard, so that the shards of a sweep may run at once on one store)
    const std::string side = outPath + ".partial-sweep-" + spec.name +
                             (shard.count > 1 ? "-shard" + std::to_string(shard.index) + "of" + std::to_string(shard.count) : "") +
                             ".h5";
    const StoreLock jobLock(side, ctx, false);
    // resumed when it holds the same sweep of the same model: its rows (and generations) are carried into a new
    // side file, as one that a failed write (a full disk) left may be damaged where HDF5 would append
    h5::File previous;
    if (fs::exists(side)) {
        try {
            previous = h5::File::open(side, false);
            const SweepTable before = readTable(previous, spec.name);
            if (previous.stringAttr("/", "model_fingerprint") == fingerprint && before.description == description &&
                before.columns == table.columns && before.points() == table.points())
                table = before;
            else
                previous = h5::File();
        } catch (const StoreError &) {
            previous = h5::File();  // killed mid-write: start afresh
        }
    }
    const std::string fresh = side + ".new";
    TempFile freshGuard{fresh};
    h5::File sideFile = h5::File::create(fresh);
    sideFile.setAttr("/", "format", std::string("alignscope-sweep-partial"));
    sideFile.setAttr("/", "model_fingerprint", fingerprint);
    sideFile.setAttr("/", "created", nowIso());
    if (previous.isOpen())
        for (int i = 0; i < table.points(); ++i) {
            const std::string pg = pointGroup(spec.name, i);
            if (!table.done[size_t(i)] || !previous.exists(pg))
                continue;
            try {
                for (const std::string &setting : previous.children(pg))
                    sideFile.writeBytes(pg + "/" + setting, previous.readBytes(pg + "/" + setting));
            } catch (const StoreError &) {
                table.done[size_t(i)] = false;  // its generations do not read back intact: compute it again
                sideFile.remove(pg);
            }
        }
    previous = h5::File();
    writeTable(sideFile, table);
    sideFile.flush();
    sideFile = h5::File();
    if (::rename(fresh.c_str(), side.c_str()) != 0)
        throw StoreError(side + ": cannot replace the side file: " + std::strerror(errno));
    freshGuard.path.clear();
    sideFile = h5::File::open(side, true);

    SweepRunResult result;
    std::vector<const SweepPoint *> todo;
    for (const auto &p : points) {
        if (p.index % shard.count != shard.index)
            continue;
        ++result.shardPoints;
        if (doneInStore.count(p.index) || table.done[size_t(p.index)])
            ++result.skipped;
        else
            todo.push_back(&p);
    }

    if (!todo.empty()) {
        auto model = Model::load(modelDir, spec.load);
        auto tok = Tokenizer::load(modelDir);
        ModelEdit edit(*model);
        plan.judgeLoad = {spec.load.device, "auto"};
        EditEvaluator evaluator(*model, *tok, edit, plan);
        if (spec.coherence && !goals.empty()) {  // calibrated once, before the first point
            JobContext calib = ctx ? ctx->nested("coherence threshold: ") : JobContext();
            evaluator.coherenceThreshold(ctx ? &calib : nullptr);
        }
        int n = 0;
        for (const SweepPoint *p : todo) {
            if (ctx)
                ctx->checkCancelled();
            const size_t i = size_t(p->index);
            ++n;
            const std::string prefix = "point " + std::to_string(n) + "/" + std::to_string(todo.size()) + ": ";
            JobContext inner = ctx ? ctx->nested(prefix) : JobContext();
            const EditMeasurement m = evaluator.evaluate(
                p->baseline ? EditEvaluator::Apply{}
                            : EditEvaluator::Apply([&](ModelEdit &e, EditMeasurement &) { return e.apply(*store, p->spec); }),
                ctx ? &inner : nullptr);
            switch (spec.selection.kind) {
            case SelectionKind::SetDifference:
                col("p")[i] = p->baseline ? kNaN : p->p;
                col("q")[i] = p->baseline ? kNaN : p->q;
                break;
            case SelectionKind::RowPrune: col("sparsity")[i] = p->baseline ? kNaN : p->sparsity; break;
            case SelectionKind::ActSvd: col("rank")[i] = p->baseline ? kNaN : double(p->rank); break;
            case SelectionKind::Orthogonal:
                col("ru")[i] = p->baseline ? kNaN : double(p->ru);
                col("rs")[i] = p->baseline ? kNaN : double(p->rs);
                break;
            }
            col("removed")[i] = double(m.report.removedTotal);
            col("capacity")[i] = double(m.report.capacityTotal);
            col("removed_fraction")[i] = m.report.capacityTotal ? m.report.fraction() : 0.0;
            col("actual_sparsity")[i] = m.actualSparsity;
            for (size_t k = 0; k < m.asr.size(); ++k) {
                const AsrResult &r = m.asr[k];
                const std::string key = asrSettingName(r.setting);
                col("asr_" + key)[i] = r.asr;
                if (r.setting == AsrSetting::Decoding)
                    col("asr_decoding_any")[i] = r.anyOfN;
                for (size_t j = 0; j < r.perSuffix.size() && j < 3; ++j)
                    col("asr_suffix_" + std::to_string(j))[i] = r.perSuffix[j];
                if (!spec.compliancePrefix.empty())
                    col("compliance_" + key)[i] = m.compliance[k];
                for (size_t j = 0; j < r.judges.size(); ++j)
                    col("asr_" + key + "_" + r.judges[j])[i] = r.judgeAsr[j];
                if (!r.judges.empty())
                    col("agreement_" + key)[i] = r.agreement;
                if (spec.coherence) {
                    col("incoherent_" + key)[i] = r.incoherent;
                    col("incoherent_success_" + key)[i] = r.incoherentSuccess;
                }
                if (spec.keepGenerations)
                    sideFile.writeBytes(pointGroup(spec.name, p->index) + "/" + key, asrJsonl(r));
            }
            if (spec.coherence && !m.asr.empty())
                col("coherence_threshold")[i] = m.coherenceThreshold;
            if (m.hasUtility) {
                for (const auto &t : m.utility.tasks) {
                    col("utility_" + t.task)[i] = t.acc;
                    col("utility_" + t.task + "_norm")[i] = t.accNorm;
                }
                col("utility")[i] = m.utility.average;
            }
            if (m.hasPerplexity)
                col("perplexity")[i] = m.perplexity.perplexity;
            col("seconds")[i] = m.seconds;
            table.done[i] = true;
            writeTable(sideFile, table);
            crashPoint("sweep-row");
            sideFile.flush();
            ++result.computed;
            if (ctx)
                ctx->report(n, std::int64_t(todo.size()), "sweep " + spec.name);
        }
    }

    // commit, under the store's lock, into the store as it is now (other shards may have committed meanwhile)
    store.reset();
    if (ctx)
        ctx->report(0, 1, "writing the store");
    std::error_code sizeError;
    const std::uint64_t sideBytes = fs::file_size(side, sizeError);
    commitStore(outPath, sizeError ? 0 : sideBytes, ctx, [&](h5::File &out, bool existed) {
        if (!existed) {
            if (resultsStore.empty())
                throw StoreError(storePath + ": the store was removed while the sweep ran");
            // a new results store: the root and /model of the store of the sets, none of its sets
            const h5::File from = h5::File::open(storePath, false);
            for (const char *a : {"format", "model_fingerprint", "model_dir", "program_version"})
                out.setAttr("/", a, from.stringAttr("/", a));
            for (const char *a : {"format_version", "num_layers"})
                out.setAttr("/", a, from.intAttr("/", a));
            out.setAttr("/", "created", nowIso());
            out.copyFrom(from, "/model", "/model");
        }
        if (out.stringAttr("/", "model_fingerprint") != fingerprint)
            throw StoreError(outPath + ": the store was replaced by another model's while the sweep ran");
        mergeSweepInto(out, sideFile, spec.name);
        return true;
    });
    sideFile = h5::File();
    std::error_code ec;
    fs::remove(side, ec);
    result.table = readSweep(outPath, spec.name);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (ctx)
        ctx->report(1, 1, "writing the store");
    return result;
}

std::vector<std::string> sweepNames(const std::string &storePath)
{
    h5::File f = h5::File::open(storePath, false);
    return childrenOf(f, "/sweeps");
}

SweepTable readSweep(const std::string &storePath, const std::string &name)
{
    h5::File f = h5::File::open(storePath, false);
    return readTable(f, name);
}

std::string sweepGenerations(const std::string &storePath, const std::string &name, int point,
                             const std::string &setting)
{
    h5::File f = h5::File::open(storePath, false);
    const std::string d = pointGroup(name, point) + "/" + setting;
    return f.exists(d) ? f.readBytes(d) : std::string();
}

MergeResult mergeStores(const std::string &target, const std::vector<std::string> &inputs)
{
    if (inputs.empty())
        throw StoreError("merge: no input stores");
    MergeResult result;
    std::string fingerprint;
    for (const auto &in : inputs) {
        if (fs::exists(target) && fs::equivalent(in, target))
            throw StoreError(in + ": an input is the target store itself");
        const auto s = Store::open(in);  // validates the file
        if (fingerprint.empty())
            fingerprint = s->modelFingerprint();
        else if (s->modelFingerprint() != fingerprint)
            throw StoreError(in + ": belongs to another model (fingerprint " + s->modelFingerprint() + ", not " +
                             fingerprint + ")");
    }
    std::uint64_t inputBytes = 0;
    for (const auto &in : inputs)
        inputBytes += std::uint64_t(fs::file_size(in));
    commitStore(
        target, inputBytes, nullptr,
        [&](h5::File &out, bool existed) {
            size_t first = 0;
            if (existed) {
                if (out.stringAttr("/", "model_fingerprint") != fingerprint)
                    throw StoreError(target + ": belongs to another model than the inputs");
            } else {  // the new store starts as a copy of the first input
                first = 1;
                for (const auto &n : childrenOf(out, "/sets"))
                    result.setsAdded.push_back(n);
                for (const auto &n : childrenOf(out, "/sweeps")) {
                    result.sweepsAdded.push_back(n);
                    result.rowsAdded += readTable(out, n).doneCount();
                }
            }
            for (size_t k = first; k < inputs.size(); ++k) {
                h5::File in = h5::File::open(inputs[k], false);
                for (const auto &n : childrenOf(in, "/sets")) {
                    const std::string g = "/sets/" + n;
                    if (out.exists(g)) {
                        if (in.stringAttr(g, "dataset_fingerprint") != out.stringAttr(g, "dataset_fingerprint") ||
                            in.stringAttr(g, "method") != out.stringAttr(g, "method") ||
                            in.stringAttr(g, "mode") != out.stringAttr(g, "mode"))
                            throw StoreError(inputs[k] + ": the set \"" + n + "\" differs from the one in " + target);
                        continue;
                    }
                    out.copyFrom(in, g, g);
                    result.setsAdded.push_back(n);
                }
                for (const auto &n : childrenOf(in, "/summaries")) {
                    const std::string g = "/summaries/" + n;
                    if (!out.exists(g))
                        out.copyFrom(in, g, g);
                }
                for (const auto &n : childrenOf(in, "/sweeps")) {
                    if (!out.exists(sweepGroup(n)))
                        result.sweepsAdded.push_back(n);
                    result.rowsAdded += mergeSweepInto(out, in, n);
                }
            }
            out.flush();
            Store::open(out.path());  // the result is a valid store
            return true;
        },
        inputs[0]);
    return result;
}

} // namespace alignscope
