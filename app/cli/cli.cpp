// SPDX-License-Identifier: MIT
#include "cli.h"
#include "validators.h"

#include "alignscope/chat.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/version.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <new>
#include <sstream>
#include <unistd.h>

namespace alignscope::cli {

namespace {

Cli *g_active = nullptr;  // for the SIGINT handler only

volatile std::sig_atomic_t g_terminated = 0;

/** SIGINT (Ctrl-C) and SIGTERM (kill, Slurm before a time limit or on preemption) cancel the job: it stops at the
 *  next check and keeps what it finished, so that a rerun resumes. */
extern "C" void onSignal(int sig)
{
    if (sig == SIGTERM)
        g_terminated = 1;
    if (g_active)
        g_active->cancel.cancel();
    // A second Ctrl-C ends the process at once. SIGTERM may come twice without meaning more (Slurm signals every
    // process of a job, and its batch script forwards the signal too): the job stops as asked, and a process that
    // takes too long gets SIGKILL from whoever sent it.
    if (sig == SIGINT)
        std::signal(sig, SIG_DFL);
}

std::string progressLine(const ProgressEvent &ev)
{
    std::string line = ev.stage;
    if (ev.total > 0) {
        const double frac = std::min(1.0, double(ev.done) / double(ev.total));
        constexpr int width = 28;
        const int filled = int(frac * width + 0.5);
        line = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
        char pct[16];
        std::snprintf(pct, sizeof pct, "%3d%% ", int(frac * 100 + 0.5));
        line += pct + ev.stage;
        if (ev.etaSeconds >= 0 && ev.done < ev.total)
            line += "  ETA " + formatDuration(ev.etaSeconds);
    }
    line += "  (" + formatDuration(ev.elapsedSeconds) + " elapsed)";
    return line;
}

const char *kExitCodes =
    "Exit codes: 0 ok, 1 failure, 2 usage error, 130 cancelled (Ctrl-C), 143 terminated (SIGTERM); a cancelled or\n"
    "terminated job keeps what it finished and resumes when run again.\n"
    "With --json every subcommand prints one JSON object on stdout; progress goes to stderr.";

} // namespace

void resolveModelDir(std::string &dir)
{
    if (!dir.empty())
        return;
    dir = defaultModelDir();
    if (dir.empty())
        throw CLI::ValidationError("model", "no model folder given and no bundled demo model found "
                                            "(set ALIGNSCOPE_DATA_DIR or give a folder)");
}

JobContext Cli::jobContext()
{
    if (quiet || !err)
        return JobContext({}, &cancel);
    const bool tty = ::isatty(STDERR_FILENO) == 1 && err == &std::cerr;
    std::ostream *e = err;
    auto cb = [e, tty](const ProgressEvent &ev) {
        if (tty) {
            *e << "\r\033[K" << progressLine(ev);
            if (ev.total > 0 && ev.done >= ev.total)
                *e << '\n';
        } else {
            *e << progressLine(ev) << '\n';
        }
        e->flush();
    };
    return JobContext(cb, &cancel, tty ? 0.1 : 2.0);
}

void Cli::emit(const nlohmann::json &j, const std::string &text) const
{
    if (json)
        *out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';  // valid UTF-8 whatever a file held
    else
        *out << text;
    out->flush();
}

void addCommands(CLI::App &app, Cli &cli)
{
    addDoctorCommand(app, cli);
    addModelCommands(app, cli);
    addDemoCommands(app, cli);
    addAnalysisCommands(app, cli);
    addHeadCommands(app, cli);
    addEvalCommand(app, cli);
    addSweepCommands(app, cli);
    addSlurmCommands(app, cli);
}

int runCli(int argc, const char *const *argv, std::ostream &out, std::ostream &err)
{
    Cli cli;
    cli.out = &out;
    cli.err = &err;

    CLI::App app{"AlignScope: find where a language model's safety lives (headless command line).",
                 "alignscope-cli"};
    app.footer(kExitCodes);
    app.fallthrough();  // global flags may follow the subcommand: `alignscope-cli doctor --json`
    app.add_flag("--version", cli.version, "Print the program, libtorch and HDF5 versions and exit");
    app.add_flag("--json", cli.json, "Print one JSON object on stdout");
    app.add_flag("-q,--quiet", cli.quiet, "No progress on stderr");
    app.add_option("--threads", cli.threads, "libtorch intra-op threads (default: all hardware threads)")
        ->check(wholeNumber(1, 4096));

    addCommands(app, cli);

    // An unknown first word is a usage error that names it (CLI11 alone would call it an "extra argument").
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads") { ++i; continue; }
        if (!a.empty() && a[0] == '-')
            continue;
        bool known = false;
        for (const CLI::App *sub : app.get_subcommands({}))
            known = known || sub->check_name(a);
        if (!known) {
            err << "alignscope-cli: unknown subcommand '" << a << "'. Available:";
            for (const CLI::App *sub : app.get_subcommands({}))
                err << ' ' << sub->get_name();
            err << ". See alignscope-cli --help.\n";
            return ExitUsage;
        }
        break;
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        out << app.help();
        return ExitOk;
    } catch (const CLI::CallForAllHelp &e) {
        out << app.help("", CLI::AppFormatMode::All);
        return ExitOk;
    } catch (const CLI::ParseError &e) {
        err << "alignscope-cli: " << e.what() << "\nSee alignscope-cli --help.\n";
        return ExitUsage;
    }

