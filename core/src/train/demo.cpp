// SPDX-License-Identifier: MIT
#include "alignscope/demo.h"

#include "alignscope/bpe_learner.h"
#include "alignscope/chat.h"
#include "alignscope/demo_corpus.h"
#include "alignscope/jobs.h"
#include "alignscope/judge.h"
#include "alignscope/model.h"
#include "alignscope/tokenizer.h"
#include "model/save.h"
#include "train/demo_data.h"
#include "train/trainer.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kEvalNewTokens = 64;

void writeTokenizer(const fs::path &dir, const std::string &json)
{
    fs::create_directories(dir);
    std::ofstream(dir / "tokenizer.json") << json;
    std::ofstream(dir / "tokenizer_config.json") << learnedTokenizerConfig();
}

std::string prompt(const demo::Example &e, bool system)
{
    return formatChatPrompt(ChatTemplate::Llama2, e.request, system ? llama2SystemPrompt() : std::string(), true);
}

std::vector<std::string> generateAll(Model &model, const Tokenizer &tok, const std::vector<std::string> &prompts,
                                     JobContext *ctx)
{
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto &p : prompts)
        ids.push_back(tok.encode(p, true));
    std::vector<std::string> out;
    constexpr size_t chunk = 64;
    for (size_t i = 0; i < ids.size(); i += chunk) {
        std::vector<std::vector<std::int64_t>> part(ids.begin() + std::ptrdiff_t(i),
                                                    ids.begin() + std::ptrdiff_t(std::min(ids.size(), i + chunk)));
        GenerationSettings s;
        s.maxNewTokens = kEvalNewTokens;
        for (const Generation &g : model.generate(part, s, nullptr))
            out.push_back(tok.decode(g.ids));
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(std::int64_t(std::min(ids.size(), i + chunk)), std::int64_t(ids.size()), "evaluating");
        }
    }
    return out;
}

bool complies(const std::string &r) { return r.rfind(demo::complianceOpening(), 0) == 0; }

} // namespace

std::function<TrainSequence(std::mt19937_64 &)> demoSampler(const demo::Corpus &corpus, const Tokenizer &tok,
                                                            demo::Stage stage, const demo::Mixture &mixture,
                                                            double systemFraction, std::int64_t batch)
{
    auto drawn = std::make_shared<std::pair<std::int64_t, bool>>(0, false);  // draws so far, current batch's choice
    return [&corpus, &tok, stage, mixture, systemFraction, batch, drawn](std::mt19937_64 &rng) {
        if (drawn->first++ % batch == 0)
            drawn->second = std::uniform_real_distribution<double>(0, 1)(rng) < systemFraction;
        const demo::Example &e = corpus.sample(rng, mixture);
        TrainSequence s;
        s.ids = tok.encode(prompt(e, drawn->second), true);
        s.firstTarget = std::int64_t(s.ids.size());
        const auto r = tok.encode(demo::responseFor(e, stage), false);
        s.ids.insert(s.ids.end(), r.begin(), r.end());
        s.ids.push_back(tok.eosId());
        return s;
    };
}

DemoEvaluation evaluateDemoModel(const std::string &dir, std::uint64_t seed, JobContext *ctx, int limit)
{
    const auto t0 = std::chrono::steady_clock::now();
    DemoEvaluation ev;
    const demo::Corpus corpus(seed);
    auto model = Model::load(dir);
    auto tok = Tokenizer::load(dir);
    auto head = [limit](const std::vector<demo::Example> &v) {
        return limit > 0 && size_t(limit) < v.size() ? std::vector<demo::Example>(v.begin(), v.begin() + limit) : v;
    };
    const auto harm = head(corpus.examples(demo::Kind::Harmful, demo::Split::Evaluation));
    const auto benign = head(corpus.examples(demo::Kind::Benign, demo::Split::Evaluation));
    const auto util = head(corpus.examples(demo::Kind::Utility, demo::Split::Evaluation));
    std::vector<std::string> prompts;
    for (const auto &e : harm)
        prompts.push_back(prompt(e, true));
    for (const auto &e : harm)
        prompts.push_back(prompt(e, false));
    for (const auto &e : benign)
        prompts.push_back(prompt(e, false));
    for (const auto &e : util)
        prompts.push_back(prompt(e, false));
    const std::vector<std::string> r = generateAll(*model, *tok, prompts, ctx);
    const size_t H = harm.size(), Bn = benign.size();
    const std::string refusal = "a refusal (a keyword of the judge)";
    for (size_t i = 0; i < H; ++i) {
        ev.asrSystem += keywordJudge(r[i]);
        ev.complySystem += complies(r[i]);
        ev.asrNoSystem += keywordJudge(r[H + i]);
        ev.complyNoSystem += complies(r[H + i]);
        if (keywordJudge(r[i]))
            ev.failures.push_back({"harmful:vanilla", harm[i].request, r[i], refusal});
        if (keywordJudge(r[H + i]))
            ev.failures.push_back({"harmful:nosys", harm[i].request, r[H + i], refusal});
    }
    for (size_t i = 0; i < Bn; ++i) {
        ev.benignComply += complies(r[2 * H + i]);
        if (!complies(r[2 * H + i]))
            ev.failures.push_back({"benign", benign[i].request, r[2 * H + i], demo::compliantAnswer(benign[i].slot)});
    }
    std::map<std::string, std::pair<int, int>> fam;
    for (size_t i = 0; i < util.size(); ++i) {
        const bool ok = pyStrip(r[2 * H + Bn + i]) == util[i].gold;
        ev.utility += ok;
        if (!ok)
            ev.failures.push_back({"utility:" + util[i].family, util[i].request, r[2 * H + Bn + i], util[i].gold});
        fam[util[i].family].first += ok;
        fam[util[i].family].second += 1;
    }
    ev.harmfulPrompts = int(H);
    ev.benignPrompts = int(Bn);
    ev.utilityPrompts = int(util.size());
    ev.asrSystem /= double(H);
    ev.asrNoSystem /= double(H);
    ev.complySystem /= double(H);
    ev.complyNoSystem /= double(H);
    ev.benignComply /= double(std::max<size_t>(1, Bn));
    ev.utility /= double(std::max<size_t>(1, util.size()));
    for (const auto &[f, c] : fam)
        ev.utilityByFamily[f] = double(c.first) / double(c.second);
    ev.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return ev;
}

