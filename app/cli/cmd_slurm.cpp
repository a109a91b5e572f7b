// SPDX-License-Identifier: MIT
// `slurm submit|status|finish`: a plan of score and sweep commands run as Slurm job arrays.
//
//   submit  reads the plan (one `score …` or `sweep …` command per line), checks every line with the
//           command line's own parser, and writes into the run folder: scores.sbatch (an array, one
//           task per score line), sweeps.sbatch (an array, one task per shard of every sweep line),
//           merge.sbatch (one job, after both), submit.sh (the sbatch calls with their dependencies)
//           and run.json (what each task writes where). Then submits, unless --dry-run.
//           Every task writes its own store under stores/ and merges it into the shared store when
//           it is done, so the store fills while the array runs; the merge job merges every task's
//           store again (idempotent) and fails naming what is missing.
//           A task that Slurm warns before its time limit (--signal) stops its command like Ctrl-C
//           (SIGTERM), which keeps what it finished, and requeues itself; the rerun resumes.
//   status  what the tasks have done (their stores and side files) and their jobs' states (squeue)
//   finish  the merge job's work: merge every task's store into the store, check every sweep is complete
#include "cli.h"
#include "validators.h"

#include "alignscope/store.h"
#include "alignscope/sweep.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace alignscope::cli {

namespace fs = std::filesystem;

namespace {

/** One command of the plan. */
struct Step {
    int line = 0;                   ///< where it starts in the plan
    std::vector<std::string> words; ///< the command's words, first the subcommand (score or sweep)
};

/**
 * The words of a shell-like line: blanks separate words; '…' quotes literally; "…" quotes with \" \\ \$ \`
 * escapes; a backslash outside quotes escapes the next character; # at the start of a word begins a comment.
 * `open` says whether the line ended inside quotes (an error for the caller to name).
 */
std::vector<std::string> splitWords(const std::string &line, bool &open)
{
    std::vector<std::string> words;
    std::string w;
    bool inWord = false;
    open = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (inWord)
                words.push_back(w);
            w.clear();
            inWord = false;
        } else if (c == '#' && !inWord) {
            break;
        } else if (c == '\'') {
            const size_t end = line.find('\'', i + 1);
            if (end == std::string::npos) {
                open = true;
                return words;
            }
            w += line.substr(i + 1, end - i - 1);
            i = end;
            inWord = true;
        } else if (c == '"') {
            size_t j = i + 1;
            for (; j < line.size() && line[j] != '"'; ++j) {
                if (line[j] == '\\' && j + 1 < line.size() && std::string("\"\\$`").find(line[j + 1]) != std::string::npos)
                    ++j;
                w += line[j];
            }
            if (j >= line.size()) {
                open = true;
                return words;
            }
            i = j;
            inWord = true;
        } else if (c == '\\' && i + 1 < line.size()) {
            w += line[++i];
            inWord = true;
        } else {
            w += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push_back(w);
    return words;
}

/** A word as the shell reads it back: bare when it is plain, else in single quotes. */
std::string shellQuote(const std::string &w)
{
    const bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./=:,+@%").find(c) != std::string::npos;
    });
    if (plain)
        return w;
    std::string q = "'";
    for (char c : w)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string joinQuoted(const std::vector<std::string> &words)
{
    std::string s;
    for (const auto &w : words)
        s += (s.empty() ? "" : " ") + shellQuote(w);
    return s;
}

/** The value of `--opt X` or `--opt=X` among the words, or empty. */
std::string optionValue(const std::vector<std::string> &words, const std::string &opt)
{
    for (size_t i = 0; i < words.size(); ++i) {
        if (words[i] == opt && i + 1 < words.size())
            return words[i + 1];
        if (words[i].rfind(opt + "=", 0) == 0)
            return words[i].substr(opt.size() + 1);
    }
    return {};
}

bool hasOption(const std::vector<std::string> &words, const std::string &opt)
{
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string &w) { return w == opt || w.rfind(opt + "=", 0) == 0; });
}

