// SPDX-License-Identifier: MIT
// `info`, `tokenize`, `prompt` and `generate`: a model folder as the runtime sees it.
#include "cli.h"
#include "validators.h"

#include "alignscope/chat.h"
#include "alignscope/model.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>

namespace alignscope::cli {

namespace {

/** The tokenizer's kind, or "none: " and why it cannot load. */
std::string tokenizerKind(const std::string &dir)
{
    try {
        return Tokenizer::load(dir)->kindName();
    } catch (const std::exception &e) {
        return std::string("none: ") + e.what();
    }
}

/** The chat format's description, or "unusable: " and why. */
std::string promptFormatDescription(const std::string &dir)
{
    try {
        return PromptFormat::forModel(dir).description();
    } catch (const std::exception &e) {
        return std::string("unusable: ") + e.what();
    }
}

std::vector<std::int64_t> parseIds(const std::string &text)
{
    std::vector<std::int64_t> ids;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            size_t used = 0;
            ids.push_back(std::stoll(item, &used));
            if (used != item.size())
                throw std::invalid_argument(item);
        } catch (const std::exception &) {
            throw CLI::ValidationError("--prompt-ids", "'" + item + "' is not a token id");
        }
    }
    if (ids.empty())
        throw CLI::ValidationError("--prompt-ids", "no token ids given");
    return ids;
}

struct PromptArgs {
    std::string dir, prompt, system, templateName = "auto";
    bool noInst = false, llama2System = false;
};

/** The options `prompt` and `generate` share: the user message, system prompt and chat format. */
void addPromptOptions(CLI::App *cmd, PromptArgs &a)
{
    cmd->add_option("--system", a.system, "System prompt (default: none)");
    cmd->add_flag("--llama2-system", a.llama2System, "Use Llama 2's default system prompt (the paper's Vanilla setting)");
    std::string names = "auto, model";
    for (const auto &n : chatTemplateNames())
        names += ", " + n;
    cmd->add_option("--template", a.templateName,
                    "Chat format: " + names + " (auto: the model's own template; the paper's format for Llama 2)");
    cmd->add_flag("--no-inst", a.noInst, "No chat formatting (for Llama 2: the paper's format without [INST] tags)");
}

struct RenderedPrompt {
    PromptFormat format;
    std::string text;
};

RenderedPrompt renderPrompt(const PromptArgs &a)
{
    if (a.llama2System && !a.system.empty())
        throw CLI::ValidationError("--system", "give --system or --llama2-system, not both");
    try {
        PromptFormat f = PromptFormat::forModel(a.dir, a.templateName);
        std::string text = f.format(a.prompt, a.llama2System ? llama2SystemPrompt() : a.system, !a.noInst);
        return {std::move(f), std::move(text)};
    } catch (const std::invalid_argument &e) {
        throw CLI::ValidationError("--template", e.what());
    }
}

struct GenerateArgs : PromptArgs {
    std::string promptIds, dtype = "auto", device = "cpu";
    bool force = false;
    GenerationSettings settings;
};

} // namespace

