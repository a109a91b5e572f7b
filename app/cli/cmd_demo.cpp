// SPDX-License-Identifier: MIT
// `train-demo`: reproduces the shipped demo models (tokenizer, base stage, alignment, evaluation).
#include "cli.h"

#include "alignscope/demo.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace alignscope::cli {

namespace {

nlohmann::json toJson(const DemoEvaluation &e)
{
    return {{"asr_vanilla", e.asrSystem}, {"asr_nosys", e.asrNoSystem}, {"comply_vanilla", e.complySystem},
            {"comply_nosys", e.complyNoSystem}, {"benign_comply", e.benignComply}, {"utility", e.utility},
            {"utility_by_family", e.utilityByFamily}, {"harmful_prompts", e.harmfulPrompts},
            {"benign_prompts", e.benignPrompts}, {"utility_prompts", e.utilityPrompts}, {"seconds", e.seconds}};
}

std::string line(const char *name, const DemoEvaluation &e)
{
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%-10s ASR vanilla %.3f  no-sys %.3f | comply vanilla %.3f  no-sys %.3f | benign %.3f | utility %.3f\n",
                  name, e.asrSystem, e.asrNoSystem, e.complySystem, e.complyNoSystem, e.benignComply, e.utility);
    return buf;
}

} // namespace

void addDemoCommands(CLI::App &app, Cli &cli)
{
    auto out = std::make_shared<std::string>();
    auto o = std::make_shared<DemoTrainOptions>();
    auto *cmd = app.add_subcommand("train-demo", "Train the demo models (demo-base and demo-chat) into a folder and "
                                                 "evaluate them; reproduces resources/models/");
    cmd->add_option("--out", *out, "Output folder (gets demo-base/ and demo-chat/)")->required();
    cmd->add_option("--seed", o->seed, "Seed of the corpus, the initialisation and the batches");
    cmd->add_option("--steps", o->baseSteps, "Base-stage training steps (default 2000)")->check(CLI::Range(1, 1000000));
    cmd->add_option("--align-steps", o->alignSteps, "Alignment steps (default 400)")->check(CLI::Range(1, 1000000));
    cmd->add_option("--batch", o->batch, "Sequences per step (default 32)")->check(CLI::Range(1, 4096));
    cmd->callback([&cli, out, o] {
        cli.run = [&cli, out, o] {
            JobContext ctx = cli.jobContext();
            const DemoTrainResult r = trainDemoModels(*out, *o, &ctx);
            nlohmann::json j = {{"demo_base", r.baseDir},
                                {"demo_chat", r.chatDir},
                                {"base_seconds", r.baseSeconds},
                                {"align_seconds", r.alignSeconds},
                                {"base_final_loss", r.baseFinalLoss},
                                {"align_final_loss", r.alignFinalLoss},
                                {"base", toJson(r.base)},
                                {"chat", toJson(r.chat)}};
            std::ostringstream t;
            char buf[256];
            std::snprintf(buf, sizeof buf, "trained in %.0f s (base, final loss %.3f) + %.0f s (alignment, %.3f)\n",
                          r.baseSeconds, r.baseFinalLoss, r.alignSeconds, r.alignFinalLoss);
            t << buf << line("demo-base", r.base) << line("demo-chat", r.chat) << "models: " << r.baseDir << "\n        "
              << r.chatDir << "\n";
            cli.emit(j, t.str());
            return int(ExitOk);
        };
    });
}

} // namespace alignscope::cli