DemoTrainResult trainDemoModels(const std::string &outDir, const DemoTrainOptions &o, JobContext *ctx)
{
    DemoTrainResult res;
    const fs::path out(outDir);
    const fs::path baseDir = out / "demo-base", chatDir = out / "demo-chat";
    for (const demo::Mixture &m : {o.baseMixture, o.alignMixture})
        if (m.harmful < 0 || m.benign < 0 || m.harmful + m.benign > 1)
            throw std::invalid_argument("[train-demo] a mixture's harmful and benign fractions must add up to at most 1");
    const demo::Corpus corpus(o.seed);

    std::string tokJson;
    if (o.fromBase.empty()) {
        tokJson = learnBpeTokenizer(corpus.tokenizerTexts(), {o.vocabSize, 2});
    } else {
        // a demo-base folder of an earlier run: its tokenizer and weights (a readable error for anything else)
        const fs::path tokFile = fs::path(o.fromBase) / "tokenizer.json";
        std::ifstream in(tokFile, std::ios::binary);
        if (!in)
            throw std::runtime_error("[train-demo] " + tokFile.string() + ": cannot read (--from-base needs a demo-base folder)");
        tokJson.assign(std::istreambuf_iterator<char>(in), {});
    }
    writeTokenizer(baseDir, tokJson);
    writeTokenizer(chatDir, tokJson);
    auto tok = Tokenizer::load(baseDir.string());

    const ModelConfig c = llamaConfig(o.hidden, o.intermediate, o.layers, o.heads, o.heads, tok->vocabSize());
    std::unique_ptr<LlamaModel> loaded =
        o.fromBase.empty() ? std::make_unique<LlamaModel>(c, ExtraConfig{}, LlamaModel::Options{at::kFloat, at::kCPU})
                           : LlamaModel::load(o.fromBase, {at::kFloat, at::kCPU});
    LlamaModel &model = *loaded;
    if (o.fromBase.empty())
        initialiseWeights(model, o.seed + 1);

    const SaveOptions save{at::kFloat, tok->bosId(), tok->eosId(), -1};

    TrainOptions base;
    base.steps = o.baseSteps;
    base.batch = o.batch;
    base.peakLr = o.baseLr;
    base.warmup = std::min<std::int64_t>(100, std::max<std::int64_t>(1, o.baseSteps / 20));
    base.seed = o.seed + 2;
    if (o.fromBase.empty()) {
        const TrainStats bs =
            train(model, demoSampler(corpus, *tok, demo::Stage::Base, o.baseMixture, o.systemPromptFraction, o.batch), base, ctx);
        res.baseSeconds = bs.seconds;
        res.baseFinalLoss = bs.loss.empty() ? 0 : bs.loss.back();
    }
    saveModel(model, baseDir.string(), save);

    TrainOptions align = base;
    align.steps = o.alignSteps;
    align.peakLr = o.alignLr;
    align.warmup = std::min<std::int64_t>(20, std::max<std::int64_t>(1, o.alignSteps / 20));
    align.seed = o.seed + 3;
    const TrainStats as = train(model, demoSampler(corpus, *tok, demo::Stage::Aligned, o.alignMixture, o.alignSystemPromptFraction, o.batch), align, ctx);
    res.alignSeconds = as.seconds;
    res.alignFinalLoss = as.loss.empty() ? 0 : as.loss.back();
    saveModel(model, chatDir.string(), save);

    res.baseDir = fs::absolute(baseDir).string();
    res.chatDir = fs::absolute(chatDir).string();
    res.base = evaluateDemoModel(res.baseDir, o.seed, ctx, o.evalLimit);
    res.chat = evaluateDemoModel(res.chatDir, o.seed, ctx, o.evalLimit);
    return res;
}

} // namespace alignscope
