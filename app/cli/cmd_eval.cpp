// SPDX-License-Identifier: MIT
// `eval`: attack success rate of a model on harmful prompts (spec §9), with the paper's settings.
#include "cli.h"

#include "alignscope/asr.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/store.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope::cli {

void addEvalCommand(CLI::App &app, Cli &cli)
{
    struct Args {
        std::string dir, prompts, column, settings = "vanilla,nosys", judgeFile, outDir, device = "cpu", dtype = "auto";
        int limit = 0;
        bool noInst = false, noEarlyStop = false;
        AsrOptions o;
        std::string store, granularity = "matrix", perplexityFile;
        std::vector<std::string> utilityFiles;
        int utilityLimit = 0;
        std::int64_t pplWindow = 0;
        SelectionSpec selection;
        bool keepTop = false;
    };
    auto a = std::make_shared<Args>();
    auto *cmd = app.add_subcommand("eval", "Attack success rate (keyword judge, spec §9.5) of a model on harmful prompts "
                                           "in the paper's settings");
    cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
    cmd->add_option("--prompts", a->prompts, "Harmful prompts for the ASR: a TXT file, one per line (like "
                                             "advbench.txt), or a CSV file (column goal or Behavior, or --column)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--utility", a->utilityFiles, "Zero-shot multiple-choice tasks, repeatable: TASK:FILE in the "
                                                  "dataset's JSONL (boolq, rte, arc_easy, arc_challenge, openbookqa, "
                                                  "hellaswag), or FILE with context/choices/gold[/task]");
    cmd->add_option("--utility-limit", a->utilityLimit, "Use the first N documents of each task")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--perplexity", a->perplexityFile, "A text file for perplexity")->check(CLI::ExistingFile);
    cmd->add_option("--ppl-window", a->pplWindow, "Perplexity window in tokens (default: 4096, or the model's context "
                                                  "if shorter)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--column", a->column, "CSV column of the prompts");
    cmd->add_option("--limit", a->limit, "Use the first N prompts (the paper: 100)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--asr", a->settings, "Comma-separated settings: vanilla, nosys, suffix, decoding (default "
                                          "vanilla,nosys)");
    cmd->add_flag("--no-inst", a->noInst, "Without the chat template's tags (the reference's no_inst_ variants)");
    cmd->add_option("--max-new-tokens", a->o.maxNewTokens, "Greedy generation length (default 256, as the paper)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--samples", a->o.samples, "Adv-Decoding samples per prompt (default 5)")->check(CLI::PositiveNumber);
    cmd->add_option("--temperature", a->o.temperature, "Adv-Decoding temperature (default 1.0)")->check(CLI::PositiveNumber);
    cmd->add_option("--seed", a->o.seed, "Adv-Decoding seed");
    cmd->add_option("--judge-keywords", a->judgeFile, "Refusal keywords: a text file (one per line, '#min_words N') "
                                                      "or JSON {\"keywords\": [...], \"min_words\": N}")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--no-early-stop", a->noEarlyStop, "Generate every response to its end (the verdicts are the same)");
    cmd->add_option("--batch", a->o.batch, "Prompts generated together (default 64)")->check(CLI::PositiveNumber);
    cmd->add_option("--out", a->outDir, "Write the generations as JSONL files with the reference's names and fields "
                                        "(inst_basic.jsonl, …)");
    cmd->add_option("--device", a->device, "cpu, cuda or cuda:N");
    cmd->add_option("--dtype", a->dtype, "Compute dtype: auto, float32, bfloat16, float16");
    cmd->add_option("--store", a->store, "Store with the scores or bases of a selection to apply in memory first")
        ->check(CLI::ExistingFile);
    addSelectionOptions(cmd, a->selection, a->granularity, a->keepTop, "-set");
    cmd->callback([&cli, a] {
        cli.run = [&cli, a] {
            resolveModelDir(a->dir);
            a->o.settings.clear();
            std::stringstream ss(a->settings);
            for (std::string s; std::getline(ss, s, ',');)
                if (!s.empty()) {
                    try {
                        a->o.settings.push_back(parseAsrSetting(s));
                    } catch (const std::invalid_argument &e) {
                        throw CLI::ValidationError("--asr", e.what());
                    }
                }
            if (a->o.settings.empty())
                throw CLI::ValidationError("--asr", "no setting given");
            a->o.inst = !a->noInst;
            a->o.earlyStop = !a->noEarlyStop;
            if (!a->judgeFile.empty())
                a->o.judge = loadJudgeConfig(a->judgeFile);
            if (a->prompts.empty() && a->utilityFiles.empty() && a->perplexityFile.empty())
                throw CLI::ValidationError("eval", "nothing to evaluate: give --prompts, --utility and/or --perplexity");
            const auto goals = a->prompts.empty() ? std::vector<std::string>{}
                                                  : readHarmfulPrompts(a->prompts, a->column, a->limit);
            std::vector<McDoc> docs;
            for (const auto &f : a->utilityFiles) {
                const auto colon = f.find(':');
                const std::string task = colon == std::string::npos ? "generic" : f.substr(0, colon);
                const std::string file = colon == std::string::npos ? f : f.substr(colon + 1);
                std::vector<McDoc> d;
                try {
                    d = readTaskFile(task, file, a->utilityLimit);
                } catch (const std::invalid_argument &e) {
                    throw CLI::ValidationError("--utility", e.what());
                }
                docs.insert(docs.end(), d.begin(), d.end());
            }
            const bool select = resolveSelection(a->selection, a->granularity, a->keepTop);
            if (select && a->store.empty())
                throw CLI::ValidationError("--store", "a selection needs the store that holds its scores or bases");
            auto model = Model::load(a->dir, {a->device, a->dtype});
            auto tok = Tokenizer::load(a->dir);
            ModelEdit edit(*model);
            nlohmann::json selectionJson;
            if (select) {
                auto store = Store::open(a->store);
                const SelectionReport r = edit.apply(*store, a->selection);
                selectionJson = {{"unit", r.ranks ? "ranks" : "weights"}, {"removed", r.removedTotal},
                                 {"capacity", r.capacityTotal}, {"fraction", r.fraction()}};
            }
            const double sparsity = edit.actualSparsity();
            JobContext ctx = cli.jobContext();
            const auto results = goals.empty() ? std::vector<AsrResult>{} : evaluateAsr(*model, *tok, goals, a->o, &ctx);
            nlohmann::json utilityJson, perplexityJson, perplexityDetails;
            std::ostringstream extra;
            if (!docs.empty()) {
                const UtilityResult u = evaluateMultipleChoice(*model, *tok, docs, &ctx);
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
            if (!a->perplexityFile.empty()) {
                const std::int64_t window =
                    a->pplWindow > 0 ? a->pplWindow : std::min<std::int64_t>(4096, model->config().maxPositionEmbeddings);
                const PerplexityResult p = evaluatePerplexity(*model, *tok, a->perplexityFile, window, &ctx);
                perplexityJson = p.perplexity;
                perplexityDetails = {{"windows", p.windows}, {"window", p.window}, {"tokens", p.tokens},
                                     {"seconds", p.seconds}};
                extra << "perplexity " << p.perplexity << " (" << p.windows << " windows of " << p.window << " tokens)\n";
            }
            nlohmann::json asr = nlohmann::json::object(), details = nlohmann::json::object();
            std::ostringstream t;
            t << "model " << a->dir << ", " << goals.size() << " prompts from " << a->prompts << "\n";
            if (select)
                t << "edited in memory: " << selectionJson["removed"].get<std::int64_t>() << " "
                  << selectionJson["unit"].get<std::string>() << " removed\n";
            t << "actual sparsity " << sparsity << "\n"
              << "judge: " << a->o.judge.keywords.size() << " refusal keywords (" << a->o.judge.source
              << "), at least " << a->o.judge.minWords << " words\n";
            for (const auto &r : results) {
                const std::string key = asrSettingName(r.setting);
                asr[key] = r.asr;
                nlohmann::json d = {{"reference_name", r.name}, {"asr", r.asr}, {"generations", r.generations.size()},
                                    {"generated_tokens", r.generatedTokens}, {"seconds", r.seconds}};
                if (r.anyOfN >= 0)
                    d["any_of_n"] = r.anyOfN;
                if (!r.perSuffix.empty())
                    d["per_suffix"] = r.perSuffix;
                details[key] = d;
                char buf[200];
                std::snprintf(buf, sizeof buf, "%-26s ASR %.3f   (%zu generations, %.1f s)", r.name.c_str(), r.asr,
                              r.generations.size(), r.seconds);
                t << buf;
                if (r.anyOfN >= 0)
                    t << "  any of " << a->o.samples << ": " << r.anyOfN;
                if (!r.perSuffix.empty())
                    t << "  per suffix: " << r.perSuffix[0] << " " << r.perSuffix[1] << " " << r.perSuffix[2];
                t << "\n";
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
                      {"prompts", a->prompts},
                      {"prompt_count", goals.size()},
                      {"inst", a->o.inst},
                      {"judge", {{"keywords", a->o.judge.keywords}, {"min_words", a->o.judge.minWords},
                                 {"source", a->o.judge.source}}},
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