void addModelCommands(CLI::App &app, Cli &cli)
{
    // ---- info
    {
        auto dir = std::make_shared<std::string>();
        auto *cmd = app.add_subcommand("info", "Describe a Hugging Face model folder: architecture, shapes, parameters, "
                                               "dtype, tokenizer, chat template, memory estimate");
        cmd->add_option("model", *dir, "Model folder (config.json + *.safetensors); default: the bundled demo model")
            ->check(CLI::ExistingDirectory);
        cmd->callback([&cli, dir] {
            cli.run = [&cli, dir] {
                resolveModelDir(*dir);
                const ModelInfo info = inspectModel(*dir);
                const ModelConfig &c = info.config;
                const std::string tok = tokenizerKind(*dir);
                const std::string tmpl = promptFormatDescription(*dir);
                JobShape shape;
                shape.promptTokens = 512;
                shape.newTokens = 256;
                shape.dtypeBytes = resolveComputeDtype("auto", info.storedDtype, "cpu") == "float32" ? 4 : 2;
                const MemoryEstimate gen = estimateMemory(c, shape);
                JobShape snip = shape;
                snip.weightGradients = true;
                const MemoryEstimate grad = estimateMemory(c, snip);
                nlohmann::json j = {
                    {"model", info.dir}, {"architecture", c.architecture}, {"layers", c.numLayers},
                    {"hidden_size", c.hiddenSize}, {"intermediate_size", c.intermediateSize},
                    {"attention_heads", c.numHeads}, {"key_value_heads", c.numKvHeads}, {"head_dim", c.headDim},
                    {"vocab_size", c.vocabSize}, {"parameters", info.storedParameters},
                    {"decoder_linear_parameters", c.decoderLinearParameters()}, {"dtype", info.storedDtype},
                    {"weight_files", info.weightFiles}, {"weight_bytes", info.weightBytes}, {"tokenizer", tok},
                    {"chat_template", tmpl},
                    {"memory_estimate",
                     {{"generation_batch1_512_plus_256", {{"weights", gen.weights}, {"kv_cache", gen.kvCache},
                                                          {"activations", gen.activations}, {"total", gen.total()}}},
                      {"gradients_batch1_512", {{"weights", grad.weights}, {"activations", grad.activations},
                                                {"gradients", grad.gradients}, {"total", grad.total()}}}}}};
                std::ostringstream t;
                t << info.dir << "\n"
                  << "  architecture      " << c.architecture << "\n"
                  << "  layers            " << c.numLayers << "  (hidden " << c.hiddenSize << ", MLP "
                  << c.intermediateSize << ")\n"
                  << "  attention heads   " << c.numHeads << " (" << c.numKvHeads << " key/value, head dim "
                  << c.headDim << ")\n"
                  << "  vocabulary        " << c.vocabSize << "\n"
                  << "  parameters        " << info.storedParameters << "  (" << c.decoderLinearParameters()
                  << " in the " << 7 * c.numLayers << " scored matrices)\n"
                  << "  dtype             " << info.storedDtype << "  (" << formatBytes(info.weightBytes) << " in "
                  << info.weightFiles.size() << " file" << (info.weightFiles.size() == 1 ? "" : "s") << ")\n"
                  << "  tokenizer         " << tok << "\n"
                  << "  chat template     " << tmpl << "\n"
                  << "  memory estimate   " << formatBytes(gen.total()) << " to generate 256 tokens after 512; "
                  << formatBytes(grad.total()) << " for weight gradients of one 512-token example\n";
                cli.emit(j, t.str());
                return int(ExitOk);
            };
        });
    }
    // ---- tokenize
    {
        auto dir = std::make_shared<std::string>();
        auto text = std::make_shared<std::string>();
        auto noSpecial = std::make_shared<bool>(false);
        auto useJson = std::make_shared<std::string>("auto");
        auto *cmd = app.add_subcommand("tokenize", "Token ids and pieces of a text");
        cmd->add_option("model", *dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
        cmd->add_option("--text", *text, "Text to tokenize")->required();
        cmd->add_flag("--no-special", *noSpecial, "Do not add BOS/EOS");
        cmd->add_option("--tokenizer", *useJson, "auto, model (tokenizer.model) or json (tokenizer.json)")
            ->check(CLI::IsMember({"auto", "model", "json"}));
        cmd->callback([&cli, dir, text, noSpecial, useJson] {
            cli.run = [&cli, dir, text, noSpecial, useJson] {
                resolveModelDir(*dir);
                const auto pref = *useJson == "model"  ? TokenizerPreference::SentencePieceModel
                                  : *useJson == "json" ? TokenizerPreference::TokenizerJson
                                                       : TokenizerPreference::Auto;
                auto tok = Tokenizer::load(*dir, pref);
                const auto ids = tok->encode(*text, !*noSpecial);
                const auto pieces = tok->pieces(ids);
                std::ostringstream t;
                for (size_t i = 0; i < ids.size(); ++i)
                    t << ids[i] << "\t" << pieces[i] << "\n";
                cli.emit({{"ids", ids}, {"pieces", pieces}, {"tokenizer", tok->kindName()}}, t.str());
                return int(ExitOk);
            };
        });
    }
    // ---- prompt
    {
        auto a = std::make_shared<PromptArgs>();
        auto *cmd = app.add_subcommand("prompt", "The prompt text and token ids a user message becomes in the model's chat "
                                                 "format (no weights are read)");
        cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
        cmd->add_option("--prompt", a->prompt, "User message")->required();
        addPromptOptions(cmd, *a);
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                resolveModelDir(a->dir);
                const RenderedPrompt r = renderPrompt(*a);
                auto tok = Tokenizer::load(a->dir);
                const auto ids = tok->encodePrompt(r.text);
                const auto pieces = tok->pieces(ids);
                std::ostringstream t;
                t << "template: " << r.format.description() << "\n"
                  << "--- text (" << r.text.size() << " bytes) ---\n"
                  << r.text << "\n"
                  << "--- ids (" << ids.size() << " tokens) ---\n";
                for (size_t i = 0; i < ids.size(); ++i)
                    t << ids[i] << (i + 1 < ids.size() ? " " : "\n");
                cli.emit({{"template", r.format.name()}, {"template_description", r.format.description()},
                          {"text", r.text}, {"ids", ids}, {"pieces", pieces}},
                         t.str());
                return int(ExitOk);
            };
        });
    }
    // ---- generate
    {
        auto a = std::make_shared<GenerateArgs>();
        auto *cmd = app.add_subcommand("generate", "Generate a response (greedy unless --temperature is given)");
        cmd->add_option("model", a->dir, "Model folder; default: the bundled demo model")->check(CLI::ExistingDirectory);
        auto *prompt = cmd->add_option("--prompt", a->prompt, "User message, formatted with the chat template");
        auto *ids = cmd->add_option("--prompt-ids", a->promptIds, "Comma-separated token ids, used as they are");
        prompt->excludes(ids);
        addPromptOptions(cmd, *a);
        cmd->add_flag("--force", a->force, "Run even when the estimate exceeds the memory available");
        cmd->add_option("--max-new-tokens", a->settings.maxNewTokens, "Maximum new tokens (default 256)")->check(numberIn(1, 1 << 20));
        cmd->add_option("--temperature", a->settings.temperature, "Sampling temperature (default: greedy)")->check(numberIn(0.0, 100.0));
        cmd->add_option("--top-p", a->settings.topP, "Nucleus sampling threshold")->check(numberIn(0.0, 1.0, true));
        cmd->add_option("--top-k", a->settings.topK, "Keep the k most likely tokens (0: all)")->check(nonNegativeNumber());
        cmd->add_option("--seed", a->settings.seed, "Sampling seed")->check(unsignedNumber());
        cmd->add_option("--dtype", a->dtype, "Compute dtype: auto, fp32|float32, bf16|bfloat16, fp16|float16")
            ->transform(dtypeName(true, true));
        cmd->add_option("--device", a->device, "cpu, cuda or cuda:N");
        cmd->callback([&cli, a] {
            cli.run = [&cli, a] {
                resolveModelDir(a->dir);
                if (a->prompt.empty() && a->promptIds.empty())
                    throw CLI::ValidationError("generate", "give --prompt or --prompt-ids");
                std::vector<std::int64_t> promptIds;
                std::unique_ptr<Tokenizer> tok;
                std::string used = "ids";
                std::string text;
                if (!a->promptIds.empty()) {
                    promptIds = parseIds(a->promptIds);
                } else {
                    const RenderedPrompt r = renderPrompt(*a);
                    used = r.format.name();
                    text = r.text;
                    tok = Tokenizer::load(a->dir);
                    promptIds = tok->encodePrompt(text);
                    if (!cli.quiet)
                        *cli.err << "template: " << r.format.description() << "\n";
                }
                // estimate first: refuse what cannot fit
                const ModelInfo info = inspectModel(a->dir);
                JobShape shape;
                shape.promptTokens = std::int64_t(promptIds.size());
                shape.newTokens = a->settings.maxNewTokens;
                const std::string dtype = resolveComputeDtype(a->dtype, info.storedDtype, a->device);
                shape.dtypeBytes = dtype == "float32" ? 4 : 2;
                const MemoryEstimate est = estimateMemory(info.config, shape);
                const std::uint64_t avail = availableMemory();
                double etaS = -1;
                if (a->device == "cpu") {
                    // Measuring the machine takes about 0.1 s: worth it only for a job that is not small
                    // anyway. A small one is estimated at a conservative nominal speed instead.
                    const bool small = estimateFlops(info.config, shape) < 2e10 && info.weightBytes < (256u << 20);
                    const MachineSpeed speed = small ? MachineSpeed{10e9, 5e9}
                                                     : MachineSpeed{probeMatmul(512, 2).gflops * 1e9,
                                                                    probeCopyBandwidth(std::int64_t(64) << 20, 3)};
                    etaS = estimateSeconds(info.config, shape, speed);
                }
                if (!cli.quiet)
                    *cli.err << "estimate: " << formatBytes(est.total()) << " of memory (weights "
                             << formatBytes(est.weights) << ", KV cache " << formatBytes(est.kvCache) << "; "
                             << formatBytes(avail) << " available)"
                             << (etaS >= 0 ? ", about " + formatDuration(etaS) : std::string()) << "\n";
                if (a->device == "cpu" && avail > 0 && est.total() > avail && !a->force)
                    throw std::runtime_error("[generate] needs about " + formatBytes(est.total()) + " but only " +
                                             formatBytes(avail) + " of memory is available; give --force to run anyway");

                const auto t0 = std::chrono::steady_clock::now();
                auto model = Model::load(a->dir, {a->device, a->dtype});
                const double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                JobContext ctx = cli.jobContext();
                const auto t1 = std::chrono::steady_clock::now();
                const Generation g = model->generate({promptIds}, a->settings, &ctx).at(0);
                const double genS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
                if (!tok) {
                    try {
                        tok = Tokenizer::load(a->dir);
                    } catch (const ModelError &) {
                    }
                }
                const std::string out = tok ? tok->decode(g.ids) : std::string();
                nlohmann::json j = {{"ids", g.ids}, {"text", out}, {"prompt_ids", promptIds}, {"template", used},
                                    {"estimate", {{"memory_bytes", est.total()}, {"seconds", etaS}}},
                                    {"dtype", model->computeDtype()}, {"hit_eos", g.hitEos},
                                    {"load_seconds", loadS}, {"generate_seconds", genS},
                                    {"tokens_per_second", genS > 0 ? double(g.ids.size()) / genS : 0.0}};
                std::ostringstream t;
                t << (tok ? out : std::string("(no tokenizer: ids only)")) << "\n";
                if (!tok) {
                    for (auto id : g.ids)
                        t << id << ' ';
                    t << "\n";
                }
                cli.emit(j, t.str());
                return int(ExitOk);
            };
        });
    }
}

} // namespace alignscope::cli
