// SPDX-License-Identifier: MIT
// `eval`: attack success rate of a model on harmful prompts (spec §9), with the paper's settings.
#include "cli.h"
#include "validators.h"

#include "alignscope/asr.h"
#include "alignscope/calibration.h"
#include "alignscope/evaluator.h"
#include "alignscope/heads.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/store.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope::cli {

void addEvalCommand(CLI::App &app, Cli &cli)
{
    struct Args {
        std::string dir, outDir, device = "cpu", dtype = "auto", saveModel;
        MeasureArgs m;
        std::string store, granularity = "matrix";
        SelectionSpec selection;
        bool keepTop = false;
        std::string probing, headPool = "top", headAblation = "reference";
        int heads = 0;
        std::uint64_t headSeed = 0;
    };
    auto a = std::make_shared<Args>();
    auto *cmd = app.add_subcommand("eval", "Attack success rate (keyword judge, spec §9.5) of a model on harmful prompts "
                                           "in the paper's settings");
    cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
    addMeasureOptions(cmd, a->m);
    cmd->add_option("--out", a->outDir, "Write the generations as JSONL files with the reference's names and fields "
                                        "(inst_basic.jsonl, …)");
    cmd->add_option("--device", a->device, "cpu, cuda or cuda:N");
    cmd->add_option("--dtype", a->dtype, "Compute dtype: auto, fp32|float32, bf16|bfloat16, fp16|float16")
        ->transform(dtypeName(true, true));
    cmd->add_option("--save-model", a->saveModel, "Write the edited model as a Hugging Face folder (new or empty) that "
                                                  "other tools load, with alignscope_edit.json describing the edit");
    cmd->add_option("--store", a->store, "Store with the scores or bases of a selection to apply in memory first")
        ->check(CLI::ExistingFile);
    addSelectionOptions(cmd, a->selection, a->granularity, a->keepTop, "-set");
    cmd->add_option("--ablate-heads", a->probing, "Probing-result JSON (spec §11; `probe` writes one): ablate the "
                                                  "--heads heads of highest accuracy first (spec §4.6)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--heads", a->heads, "How many heads --ablate-heads ablates")->check(nonNegativeNumber());
    cmd->add_option("--head-pool", a->headPool, "top (deterministic), paper-7b or all-perfect (the reference's draws "
                                                "among heads at accuracy 1, seeded by --head-seed)");
    cmd->add_option("--head-seed", a->headSeed, "Seed of the paper-7b / all-perfect draw")->check(unsignedNumber());
    cmd->add_option("--head-ablation", a->headAblation, "reference (zero residual channels of q/k/v/o as the reference "
                                                        "code) or output (zero the head's columns of o_proj)");
    cmd->callback([&cli, a] {
        cli.run = [&cli, a] {
            resolveModelDir(a->dir);
            resolveMeasure(a->m);
            if (a->m.empty() && a->saveModel.empty())
                throw CLI::ValidationError("eval", "nothing to evaluate: give --prompts, --utility and/or --perplexity");
            const AsrOptions &o = a->m.o;
            const auto goals = a->m.prompts.empty() ? std::vector<std::string>{}
                                                    : readHarmfulPrompts(a->m.prompts, a->m.column, a->m.limit);
            const std::vector<McDoc> docs = readUtilityDocs(a->m);
            const bool select = resolveSelection(a->selection, a->granularity, a->keepTop);
            HeadPool pool = HeadPool::Top;
            HeadAblation how = HeadAblation::Reference;
            try {
                pool = parseHeadPool(a->headPool);
                how = parseHeadAblation(a->headAblation);
            } catch (const std::invalid_argument &e) {
                throw CLI::ValidationError("--head-pool/--head-ablation", e.what());
            }
            if (a->probing.empty() != (a->heads == 0))
                throw CLI::ValidationError("--ablate-heads", "give --ablate-heads FILE and --heads K together");
            if (select && a->store.empty())
                throw CLI::ValidationError("--store", "a selection needs the store that holds its scores or bases");
            auto model = Model::load(a->dir, {a->device, a->dtype});
            auto tok = Tokenizer::load(a->dir);
            EvalPlan plan;
            plan.goals = goals;
            plan.asr = o;
            plan.judges = a->m.judges;
            plan.prefix = a->m.prefix;
            plan.judgeLoad = {a->device, "auto"};
            plan.coherence = a->m.coherence;
            plan.coherenceQuantile = a->m.coherenceQuantile;
            plan.docs = docs;
            plan.perplexityFile = a->m.perplexityFile;
            plan.pplWindow = a->m.pplWindow;
            ModelEdit edit(*model);
            std::unique_ptr<EditEvaluator> evaluator;
            try {
                evaluator = std::make_unique<EditEvaluator>(*model, *tok, edit, plan);
            } catch (const std::invalid_argument &e) {
                throw CLI::ValidationError("--judge", e.what());
            }
            JobContext ctx = cli.jobContext();
            if (a->m.coherence && !goals.empty()) {  // the threshold first: the unedited model's own responses
                JobContext calib = ctx.nested("coherence threshold: ");
                evaluator->coherenceThreshold(&calib);
            }
            nlohmann::json selectionJson;
            std::unique_ptr<Store> store;
            if (select)
                store = Store::open(a->store);
            HeadProbing probing;
            if (!a->probing.empty()) {
                probing = readProbingJson(a->probing);
                if (probing.layers != int(model->config().numLayers) || probing.heads != int(model->config().numHeads))
                    throw DataError(a->probing + ": probes " + std::to_string(probing.layers) + " layers × " +
                                    std::to_string(probing.heads) + " heads, the model has " +
                                    std::to_string(model->config().numLayers) + " × " +
                                    std::to_string(model->config().numHeads));
            }
            const EditMeasurement m = evaluator->evaluate(
                [&](ModelEdit &e, EditMeasurement &) {
                    SelectionReport r;
                    if (select) {
                        r = e.apply(*store, a->selection);
                        selectionJson = {{"unit", r.ranks ? "ranks" : "weights"}, {"removed", r.removedTotal},
                                         {"capacity", r.capacityTotal}, {"fraction", r.fraction()}};
                    }
                    if (!a->probing.empty()) {
                        const std::vector<HeadRef> chosen = chooseAblationHeads(probing, a->heads, pool, a->headSeed);
                        const std::int64_t zeroed = e.ablateHeads(chosen, how);
                        nlohmann::json list = nlohmann::json::array();
                        for (const HeadRef &h : chosen)
                            list.push_back({h.layer, h.head});
                        selectionJson["heads"] = {{"probing", a->probing}, {"pool", headPoolName(pool)},
                                                  {"ablation", headAblationName(how)}, {"ablated", list}, {"zeroed", zeroed}};
                    }
                    if (!a->saveModel.empty()) {
                        e.save(a->saveModel);
                        selectionJson["saved_model"] = a->saveModel;
                    }
                    return r;
                },
                &ctx);
            const double sparsity = m.actualSparsity;
            const std::vector<AsrResult> &results = m.asr;
            nlohmann::json utilityJson, perplexityJson, perplexityDetails;
            std::ostringstream extra;
            if (m.hasUtility) {
                const UtilityResult &u = m.utility;
                nlohmann::json tasks = nlohmann::json::object();
                for (const auto &r : u.tasks) {
                    tasks[r.task] = {{"acc", r.acc}, {"acc_norm", r.accNorm}, {"docs", r.docs}};
                    char buf[160];
                    std::snprintf(buf, sizeof buf, "utility %-20s acc %.3f  acc_norm %.3f  (%d docs)\n", r.task.c_str(),
                                  r.acc, r.accNorm, r.docs);
                    extra << buf;
                }
                utilityJson = {{"tasks", tasks}, {"average", u.average}, {"seconds", u.seconds}};
                extra << "utility average (acc) " << u.average << "\n";
            }
            if (m.hasPerplexity) {
                const PerplexityResult &p = m.perplexity;
                perplexityJson = p.perplexity;
                perplexityDetails = {{"windows", p.windows}, {"window", p.window}, {"tokens", p.tokens},
                                     {"seconds", p.seconds}};
                extra << "perplexity " << p.perplexity << " (" << p.windows << " windows of " << p.window << " tokens)\n";
            }
            nlohmann::json asr = nlohmann::json::object(), details = nlohmann::json::object();
            std::ostringstream t;
            t << "model " << a->dir << ", " << goals.size() << " prompts from " << a->m.prompts << "\n";
            if (!a->saveModel.empty())
                t << "edited model written to " << a->saveModel << "\n";
            if (select)
                t << "edited in memory: " << selectionJson["removed"].get<std::int64_t>() << " "
                  << selectionJson["unit"].get<std::string>() << " removed\n";
            if (selectionJson.contains("heads"))
                t << "ablated " << a->heads << " heads (" << a->headAblation << "): "
                  << selectionJson["heads"]["zeroed"].get<std::int64_t>() << " weights zeroed\n";
            t << "actual sparsity " << sparsity << "\n"
              << "judge: " << o.judge.keywords.size() << " refusal keywords (" << o.judge.source
              << "), at least " << o.judge.minWords << " words\n";
            if (!results.empty())
                t << "chat format: " << results.front().promptFormat << "\n";
            for (const auto &r : results) {
                const std::string key = asrSettingName(r.setting);
                asr[key] = r.asr;
                nlohmann::json d = {{"reference_name", r.name}, {"asr", r.asr}, {"generations", r.generations.size()},
                                    {"chat_format", r.promptFormat},
                                    {"generated_tokens", r.generatedTokens}, {"seconds", r.seconds}};
                if (r.anyOfN >= 0)
                    d["any_of_n"] = r.anyOfN;
                if (!r.perSuffix.empty())
                    d["per_suffix"] = r.perSuffix;
                if (!r.judges.empty()) {  // asr["vanilla.prefix"]: the plain asr["vanilla"] stays the keyword judge's
                    nlohmann::json per = nlohmann::json::object();
                    for (size_t k = 0; k < r.judges.size(); ++k) {
                        asr[key + "." + r.judges[k]] = r.judgeAsr[k];
                        per[r.judges[k]] = r.judgeAsr[k];
                    }
                    d["judges"] = per;
                    d["agreement"] = r.agreement;
                }
                if (r.incoherent >= 0) {
                    asr[key + ".incoherent"] = r.incoherent;
                    d["incoherent"] = r.incoherent;
                    d["incoherent_success"] = r.incoherentSuccess;
                    d["coherence_threshold"] = r.coherenceThreshold;
                }
                details[key] = d;
                char buf[200];
                std::snprintf(buf, sizeof buf, "%-26s ASR %.3f   (%zu generations, %.1f s)", r.name.c_str(), r.asr,
                              r.generations.size(), r.seconds);
                t << buf;
                if (r.anyOfN >= 0)
                    t << "  any of " << o.samples << ": " << r.anyOfN;
                if (!r.perSuffix.empty())
                    t << "  per suffix: " << r.perSuffix[0] << " " << r.perSuffix[1] << " " << r.perSuffix[2];
                t << "\n";
                for (size_t k = 0; k < r.judges.size(); ++k) {
                    std::snprintf(buf, sizeof buf, "%-26s ASR %.3f   (%s judge)\n", "", r.judgeAsr[k], r.judges[k].c_str());
                    t << buf;
                }
                if (!r.judges.empty()) {
                    std::snprintf(buf, sizeof buf, "%-26s all judges agree on %.0f %% of the generations\n", "", 100 * r.agreement);
                    t << buf;
                }
                if (r.incoherent >= 0) {
                    std::snprintf(buf, sizeof buf,
                                  "%-26s incoherent %.3f (log-prob below %.3f); incoherent yet keyword-successful %.3f\n", "",
                                  r.incoherent, r.coherenceThreshold, r.incoherentSuccess);
                    t << buf;
                }
                if (!a->outDir.empty()) {
                    std::filesystem::create_directories(a->outDir);
                    const auto path = std::filesystem::path(a->outDir) / asrJsonlFileName(r.setting, r.inst);
                    const auto tmp = path.string() + ".tmp";
                    {
                        std::ofstream out(tmp, std::ios::binary);
                        out << asrJsonl(r);
                        if (!out)
                            throw std::runtime_error(tmp + ": write failed");
                    }
                    std::filesystem::rename(tmp, path);
                    d["jsonl"] = path.string();
                    details[key] = d;
                }
            }
            t << extra.str();
            cli.emit({{"model", a->dir},
                      {"prompts", a->m.prompts},
                      {"prompt_count", goals.size()},
                      {"inst", o.inst},
                      {"judge", {{"keywords", o.judge.keywords}, {"min_words", o.judge.minWords},
                                 {"source", o.judge.source}}},
                      {"asr", asr},
                      {"asr_details", details},
                      {"actual_sparsity", sparsity},
                      {"utility", utilityJson},
                      {"perplexity", perplexityJson},
                      {"perplexity_details", perplexityDetails},
                      {"selection", selectionJson}},
                     t.str());
            return int(ExitOk);
        };
    });
}

} // namespace alignscope::cli
