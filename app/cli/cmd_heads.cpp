// SPDX-License-Identifier: MIT
// `probe`: per-head linear probes of harmful vs harmless prompts (spec §11), written in the reference's
// probing-result JSON that `eval --ablate-heads` and the application's heads view read.
#include "cli.h"
#include "validators.h"

#include "alignscope/heads.h"
#include "alignscope/model.h"
#include "alignscope/resources.h"
#include "alignscope/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope::cli {

void addHeadCommands(CLI::App &app, Cli &cli)
{
    struct Args {
        std::string dir, harmful, harmless, out, device = "cpu", dtype = "auto";
        ProbeOptions o;
    };
    auto a = std::make_shared<Args>();
    auto *cmd = app.add_subcommand("probe", "Probe every attention head with a linear harmful-vs-harmless classifier "
                                            "(spec §11) and write the reference's probing JSON");
    cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
    cmd->add_option("--harmful", a->harmful, "Harmful instructions: .txt (one per line), .csv (goal/Behavior/prompt "
                                             "column) or a calibration file; default for the demo: its safety set")
        ->check(CLI::ExistingFile);
    cmd->add_option("--harmless", a->harmless, "Harmless instructions, the same formats; default for the demo: its "
                                               "utility set")
        ->check(CLI::ExistingFile);
    cmd->add_option("--out", a->out, "The probing JSON to write ({\"layer-L-head-H\": accuracy})")->required();
    cmd->add_option("--per-class", a->o.perClass, "Prompts per class (default 420, as the paper)")->check(numberIn(4, 1000000));
    cmd->add_option("--seed", a->o.seed, "Seed of the prompt choice and the 5:2 split")->check(unsignedNumber());
    cmd->add_option("--device", a->device, "cpu, cuda or cuda:N");
    cmd->add_option("--dtype", a->dtype, "Compute dtype: auto, fp32|float32, bf16|bfloat16, fp16|float16")
        ->transform(dtypeName(true, true));
    cmd->callback([&cli, a] {
        cli.run = [&cli, a] {
            const bool demo = a->dir.empty();
            resolveModelDir(a->dir);
            const std::string data = resourcesDir() + "/datasets/";
            if (a->harmful.empty() || a->harmless.empty()) {
                if (!demo)
                    throw CLI::ValidationError("probe", "give --harmful and --harmless for a model other than the demo");
                if (a->harmful.empty())
                    a->harmful = data + "safety_full.csv";
                if (a->harmless.empty())
                    a->harmless = data + "utility.csv";
            }
            const auto harmful = readInstructions(a->harmful), harmless = readInstructions(a->harmless);
            auto model = Model::load(a->dir, {a->device, a->dtype});
            auto tok = Tokenizer::load(a->dir);
            JobContext ctx = cli.jobContext();
            HeadProbing p = probeHeads(*model, *tok, harmful, harmless, a->o, &ctx);
            const std::filesystem::path out(a->out);
            if (out.has_parent_path())
                std::filesystem::create_directories(out.parent_path());
            const std::string tmp = a->out + ".tmp";
            {
                std::ofstream f(tmp, std::ios::binary);
                f << probingJson(p);
                if (!f)
                    throw std::runtime_error(tmp + ": write failed");
            }
            std::filesystem::rename(tmp, out);
            const auto [lo, hi] = std::minmax_element(p.accuracy.begin(), p.accuracy.end());
            double mean = 0;
            for (double x : p.accuracy)
                mean += x / double(p.accuracy.size());
            const auto perfect = std::count(p.accuracy.begin(), p.accuracy.end(), 1.0);
            std::ostringstream t;
            char buf[200];
            std::snprintf(buf, sizeof buf, "%d layers x %d heads: mean accuracy %.3f, min %.3f, max %.3f, %lld at 1.0\n",
                          p.layers, p.heads, mean, *lo, *hi, static_cast<long long>(perfect));
            t << p.source << "\n" << buf << "written to " << a->out << "\n";
            cli.emit({{"model", a->dir}, {"harmful", a->harmful}, {"harmless", a->harmless}, {"out", a->out},
                      {"layers", p.layers}, {"heads", p.heads}, {"mean", mean}, {"min", *lo}, {"max", *hi},
                      {"perfect", perfect}, {"source", p.source}},
                     t.str());
            return int(ExitOk);
        };
    });
}

} // namespace alignscope::cli