/** Reads the plan: one command per line, `\` at the end continues a line, # comments. Throws "PLAN:LINE: …". */
std::vector<Step> readPlan(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot read the plan");
    std::vector<Step> steps;
    std::string text, raw;
    int lineNo = 0, start = 0;
    while (std::getline(in, raw)) {
        ++lineNo;
        if (text.empty())
            start = lineNo;
        if (!raw.empty() && raw.back() == '\r')
            raw.pop_back();
        if (!raw.empty() && raw.back() == '\\') {
            raw.pop_back();
            text += raw + " ";
            continue;
        }
        text += raw;
        bool open = false;
        std::vector<std::string> words = splitWords(text, open);
        const std::string where = path + ":" + std::to_string(start) + ": ";
        text.clear();
        if (open)
            throw std::runtime_error(where + "a quote is not closed");
        if (words.empty())
            continue;
        if (!words.empty() && words[0] == "alignscope-cli")
            words.erase(words.begin());
        if (words.empty() || (words[0] != "score" && words[0] != "sweep"))
            throw std::runtime_error(where + "a plan holds score and sweep commands, not \"" +
                                     (words.empty() ? std::string() : words[0]) + "\"");
        for (const char *opt : {"--store", "--shard", "--out", "--json", "--threads"})
            if (hasOption(words, opt))
                throw std::runtime_error(where + opt + " is not for a plan's line: `slurm submit` sets it for every task");
        if (hasOption(words, "-q") || hasOption(words, "--quiet"))
            throw std::runtime_error(where + "-q is not for a plan's line (the task logs show the progress)");
        steps.push_back({start, std::move(words)});
    }
    if (!text.empty())
        throw std::runtime_error(path + ":" + std::to_string(start) + ": the last line ends in a backslash");
    if (steps.empty())
        throw std::runtime_error(path + ": the plan has no score or sweep command");
    return steps;
}

/** Parses a plan's step with the command line's own parser (nothing runs); throws "PLAN:LINE: …". */
void checkStep(const std::string &plan, const Step &s, const std::string &someFile)
{
    Cli probe;
    CLI::App app;
    app.fallthrough();
    addCommands(app, probe);
    std::vector<std::string> args = s.words;
    args.push_back("--store");
    args.push_back(someFile);  // the store may not exist yet: any file passes the existence check
    std::reverse(args.begin(), args.end());  // CLI11 takes the words last first
    try {
        app.parse(args);
    } catch (const CLI::ParseError &e) {
        throw CLI::ValidationError("plan", plan + ":" + std::to_string(s.line) + ": " + e.what());
    }
}

/** Slurm's name of a job: letters, digits and . _ - only (sacct and squeue print it unquoted). */
std::string jobName(std::string n)
{
    for (char &c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '-';
    return n.empty() ? std::string("alignscope") : n;
}

std::string nowText()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::localtime(&t));
    return buf;
}