    if (cli.version) {
        const VersionInfo v = versionInfo();
        nlohmann::json j = {{"program", "alignscope"}, {"version", v.program}, {"libtorch", v.libtorch},
                            {"hdf5", v.hdf5}, {"cuda", v.cuda}};
        cli.emit(j, "alignscope-cli " + v.program + "\nlibtorch " + v.libtorch + (v.cuda ? " (CUDA)" : " (CPU)") +
                        "\nHDF5 " + v.hdf5 + "\n");
        return ExitOk;
    }
    if (!cli.run) {
        err << "alignscope-cli: no subcommand given.\n" << app.help();
        return ExitUsage;
    }

    configureThreads(cli.threads);
    keepFreedMemory();
    g_active = &cli;
    g_terminated = 0;
    auto previous = std::signal(SIGINT, onSignal);
    auto previousTerm = std::signal(SIGTERM, onSignal);
    int rc = ExitFailure;
    std::string error;
    try {
        rc = cli.run();
    } catch (const CLI::Error &e) {
        rc = ExitUsage;
        error = e.what();
    } catch (const Cancelled &) {
        rc = g_terminated ? ExitTerminated : ExitCancelled;
        error = g_terminated ? "terminated (SIGTERM); what was finished is kept, run the command again to resume"
                             : "cancelled";
    } catch (const std::bad_alloc &) {
        error = "out of memory";
    } catch (const std::exception &e) {
        error = e.what();
    }
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previousTerm);
    g_active = nullptr;

    if (!error.empty()) {
        if (rc != ExitCancelled && rc != ExitTerminated && rc != ExitUsage)
            rc = ExitFailure;
        // a progress bar on a terminal may have left the cursor mid-line
        err << (::isatty(STDERR_FILENO) == 1 && &err == &std::cerr && !cli.quiet ? "\n" : "") << "alignscope-cli: "
            << error << '\n';
        if (cli.json)
            out << nlohmann::json{{"error", error}, {"exit_code", rc}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    return rc;
}

void addMeasureOptions(CLI::App *cmd, MeasureArgs &m)
{
    cmd->add_option("--prompts", m.prompts, "Harmful prompts for the ASR: a TXT file, one per line (like "
                                             "advbench.txt), or a CSV file (column goal or Behavior, or --column)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--utility", m.utilityFiles, "Zero-shot multiple-choice tasks, repeatable: TASK:FILE in the "
                                                  "dataset's JSONL (boolq, rte, arc_easy, arc_challenge, openbookqa, "
                                                  "hellaswag), or FILE with context/choices/gold[/task]");
    cmd->add_option("--utility-limit", m.utilityLimit, "Use the first N documents of each task")
        ->check(nonNegativeNumber());
    cmd->add_option("--perplexity", m.perplexityFile, "A text file for perplexity")->check(CLI::ExistingFile);
    cmd->add_option("--ppl-window", m.pplWindow, "Perplexity window in tokens (default: 4096, or the model's context "
                                                  "if shorter)")
        ->check(positiveNumber());
    cmd->add_option("--column", m.column, "CSV column of the prompts");
    cmd->add_option("--limit", m.limit, "Use the first N prompts (the paper: 100)")->check(nonNegativeNumber());
    cmd->add_option("--asr", m.settings, "Comma-separated settings: vanilla, nosys, suffix, decoding (default "
                                          "vanilla,nosys)");
    cmd->add_flag("--no-inst", m.noInst, "Without the chat template's tags (the reference's no_inst_ variants)");
    std::vector<std::string> formats = {"auto", "model"};
    for (const auto &n : chatTemplateNames())
        formats.push_back(n);
    cmd->add_option("--template", m.o.chatTemplate, "Chat format of the prompts: auto (the model's own template; the "
                                                    "paper's format for Llama 2), model, llama-2, llama-3, chatml, "
                                                    "mistral or none (docs/CHAT_MODELS.md)")
        ->check(CLI::IsMember(formats));
    cmd->add_option("--max-new-tokens", m.o.maxNewTokens, "Greedy generation length (default 256, as the paper)")
        ->check(positiveNumber());
    cmd->add_option("--samples", m.o.samples, "Adv-Decoding samples per prompt (default 5)")->check(positiveNumber());
    cmd->add_option("--temperature", m.o.temperature, "Adv-Decoding temperature (default 1.0)")->check(positiveNumber());
    cmd->add_option("--seed", m.o.seed, "Adv-Decoding seed")->check(unsignedNumber());
    cmd->add_option("--judge-keywords", m.judgeFile, "Refusal keywords: a text file (one per line, '#min_words N') "
                                                      "or JSON {\"keywords\": [...], \"min_words\": N}")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--no-early-stop", m.noEarlyStop, "Generate every response to its end (the verdicts are the same)");
    cmd->add_option("--batch", m.o.batch, "Prompts generated together (default 64)")->check(positiveNumber());
    cmd->add_option("--judge", m.judges, "Judges beside the keyword ASR, comma-separated: keyword, prefix, model:PATH "
                                         "(a judge JSON or a folder with alignscope_judge.json; docs/METHODS.md)");
    cmd->add_option("--prefix", m.prefixes, "The prefix judge's target for every prompt (repeatable; e.g. \"Sure, here "
                                            "is\")");
    cmd->add_option("--prefix-targets", m.prefixTargets, "Per-prompt targets: 'prompts' (the prompts CSV's target "
                                                         "column, AdvBench), a HarmBench targets JSON or a CSV with "
                                                         "goal and target");
    cmd->add_option("--prefix-words", m.prefixWords, "Only the first N words of each target must match")
        ->check(nonNegativeNumber());
    cmd->add_flag("--prefix-ignore-case", m.prefixIgnoreCase, "Compare the prefix ignoring ASCII case");
    cmd->add_flag("--coherence", m.coherence, "Flag responses whose mean token log-probability under the unedited "
                                              "model is below the threshold calibrated on its own responses (with the "
                                              "early stop a refusal is scored up to its refusal phrase; --no-early-stop "
                                              "scores whole responses)");
    cmd->add_option("--coherence-quantile", m.coherenceQuantile, "Quantile of the unedited model's scores that is the "
                                                                  "threshold (default 0.05)")
        ->check(numberIn(0.0, 1.0));
}

void resolveMeasure(MeasureArgs &m)
{
    m.o.settings.clear();
    std::stringstream ss(m.settings);
    for (std::string s; std::getline(ss, s, ',');)
        if (!s.empty()) {
            try {
                m.o.settings.push_back(parseAsrSetting(s));
            } catch (const std::invalid_argument &e) {
                throw CLI::ValidationError("--asr", e.what());
            }
        }
    if (m.o.settings.empty())
        throw CLI::ValidationError("--asr", "no setting given");
    m.o.inst = !m.noInst;
    m.o.earlyStop = !m.noEarlyStop;
    if (!m.judgeFile.empty())
        m.o.judge = loadJudgeConfig(m.judgeFile);
    m.prefix.any = m.prefixes;
    m.prefix.words = m.prefixWords;
    m.prefix.ignoreCase = m.prefixIgnoreCase;
    if (!m.prefixTargets.empty()) {
        if (m.prompts.empty())
            throw CLI::ValidationError("--prefix-targets", "needs --prompts");
        m.prefix.targets = readPromptTargets(m.prompts, m.prefixTargets == "prompts" ? std::string() : m.prefixTargets,
                                             m.column, m.limit);
        m.prefix.source = m.prefixTargets == "prompts" ? m.prompts : m.prefixTargets;
    }
    if (m.judges.find("prefix") != std::string::npos && m.prefix.targets.empty() && m.prefix.any.empty())
        throw CLI::ValidationError("--judge", "the prefix judge needs --prefix TEXT or --prefix-targets");
    if ((m.coherence || !m.judges.empty()) && m.prompts.empty())
        throw CLI::ValidationError("--judge/--coherence", "judge what? give --prompts");
}

std::vector<McDoc> readUtilityDocs(const MeasureArgs &m)
{
    std::vector<McDoc> docs;
    for (const auto &f : m.utilityFiles) {
        const TaskSpec t = parseTaskSpec(f);
        std::vector<McDoc> d;
        try {
            d = readTaskFile(t.task, t.file, m.utilityLimit);
        } catch (const std::invalid_argument &e) {
            throw CLI::ValidationError("--utility", e.what());
        }
        docs.insert(docs.end(), d.begin(), d.end());
    }
    return docs;
}

} // namespace alignscope::cli
