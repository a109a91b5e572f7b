// SPDX-License-Identifier: MIT
#include "cli.h"

#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/version.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <new>
#include <unistd.h>

namespace alignscope::cli {

namespace {

Cli *g_active = nullptr;  // for the SIGINT handler only

extern "C" void onSigint(int)
{
    if (g_active)
        g_active->cancel.cancel();
    // A second Ctrl-C ends the process at once.
    std::signal(SIGINT, SIG_DFL);
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
    "Exit codes: 0 ok, 1 failure, 2 usage error, 130 cancelled (Ctrl-C).\n"
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
        *out << j.dump(2) << '\n';
    else
        *out << text;
    out->flush();
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
        ->check(CLI::NonNegativeNumber);

    addDoctorCommand(app, cli);
    addModelCommands(app, cli);
    addDemoCommands(app, cli);
    addAnalysisCommands(app, cli);
    addEvalCommand(app, cli);

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
    auto previous = std::signal(SIGINT, onSigint);
    int rc = ExitFailure;
    std::string error;
    try {
        rc = cli.run();
    } catch (const CLI::Error &e) {
        rc = ExitUsage;
        error = e.what();
    } catch (const Cancelled &) {
        rc = ExitCancelled;
        error = "cancelled";
    } catch (const std::bad_alloc &) {
        error = "out of memory";
    } catch (const std::exception &e) {
        error = e.what();
    }
    std::signal(SIGINT, previous);
    g_active = nullptr;

    if (!error.empty()) {
        if (rc != ExitCancelled && rc != ExitUsage)
            rc = ExitFailure;
        // a progress bar on a terminal may have left the cursor mid-line
        err << (::isatty(STDERR_FILENO) == 1 && &err == &std::cerr && !cli.quiet ? "\n" : "") << "alignscope-cli: "
            << error << '\n';
        if (cli.json)
            out << nlohmann::json{{"error", error}, {"exit_code", rc}}.dump(2) << '\n';
    }
    return rc;
}

} // namespace alignscope::cli