/** Seconds of a Slurm time limit: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S; -1 when it is not one (or "infinite"). */
long long slurmSeconds(const std::string &t)
{
    long long days = 0;
    std::string rest = t;
    const size_t dash = t.find('-');
    std::vector<long long> parts;
    auto number = [](const std::string &x, long long &v) {
        if (x.empty() || x.size() > 9 || !std::all_of(x.begin(), x.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        v = std::stoll(x);
        return true;
    };
    if (dash != std::string::npos) {
        if (!number(t.substr(0, dash), days))
            return -1;
        rest = t.substr(dash + 1);
    }
    std::stringstream ss(rest);
    for (std::string x; std::getline(ss, x, ':');) {
        long long v = 0;
        if (!number(x, v))
            return -1;
        parts.push_back(v);
    }
    if (parts.empty() || parts.size() > 3 || (!rest.empty() && rest.back() == ':'))
        return -1;
    if (dash != std::string::npos) {  // D-H[:M[:S]]
        long long s = days * 86400 + parts[0] * 3600;
        if (parts.size() > 1)
            s += parts[1] * 60;
        if (parts.size() > 2)
            s += parts[2];
        return s;
    }
    if (parts.size() == 1)
        return parts[0] * 60;  // minutes
    if (parts.size() == 2)
        return parts[0] * 60 + parts[1];
    return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

struct Resources {
    std::string partition, account, qos, time, mem, gres;
    int cpus = 4, gpus = 0, maxParallel = 0, warnSeconds = 300, maxRequeues = 5;
    std::vector<std::string> extra;  ///< further #SBATCH lines, as given
};

/** The #SBATCH lines every job shares. */
std::string sbatchHeader(const Resources &r, const std::string &name, const std::string &log, const std::string &cwd)
{
    std::ostringstream s;
    s << "#SBATCH --job-name=" << name << "\n"
      << "#SBATCH --output=" << log << "\n"
      << "#SBATCH --open-mode=append\n"  // a requeued task's log continues
      << "#SBATCH --chdir=" << cwd << "\n"
      << "#SBATCH --cpus-per-task=" << r.cpus << "\n";
    if (!r.partition.empty())
        s << "#SBATCH --partition=" << r.partition << "\n";
    if (!r.account.empty())
        s << "#SBATCH --account=" << r.account << "\n";
    if (!r.qos.empty())
        s << "#SBATCH --qos=" << r.qos << "\n";
    if (!r.time.empty())
        s << "#SBATCH --time=" << r.time << "\n";
    if (!r.mem.empty())
        s << "#SBATCH --mem=" << r.mem << "\n";
    if (!r.gres.empty())
        s << "#SBATCH --gres=" << r.gres << "\n";
    else if (r.gpus > 0)
        s << "#SBATCH --gres=gpu:" << r.gpus << "\n";
    for (const auto &x : r.extra)
        s << "#SBATCH " << x << "\n";
    return s.str();
}

/** The part of an array task's script that runs its step: forwards the signals, requeues on the warning. */
std::string taskBody(const Resources &r, const std::string &cli, const std::string &store)
{
    std::ostringstream s;
    s << "cli=" << shellQuote(cli) << "\n"
      << "store=" << shellQuote(store) << "\n"
      << "echo \"[$(date '+%F %T')] task ${SLURM_ARRAY_JOB_ID}_${task} (run $((${SLURM_RESTART_COUNT:-0} + 1))) on "
         "$(hostname): ${step[*]@Q}\"\n"
      << "warned=0\n"
      << "# Slurm's warning before the time limit (--signal): stop like Ctrl-C, which keeps what is done, then requeue\n"
      << "trap 'warned=1; kill -TERM \"$pid\" 2>/dev/null' USR1\n"
      << "# preemption, scancel, a node going down: the command keeps what is done (Slurm requeues with --requeue);\n"
      << "# Slurm may signal the command itself too, and a second SIGTERM changes nothing\n"
      << "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM\n"
      << "\"$cli\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" \"${step[@]}\" &\n"
      << "pid=$!\n"
      << "wait \"$pid\"; rc=$?\n"
      << "while kill -0 \"$pid\" 2>/dev/null; do wait \"$pid\"; rc=$?; done  # a trap ends a wait early\n"
      << "if [[ $rc == 0 ]]; then\n"
      << "  # into the shared store now, so that it fills while the array runs (the merge job does it again)\n"
      << "  \"$cli\" merge \"$store\" \"$out\"; rc=$?\n"
      << "elif [[ $warned == 1 ]]; then\n"
      << "  if (( ${SLURM_RESTART_COUNT:-0} < " << r.maxRequeues << " )); then\n"
      << "    echo \"[$(date '+%F %T')] the time limit is near: requeued, the next run resumes\"\n"
      << "    scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${task}\"\n"
      << "    exit 0\n"
      << "  fi\n"
      << "  echo \"[$(date '+%F %T')] the time limit is near and the task ran " << r.maxRequeues + 1
      << " times: not requeued (raise --time or --max-requeues)\"\n"
      << "fi\n"
      << "echo \"[$(date '+%F %T')] exit $rc\"\n"
      << "exit $rc\n";
    return s.str();
}

void writeFile(const fs::path &p, const std::string &text, bool executable = false)
{
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f)
        throw std::runtime_error(p.string() + ": cannot write");
    if (executable)
        fs::permissions(p, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
}

/** The path of the running program (the CLI the tasks run), or argv-free fallback "alignscope-cli". */
std::string selfPath()
{
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("alignscope-cli") : p.string();
}

/** Runs `command` through the shell; its stdout. */
int runShell(const std::string &command, std::string &output)
{
    FILE *p = ::popen(command.c_str(), "r");
    if (!p)
        return -1;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        output.append(buf.data(), n);
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

nlohmann::json readRun(const std::string &dir)
{
    const fs::path p = fs::path(dir) / "run.json";
    std::ifstream in(p);
    if (!in)
        throw std::runtime_error(p.string() + ": not found (is " + dir + " a folder written by `slurm submit`?)");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    bool ok = !j.is_discarded() && j.is_object() && j.contains("store") && j["store"].is_string() &&
              j.contains("tasks") && j["tasks"].is_array() && j.contains("jobs") && j["jobs"].is_object();
    for (const auto &t : ok ? j["tasks"] : nlohmann::json::array()) {
        ok = ok && t.is_object() && t.value("kind", nlohmann::json()).is_string() &&
             t.value("store", nlohmann::json()).is_string() && t.value("array", nlohmann::json()).is_string() &&
             t.value("task", nlohmann::json()).is_number_integer() && t.value("line", nlohmann::json()).is_number_integer();
        if (ok && t["kind"] == "sweep")
            ok = t.value("sweep", nlohmann::json()).is_string() && t.value("shard", nlohmann::json()).is_number_integer() &&
                 t.value("shards", nlohmann::json()).is_number_integer() && t["shards"].get<int>() > 0;
    }
    for (const auto &[k, v] : ok ? j["jobs"].items() : nlohmann::json::object().items())
        ok = ok && v.is_string();
    if (!ok)
        throw std::runtime_error(p.string() + ": not a run description written by `slurm submit`");
    return j;
}

} // namespace

void addSlurmCommands(CLI::App &app, Cli &cli)
{
    auto *slurm = app.add_subcommand("slurm", "Run a plan of score and sweep commands as Slurm job arrays (submit), "
                                              "follow it (status) and merge its stores (finish)");
    slurm->require_subcommand(1);
    {
        struct Args {
            std::string plan, store, dir, name, cli;
            Resources r;
            int shards = 4;
            bool dryRun = false;
        };
        auto a = std::make_shared<Args>();
        auto *cmd = slurm->add_subcommand(
            "submit", "Write the job scripts of a plan (one `score …` or `sweep …` command per line, without --store) "
                      "into a run folder and submit them: an array of score tasks, an array of sweep shards after "
                      "them, and a merge job after both");
        cmd->add_option("plan", a->plan, "The plan file")->required()->check(CLI::ExistingFile);
        cmd->add_option("--store", a->store, "The store every line shares (the score lines fill it; created if "
                                             "missing)")
            ->required();
        cmd->add_option("--run-dir", a->dir, "Folder for the scripts, logs and the tasks' stores (created)")->required();
        cmd->add_option("--shards", a->shards, "Array tasks per sweep line (default 4)")->check(wholeNumber(1, 100000));
        cmd->add_option("--name", a->name, "Job name prefix: jobs are NAME-score, NAME-sweep, NAME-merge (default: "
                                           "alignscope-RUNDIR)");
        cmd->add_option("--partition", a->r.partition, "Slurm partition");
        cmd->add_option("--account", a->r.account, "Slurm account");
        cmd->add_option("--qos", a->r.qos, "Slurm QOS");
        cmd->add_option("--time", a->r.time, "Time limit of each task (Slurm's format, e.g. 4:00:00)");
        cmd->add_option("--mem", a->r.mem, "Memory of each task (Slurm's format, e.g. 64G)");
        cmd->add_option("--cpus-per-task", a->r.cpus, "CPUs of each task, also its --threads (default 4)")
            ->check(wholeNumber(1, 4096));
        cmd->add_option("--gpus", a->r.gpus, "GPUs of each task (--gres=gpu:N); lines without --device run on cuda")
            ->check(wholeNumber(0, 64));
        cmd->add_option("--gres", a->r.gres, "Generic resources instead of --gpus (e.g. gpu:a100:1)");
        cmd->add_option("--max-parallel", a->r.maxParallel, "Tasks of an array running at once (0: no limit)")
            ->check(wholeNumber(0, 100000));
        cmd->add_option("--warn-before", a->r.warnSeconds, "Seconds before the time limit at which a task stops, "
                                                           "keeps what it did and requeues itself (default 300)")
            ->check(wholeNumber(10, 86400));
        cmd->add_option("--max-requeues", a->r.maxRequeues, "Times a task requeues itself before its limit (default 5)")
            ->check(wholeNumber(0, 1000));
        cmd->add_option("--sbatch", a->r.extra, "A further #SBATCH option for every job (repeatable), e.g. "
                                                "--sbatch=--constraint=a100")
            ->allow_extra_args(false);  // one value per --sbatch: the plan may follow
        cmd->add_option("--cli", a->cli, "The alignscope-cli the tasks run (default: this one)");
        cmd->add_flag("--dry-run", a->dryRun, "Write the scripts and run.json, do not submit (bash RUN/submit.sh does)");
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                if (!a->r.time.empty()) {
                    const long long limit = slurmSeconds(a->r.time);
                    if (limit <= 0)
                        throw CLI::ValidationError("--time", "\"" + a->r.time + "\" is not a Slurm time limit "
                                                             "(minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S)");
                    if (2LL * a->r.warnSeconds > limit)
                        throw CLI::ValidationError("--warn-before", std::to_string(a->r.warnSeconds) +
                                                                        " s is more than half the time limit " +
                                                                        a->r.time + ": a task would stop before it "
                                                                        "did anything; give a shorter --warn-before");
                }
                const std::vector<Step> steps = readPlan(a->plan);
                for (const Step &s : steps)
                    checkStep(a->plan, s, a->plan);
                std::error_code ec;
                fs::create_directories(fs::path(a->dir) / "logs", ec);
                fs::create_directories(fs::path(a->dir) / "stores", ec);
                if (ec)
                    throw std::runtime_error(a->dir + ": cannot create the run folder: " + ec.message());
                const fs::path dir = fs::canonical(a->dir);
                const std::string cwd = fs::current_path().string();
                const std::string store = fs::absolute(a->store).lexically_normal().string();
                const std::string program = a->cli.empty() ? selfPath() : fs::absolute(a->cli).string();
                const std::string name = jobName(a->name.empty() ? "alignscope-" + dir.filename().string() : a->name);
                if (fs::exists(dir / "run.json"))
                    throw std::runtime_error((dir / "run.json").string() + ": the run folder holds a run already "
                                             "(its stores resume a run); choose another --run-dir or remove it");

                // the tasks: score lines, then every shard of every sweep line
                nlohmann::json tasks = nlohmann::json::array();
                std::vector<std::string> scoreCases, sweepCases;
                std::vector<std::string> sweepNamesSeen;
                for (const Step &s : steps) {
                    std::vector<std::string> words = s.words;
                    if ((a->r.gpus > 0 || !a->r.gres.empty()) && !hasOption(words, "--device")) {
                        words.push_back("--device");
                        words.push_back("cuda");
                    }
                    if (words[0] == "score") {
                        const int k = int(scoreCases.size());
                        const std::string out = (dir / "stores" / ("score-" + std::to_string(k) + ".h5")).string();
                        words.insert(words.end(), {"--store", out});
                        scoreCases.push_back("  " + std::to_string(k) + ") step=(" + joinQuoted(words) + "); out=" +
                                             shellQuote(out) + " ;;  # plan line " + std::to_string(s.line));
                        tasks.push_back({{"kind", "score"}, {"line", s.line}, {"array", "score"}, {"task", k},
                                         {"store", out}, {"command", words}});
                        continue;
                    }
                    const std::string sweep = optionValue(words, "--name");
                    if (std::find(sweepNamesSeen.begin(), sweepNamesSeen.end(), sweep) != sweepNamesSeen.end())
                        throw CLI::ValidationError("plan", a->plan + ":" + std::to_string(s.line) + ": a second sweep "
                                                           "named \"" + sweep + "\"");
                    sweepNamesSeen.push_back(sweep);
                    for (int shard = 0; shard < a->shards; ++shard) {
                        const int k = int(sweepCases.size());
                        const std::string of = std::to_string(shard) + "of" + std::to_string(a->shards);
                        const std::string out = (dir / "stores" / ("sweep-" + sweep + "-" + of + ".h5")).string();
                        std::vector<std::string> w = words;
                        w.insert(w.end(), {"--store", store, "--shard",
                                           std::to_string(shard) + "/" + std::to_string(a->shards), "--out", out});
                        sweepCases.push_back("  " + std::to_string(k) + ") step=(" + joinQuoted(w) + "); out=" +
                                             shellQuote(out) + " ;;  # plan line " + std::to_string(s.line) +
                                             ", shard " + std::to_string(shard) + "/" + std::to_string(a->shards));
                        tasks.push_back({{"kind", "sweep"}, {"line", s.line}, {"array", "sweep"}, {"task", k},
                                         {"sweep", sweep}, {"shard", shard}, {"shards", a->shards}, {"store", out},
                                         {"command", w}});
                    }
                }

                const std::string stamp = "# Written by alignscope-cli slurm submit on " + nowText() + " from " +
                                          fs::absolute(a->plan).string() + ".\n";
                auto arrayScript = [&](const std::string &kind, const std::vector<std::string> &cases) {
                    std::ostringstream s;
                    s << "#!/bin/bash\n"
                      << stamp << "# The " << kind << " tasks of the plan: one per "
                      << (kind == "score" ? "score line" : "shard of a sweep line")
                      << "; each writes its own store under stores/ and merges it into the shared store when done.\n"
                      << sbatchHeader(a->r, name + "-" + kind, (dir / "logs" / "%x-%A_%a.log").string(), cwd)
                      << "#SBATCH --array=0-" << cases.size() - 1
                      << (a->r.maxParallel > 0 ? "%" + std::to_string(a->r.maxParallel) : std::string()) << "\n"
                      << "#SBATCH --requeue\n"
                      << "#SBATCH --signal=B:USR1@" << a->r.warnSeconds << "\n"
                      << "set -u\n"
                      << "task=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch (see submit.sh)}\n"
                      << "case $task in\n";
                    for (const auto &c : cases)
                        s << c << "\n";
                    s << "  *) echo \"no task $task in this array\" >&2; exit 2 ;;\n"
                      << "esac\n"
                      << taskBody(a->r, program, store);
                    return s.str();
                };
                if (!scoreCases.empty())
                    writeFile(dir / "scores.sbatch", arrayScript("score", scoreCases), true);
                if (!sweepCases.empty())
                    writeFile(dir / "sweeps.sbatch", arrayScript("sweep", sweepCases), true);
                {
                    std::ostringstream s;
                    s << "#!/bin/bash\n"
                      << stamp << "# The merge job: every task's store into the shared store; fails naming what is "
                                  "missing.\n"
                      << sbatchHeader(Resources{a->r.partition, a->r.account, a->r.qos, "", "", "", 1, 0, 0, 0, 0,
                                                a->r.extra},
                                      name + "-merge", (dir / "logs" / "%x-%j.log").string(), cwd)
                      << "exec " << shellQuote(program) << " slurm finish " << shellQuote(dir.string()) << "\n";
                    writeFile(dir / "merge.sbatch", s.str(), true);
                }
                {
                    std::ostringstream s;
                    s << "#!/bin/bash\n"
                      << stamp << "# Submits the jobs of this run with their dependencies; prints ARRAY JOBID per job.\n"
                      << "set -euo pipefail\n"
                      << "cd " << shellQuote(dir.string()) << "\n"
                      << "after=\n";
                    if (!scoreCases.empty())
                        s << "id=$(sbatch --parsable scores.sbatch); id=${id%%;*}; echo \"score $id\"; "
                             "after=--dependency=afterok:$id\n";
                    if (!sweepCases.empty())
                        s << "id=$(sbatch --parsable $after --kill-on-invalid-dep=yes sweeps.sbatch); id=${id%%;*}; "
                             "echo \"sweep $id\"; after=--dependency=afterany:$id\n";
                    else if (!scoreCases.empty())
                        s << "after=--dependency=afterany:$id\n";
                    s << "id=$(sbatch --parsable $after merge.sbatch); id=${id%%;*}; echo \"merge $id\"\n";
                    writeFile(dir / "submit.sh", s.str(), true);
                }
                nlohmann::json run = {{"plan", fs::absolute(a->plan).string()}, {"store", store}, {"name", name},
                                      {"cli", program}, {"created", nowText()}, {"shards", a->shards},
                                      {"tasks", tasks}, {"jobs", nlohmann::json::object()}};
                writeFile(dir / "run.json", run.dump(2) + "\n");

                std::ostringstream t;
                t << "wrote " << dir.string() << ": " << scoreCases.size() << " score task(s), " << sweepCases.size()
                  << " sweep task(s) (" << sweepNamesSeen.size() << " sweep(s) × " << a->shards << " shards), "
                  << "1 merge job\n";
                if (a->dryRun) {
                    t << "not submitted (--dry-run): bash " << (dir / "submit.sh").string() << "\n";
                } else {
                    std::string output;
                    const int rc = runShell("bash " + shellQuote((dir / "submit.sh").string()) + " 2>&1", output);
                    std::istringstream lines(output);
                    for (std::string kind, id; lines >> kind >> id;)
                        if (kind == "score" || kind == "sweep" || kind == "merge")
                            run["jobs"][kind] = id;
                    writeFile(dir / "run.json", run.dump(2) + "\n");
                    if (rc != 0)
                        throw std::runtime_error("sbatch failed (" + (dir / "submit.sh").string() + "): " + output);
                    for (const auto &[kind, id] : run["jobs"].items())
                        t << "submitted " << name << "-" << kind << ": job " << id.get<std::string>() << "\n";
                    t << "follow it: alignscope-cli slurm status " << dir.string() << "   (logs in "
                      << (dir / "logs").string() << ")\n";
                }
                cli.emit({{"run_dir", dir.string()}, {"store", store}, {"name", name}, {"tasks", tasks},
                          {"jobs", run["jobs"]}, {"submitted", !a->dryRun}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    {
        auto dir = std::make_shared<std::string>();
        auto *cmd = slurm->add_subcommand("status", "What the tasks of a run have done and their jobs' states");
        cmd->add_option("run-dir", *dir, "The run folder of `slurm submit`")->required()->check(CLI::ExistingDirectory);
        cmd->callback([&cli, dir] {
            cli.run = [&cli, dir] {
                const nlohmann::json run = readRun(*dir);
                // the jobs' states from squeue (absent when they have ended or Slurm is not here)
                std::map<std::string, std::string> states;  // "ARRAY_TASK" or "JOB" -> state
                std::string jobs;
                for (const auto &[kind, id] : run["jobs"].items())
                    jobs += (jobs.empty() ? "" : ",") + id.get<std::string>();
                if (!jobs.empty()) {
                    std::string out;
                    if (runShell("squeue -h -r -j " + shellQuote(jobs) + " -o '%i %T' 2>/dev/null", out) == 0) {
                        std::istringstream in(out);
                        for (std::string id, state; in >> id >> state;)
                            states[id] = state;
                    }
                }
                nlohmann::json rows = nlohmann::json::array();
                std::ostringstream t;
                t << "run " << run.value("name", "") << " → " << run["store"].get<std::string>() << "\n";
                for (const auto &task : run["tasks"]) {
                    const std::string kind = task["kind"], out = task["store"];
                    const std::string array = task["array"];
                    std::string jobState;
                    if (run["jobs"].contains(array)) {
                        const auto it = states.find(run["jobs"][array].get<std::string>() + "_" +
                                                    std::to_string(task["task"].get<int>()));
                        jobState = it != states.end() ? it->second : "";
                    }
                    std::string what;
                    int done = -1, points = -1;
                    if (kind == "sweep") {
                        const std::string sweep = task["sweep"];
                        const int shard = task["shard"], shards = task["shards"];
                        try {
                            if (fs::exists(out)) {
                                const SweepTable s = readSweep(out, sweep);
                                done = points = 0;
                                for (int i = shard; i < s.points(); i += shards) {
                                    ++points;
                                    done += s.done[size_t(i)] ? 1 : 0;
                                }
                                what = std::to_string(done) + "/" + std::to_string(points) + " points in its store";
                            } else {
                                what = fs::exists(out + ".partial-sweep-" + sweep + "-shard" + std::to_string(shard) +
                                                  "of" + std::to_string(shards) + ".h5")
                                           ? "points in progress (side file)"
                                           : "not started";
                            }
                        } catch (const std::exception &e) {
                            what = std::string("unreadable: ") + e.what();
                        }
                    } else {
                        what = fs::exists(out) ? "store written" : "not done";
                    }
                    char label[160];
                    std::snprintf(label, sizeof label, "%-6s %3d  %-28s", kind.c_str(), task["task"].get<int>(),
                                  kind == "sweep" ? (task["sweep"].get<std::string>() + " shard " +
                                                     std::to_string(task["shard"].get<int>()) + "/" +
                                                     std::to_string(task["shards"].get<int>()))
                                                        .c_str()
                                                  : ("plan line " + std::to_string(task["line"].get<int>())).c_str());
                    t << label << "  " << (jobState.empty() ? std::string("-") : jobState) << "  " << what << "\n";
                    nlohmann::json row = {{"kind", kind}, {"task", task["task"]}, {"store", out}, {"state", jobState},
                                          {"progress", what}};
                    if (done >= 0)
                        row["done"] = done, row["points"] = points;
                    rows.push_back(row);
                }
                const std::string store = run["store"];
                if (fs::exists(store)) {
                    for (const auto &n : sweepNames(store)) {
                        const SweepTable s = readSweep(store, n);
                        t << "store: sweep " << n << " " << s.doneCount() << "/" << s.points() << " points\n";
                    }
                }
                cli.emit({{"run_dir", *dir}, {"store", store}, {"jobs", run["jobs"]}, {"tasks", rows}}, t.str());
                return int(ExitOk);
            };
        });
    }
    {
        auto dir = std::make_shared<std::string>();
        auto *cmd = slurm->add_subcommand("finish", "Merge the stores of a run's tasks into its store and check that "
                                                    "every sweep is complete (the merge job runs this)");
        cmd->add_option("run-dir", *dir, "The run folder of `slurm submit`")->required()->check(CLI::ExistingDirectory);
        cmd->callback([&cli, dir] {
            cli.run = [&cli, dir] {
                const nlohmann::json run = readRun(*dir);
                const std::string store = run["store"];
                std::vector<std::string> inputs, missing;
                for (const auto &task : run["tasks"]) {
                    const std::string out = task["store"];
                    (fs::exists(out) ? inputs : missing).push_back(out);
                }
                MergeResult m;
                if (!inputs.empty())
                    m = mergeStores(store, inputs);
                std::ostringstream t;
                t << "merged " << inputs.size() << " task store(s) into " << store << ": " << m.setsAdded.size()
                  << " sets, " << m.rowsAdded << " sweep rows added\n";
                nlohmann::json sweeps = nlohmann::json::array();
                std::vector<std::string> incomplete;
                const std::vector<std::string> names = fs::exists(store) ? sweepNames(store) : std::vector<std::string>{};
                for (const auto &task : run["tasks"]) {
                    if (task["kind"] != "sweep" || task["shard"] != 0)
                        continue;
                    const std::string n = task["sweep"];
                    if (std::find(names.begin(), names.end(), n) == names.end()) {
                        incomplete.push_back(n + " (no rows)");
                        continue;
                    }
                    const SweepTable s = readSweep(store, n);
                    sweeps.push_back({{"name", n}, {"points", s.points()}, {"done", s.doneCount()}});
                    t << "sweep " << n << ": " << s.doneCount() << "/" << s.points() << " points\n";
                    if (s.doneCount() < s.points()) {
                        std::string pts;
                        for (int i = 0; i < s.points(); ++i)
                            if (!s.done[size_t(i)])
                                pts += (pts.empty() ? "" : ",") + std::to_string(i);
                        incomplete.push_back(n + " (points " + pts + " missing)");
                    }
                }
                cli.emit({{"store", store}, {"merged", inputs}, {"missing_stores", missing}, {"sweeps", sweeps},
                          {"sets_added", m.setsAdded}, {"rows_added", m.rowsAdded}},
                         t.str());
                if (!missing.empty() || !incomplete.empty()) {
                    std::string why;
                    for (const auto &x : missing)
                        why += "\n  no store: " + x + " (its task failed or has not run; see the logs)";
                    for (const auto &x : incomplete)
                        why += "\n  incomplete sweep: " + x;
                    throw std::runtime_error(store + ": the run is not complete:" + why +
                                             "\n  submit the run again (bash " + *dir + "/submit.sh): finished work is "
                                             "kept and every task resumes");
                }
                return int(ExitOk);
            };
        });
    }
}

} // namespace alignscope::cli
