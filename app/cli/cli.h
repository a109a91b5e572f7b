// SPDX-License-Identifier: MIT
// alignscope-cli: the headless front end. Every subcommand registers itself through an
// add*Command() function; all share the global flags, JSON output and progress printing here.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/judges.h"
#include "alignscope/utility.h"
#include "alignscope/jobs.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <iosfwd>
#include <string>

namespace alignscope::cli {

/** Documented exit codes of alignscope-cli. */
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,    ///< the operation failed (bad input file, out of memory, …)
    ExitUsage = 2,      ///< bad command line
    ExitCancelled = 130, ///< interrupted (Ctrl-C / SIGINT)
    ExitTerminated = 143 ///< terminated (SIGTERM: kill, Slurm's time limit or preemption); resumes when rerun
};

/** State shared by the parser, the subcommands and main(). */
struct Cli {
    bool json = false;    ///< print one JSON object on stdout instead of text
    bool quiet = false;   ///< no progress on stderr
    int threads = 0;      ///< libtorch intra-op threads; 0 = all hardware threads
    bool version = false;
    std::function<int()> run;  ///< set by the chosen subcommand's callback
    CancellationToken cancel;  ///< set by SIGINT and SIGTERM
    std::ostream *out = nullptr;  ///< results (text or JSON)
    std::ostream *err = nullptr;  ///< progress, warnings, errors

    /** A JobContext that draws a progress bar with ETA on stderr (unless quiet). */
    JobContext jobContext();
    /** Prints `j` (when --json) or `text` on stdout. */
    void emit(const nlohmann::json &j, const std::string &text) const;
};

/** An empty model argument means the bundled demo model (demo-chat); throws a usage error when none is found. */
void resolveModelDir(std::string &dir);

/** The options of a selection (shared by select and eval, where --utility names the utility tasks and the
 *  score sets are --safety-set / --utility-set). */
void addSelectionOptions(CLI::App *cmd, SelectionSpec &spec, std::string &granularity, bool &keepTop,
                         const std::string &setSuffix = {});
/** Sets the kind from the options given; false when none was given; a usage error when several were. */
bool resolveSelection(SelectionSpec &spec, const std::string &granularity, bool keepTop);

/** What eval and sweep measure: ASR settings, utility tasks, perplexity (their shared options). */
struct MeasureArgs {
    std::string prompts, column, settings = "vanilla,nosys", judgeFile, perplexityFile;
    int limit = 0, utilityLimit = 0;
    bool noInst = false, noEarlyStop = false;
    std::vector<std::string> utilityFiles;
    std::int64_t pplWindow = 0;
    // judges beside the keyword rule (judges.h)
    std::string judges, prefixTargets;
    std::vector<std::string> prefixes;
    int prefixWords = 0;
    bool prefixIgnoreCase = false, coherence = false;
    double coherenceQuantile = kDefaultCoherenceQuantile;
    PrefixConfig prefix;  ///< complete after resolveMeasure
    AsrOptions o;  ///< complete after resolveMeasure
    bool empty() const { return prompts.empty() && utilityFiles.empty() && perplexityFile.empty(); }
};
void addMeasureOptions(CLI::App *cmd, MeasureArgs &m);
/** Completes m.o and m.prefix from the options (settings list, judge file, prefix targets, flags); usage errors name the option. */
void resolveMeasure(MeasureArgs &m);
/** The documents of the --utility files (a usage error names a bad task). */
std::vector<McDoc> readUtilityDocs(const MeasureArgs &m);

void addDoctorCommand(CLI::App &app, Cli &cli);
void addModelCommands(CLI::App &app, Cli &cli);
void addDemoCommands(CLI::App &app, Cli &cli);
void addAnalysisCommands(CLI::App &app, Cli &cli);
void addEvalCommand(CLI::App &app, Cli &cli);
void addSweepCommands(CLI::App &app, Cli &cli);
void addHeadCommands(CLI::App &app, Cli &cli);
void addSlurmCommands(CLI::App &app, Cli &cli);
/** Every subcommand above (runCli's parser; `slurm submit` checks a plan's lines with one of its own). */
void addCommands(CLI::App &app, Cli &cli);

/** Parses argv, runs the chosen subcommand, maps every outcome to an ExitCode. Output to out/err. */
int runCli(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

} // namespace alignscope::cli
