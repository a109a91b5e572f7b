// SPDX-License-Identifier: MIT
// The GPU check (bench/gpu-check.sh runs it; docs/BENCHMARKS.md has what it measured):
//
//   gpu_check agree [--device cuda] [--demo DIR] [--data DIR] [--work DIR]
//     CPU against DEVICE on the same inputs, each a pass/fail line with its measured error:
//      - logits of a random 4-layer model (fp32): max |Δ| / max |logit|
//      - SNIP and Wanda scores of the demo model (score jobs on either device, stored in fp32): per set the
//        max relative error over all matrices and the Jaccard index of the top 1 % weights (what a
//        selection takes)
//      - ActSVD bases: per matrix the distance between the top-8 subspaces, ‖P_cpu − P_dev‖_F / √(2·8)
//      - the keyword ASR of the demo model on 64 harmful prompts, and how many greedy generations agree
//   gpu_check big [--device cuda] [--dtype bf16] [--layers 32 --hidden 4096 --inter 11008 --heads 32
//                 --vocab 32000] [--examples 8] [--tokens 256] [--prompts 100] [--prompt-tokens 64]
//                 [--new-tokens 256] [--batch 64]
//     A Llama-2-7B-shaped model with random weights made on the device: SNIP one-shot and Wanda over
//     `examples` calibration sequences, and a Vanilla-ASR-shaped generation (prompts × new tokens, greedy,
//     no EOS so every sequence runs to the end); seconds of each. Peak device memory is measured outside
//     (nvidia-smi, by the script), so this binary needs no CUDA headers and builds against any libtorch.
// Exit status 1 when an agreement check fails.
#include "alignscope/asr.h"
#include "alignscope/calibration.h"
#include "alignscope/model.h"
#include "alignscope/resources.h"
#include "alignscope/store.h"
#include "alignscope/tokenizer.h"
#include "attribution/attribution.h"
#include "model/generate.h"
#include "model/impl.h"
#include "model/llama.h"
#include "model/save.h"
#include "null_sink.h"
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

using namespace alignscope;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::map<std::string, std::string> parseArgs(int argc, char **argv, int first)
{
    std::map<std::string, std::string> a;
    for (int i = first; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0) {
            std::fprintf(stderr, "gpu_check: unexpected \"%s\"\n", argv[i]);
            std::exit(2);
        }
        a[k.substr(2)] = argv[i + 1];
    }
    return a;
}

std::string get(const std::map<std::string, std::string> &a, const std::string &k, const std::string &def)
{
    const auto it = a.find(k);
    return it == a.end() ? def : it->second;
}

int failures = 0;

void check(bool ok, const char *what, const std::string &measured)
{
    std::printf("%s  %-52s %s\n", ok ? "ok  " : "FAIL", what, measured.c_str());
    std::fflush(stdout);
    failures += ok ? 0 : 1;
}

std::string fmt(const char *f, double a, double b = 0)
{
    char buf[128];
    std::snprintf(buf, sizeof buf, f, a, b);
    return buf;
}

/** Jaccard index of the top `fraction` entries of two score arrays. */
double topJaccard(const std::vector<float> &a, const std::vector<float> &b, double fraction)
{
    const size_t k = std::max<size_t>(1, size_t(double(a.size()) * fraction));
    auto top = [k](const std::vector<float> &v) {
        std::vector<size_t> idx(v.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        std::nth_element(idx.begin(), idx.begin() + std::ptrdiff_t(k), idx.end(),
                         [&](size_t x, size_t y) { return v[x] > v[y]; });
        idx.resize(k);
        std::sort(idx.begin(), idx.end());
        return idx;
    };
    const auto x = top(a), y = top(b);
    std::vector<size_t> common;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
    return double(common.size()) / double(2 * k - common.size());
}

int agree(const std::map<std::string, std::string> &a)
{
    const std::string device = get(a, "device", "cuda");
    const std::string demo = get(a, "demo", defaultModelDir());
    const std::string data = get(a, "data", resourcesDir() + "/datasets");
    const fs::path work = get(a, "work", (fs::temp_directory_path() / "alignscope-gpu-check").string());
    fs::remove_all(work);
    fs::create_directories(work);
    std::printf("CPU vs %s (demo model %s)\n", device.c_str(), demo.c_str());

    {  // logits of a random model
        const ModelConfig c = llamaConfig(512, 1376, 4, 8, 8, 2048);
        LlamaModel m(c, ExtraConfig{}, {at::kFloat, at::kCPU});
        initialiseWeights(m, 7);
        const std::string dir = (work / "random").string();
        saveModel(m, dir);
        auto cpu = Model::load(dir, {"cpu", "float32"});
        auto dev = Model::load(dir, {device, "float32"});
        const at::Tensor ids = at::randint(2048, {2, 96}, at::TensorOptions().dtype(at::kLong));
        const at::Tensor pos = at::arange(96, at::kLong).view({1, 96}).expand({2, 96});
        at::NoGradGuard ng;
        const at::Tensor lc = cpu->impl().llama->logits(cpu->impl().llama->hidden(ids, pos));
        const LlamaModel &dm = *dev->impl().llama;
        const at::Device d = dm.options().device;
        const at::Tensor ld = dm.logits(dm.hidden(ids.to(d), pos.to(d))).to(at::kCPU);
        const double err = (lc - ld).abs().max().item<double>() / lc.abs().max().item<double>();
        check(err < 1e-3, "logits, random 4-layer model, fp32", fmt("max |diff| / max |logit| = %.2e", err));
    }

    // scores and bases of the demo model, computed on either device
    for (const char *method : {"snip", "wanda", "actsvd"})
        for (int k = 0; k < 2; ++k) {
            const std::string dev = k == 0 ? std::string("cpu") : device;
            ScoreJob j;
            j.modelDir = demo;
            j.dataFile = data + "/safety_full.csv";
            j.storePath = (work / (k == 0 ? "cpu.h5" : "dev.h5")).string();
            j.storeDtype = "fp32";
            j.device = dev;
            j.computeDtype = "float32";
            j.settings.method = parseMethod(method);
            j.settings.nsamples = 32;
            j.name = method;
            const auto t0 = Clock::now();
            runScoreJob(j);
            std::printf("      %-6s on %-6s %.2f s\n", method, dev.c_str(), seconds(t0));
        }
    auto cpuStore = Store::open((work / "cpu.h5").string()), devStore = Store::open((work / "dev.h5").string());
    const int layers = cpuStore->numLayers();
    for (const char *method : {"snip", "wanda"}) {
        double worst = 0, jaccard = 1;
        for (int l = 0; l < layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const auto x = cpuStore->scores(method, l, Matrix(m)), y = devStore->scores(method, l, Matrix(m));
                double diff = 0, scale = 0;
                for (size_t i = 0; i < x.size(); ++i) {
                    diff = std::max(diff, double(std::abs(x[i] - y[i])));
                    scale = std::max(scale, double(std::abs(x[i])));
                }
                worst = std::max(worst, diff / std::max(scale, 1e-30));
                jaccard = std::min(jaccard, topJaccard(x, y, 0.01));
            }
        const std::string what = std::string(method) + " scores, demo model (all matrices)";
        check(worst < 1e-2 && jaccard > 0.95, what.c_str(),
              fmt("max rel. error %.2e, worst top-1 %% Jaccard %.4f", worst, jaccard));
    }
    {
        double worst = 0;
        int degenerate = 0;
        constexpr int r = 8;
        for (int l = 0; l < layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const Store::Basis x = cpuStore->basis("actsvd", l, Matrix(m)), y = devStore->basis("actsvd", l, Matrix(m));
                // the top-8 subspace is only defined when the 8th and 9th eigenvalues differ
                if (x.eigenvalues.size() > size_t(r) &&
                    x.eigenvalues[r - 1] - x.eigenvalues[r] <= 1e-6 * std::abs(x.eigenvalues[0])) {
                    ++degenerate;
                    continue;
                }
                const at::Tensor u = at::from_blob(const_cast<float *>(x.vectors.data()), {x.rows, x.columns}).narrow(1, 0, r).to(at::kDouble);
                const at::Tensor v = at::from_blob(const_cast<float *>(y.vectors.data()), {y.rows, y.columns}).narrow(1, 0, r).to(at::kDouble);
                const double d = (u.matmul(u.t()) - v.matmul(v.t())).norm().item<double>() / std::sqrt(2.0 * r);
                worst = std::max(worst, d);
            }
        check(worst < 1e-2, "ActSVD top-8 subspaces, demo model",
              fmt("worst ||P_cpu - P_dev||_F / 4 = %.2e (%.0f matrices without an eigengap skipped)", worst, degenerate));
    }
    {  // the keyword ASR and the greedy generations
        auto tok = Tokenizer::load(demo);
        const auto goals = readHarmfulPrompts(data + "/harmful_eval.txt", {}, 64);
        AsrOptions o;
        o.settings = {AsrSetting::Vanilla};
        o.maxNewTokens = 64;
        o.earlyStop = false;
        auto cpu = Model::load(demo, {"cpu", "float32"});
        auto dev = Model::load(demo, {device, "float32"});
        const auto t0 = Clock::now();
        const AsrResult rc = evaluateAsr(*cpu, *tok, goals, o).front();
        const double tc = seconds(t0);
        const auto t1 = Clock::now();
        const AsrResult rd = evaluateAsr(*dev, *tok, goals, o).front();
        const double td = seconds(t1);
        int same = 0;
        for (size_t i = 0; i < goals.size(); ++i)
            same += rc.generations[i].response == rd.generations[i].response ? 1 : 0;
        check(std::abs(rc.asr - rd.asr) <= 2.0 / double(goals.size()) && same >= int(goals.size()) * 9 / 10,
              "keyword ASR and greedy generations, demo model, 64 prompts",
              fmt("ASR %.3f vs ", rc.asr) + fmt("%.3f; ", rd.asr) + std::to_string(same) + "/" +
                  std::to_string(goals.size()) + " generations equal; " + fmt("%.2f s vs %.2f s", tc, td));
    }
    std::printf("%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}

/** Random weights made on the model's device (a 7B model is never built on the host). */
void randomWeightsOnDevice(LlamaModel &m, std::uint64_t seed)
{
    at::NoGradGuard ng;
    at::manual_seed(seed);
    const auto &c = m.config();
    const auto o = at::TensorOptions().dtype(m.options().dtype).device(m.options().device);
    auto normal = [&](std::vector<std::int64_t> shape) { return at::randn(shape, o) * 0.02; };
    m.embedding() = normal({c.vocabSize, c.hiddenSize});
    m.finalNorm() = at::ones({c.hiddenSize}, o);
    if (!c.tieWordEmbeddings)
        m.setLmHead(normal({c.vocabSize, c.hiddenSize}));
    for (int l = 0; l < c.numLayers; ++l) {
        LayerWeights &w = m.layer(l);
        w.inputNorm = at::ones({c.hiddenSize}, o);
        w.postNorm = at::ones({c.hiddenSize}, o);
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            const auto [rows, cols] = c.matrixShape(k);
            w.w[k] = normal({rows, cols});
        }
    }
}

int big(const std::map<std::string, std::string> &a)
{
    const std::string device = get(a, "device", "cuda");
    const std::string dtypeName = get(a, "dtype", "bf16");
    const at::ScalarType dtype = dtypeName == "fp32" ? at::kFloat : dtypeName == "fp16" ? at::kHalf : at::kBFloat16;
    const int layers = std::stoi(get(a, "layers", "32")), hidden = std::stoi(get(a, "hidden", "4096"));
    const int inter = std::stoi(get(a, "inter", "11008")), heads = std::stoi(get(a, "heads", "32"));
    const int vocab = std::stoi(get(a, "vocab", "32000")), examples = std::stoi(get(a, "examples", "8"));
    const int tokens = std::stoi(get(a, "tokens", "256")), prompts = std::stoi(get(a, "prompts", "100"));
    const int promptTokens = std::stoi(get(a, "prompt-tokens", "64")), newTokens = std::stoi(get(a, "new-tokens", "256"));
    const int batch = std::stoi(get(a, "batch", "64"));
    const ModelConfig c = llamaConfig(hidden, inter, layers, heads, heads, vocab);
    const at::Device dev = parseDevice(device);
    auto t0 = Clock::now();
    LlamaModel model(c, ExtraConfig{}, {dtype, dev});
    randomWeightsOnDevice(model, 1);
    model.embedding().sum().item<double>();  // waits for the device
    std::printf("model: %d layers, hidden %d, MLP %d, %d heads, vocab %d, %s on %s: %.1f s to make\n", layers, hidden,
                inter, heads, vocab, dtypeName.c_str(), device.c_str(), seconds(t0));

    std::mt19937_64 rng(3);
    std::vector<CalibrationExample> ex;
    for (int i = 0; i < examples; ++i) {
        CalibrationExample e;
        e.ids.push_back(1);
        for (int t = 1; t < tokens; ++t)
            e.ids.push_back(std::int64_t(3 + rng() % std::uint64_t(vocab - 3)));
        e.promptLength = tokens / 4;
        ex.push_back(e);
    }
    for (ScoreMethod method : {ScoreMethod::Snip, ScoreMethod::Wanda}) {
        ScoreSettings s;
        s.method = method;
        s.layerChunk = std::stoi(get(a, "layer-chunk", "0"));
        NullSink sink;
        t0 = Clock::now();
        runAttribution(model, ex, s, sink, 0, nullptr);
        model.embedding().sum().item<double>();
        const double t = seconds(t0);
        std::printf("%-6s one-shot: %d examples of %d tokens in %.2f s (%.3f s per example; 128 examples: %.1f s)\n",
                    methodName(method).c_str(), examples, tokens, t, t / examples, t / examples * 128);
        std::fflush(stdout);
    }
    GenerateRequest req;
    req.sampling.maxNewTokens = newTokens;
    req.padId = 0;
    double total = 0;
    std::int64_t generated = 0;
    for (int b = 0; b < prompts; b += batch) {
        req.prompts.clear();
        for (int i = b; i < std::min(prompts, b + batch); ++i) {
            std::vector<std::int64_t> p{1};
            for (int t = 1; t < promptTokens; ++t)
                p.push_back(std::int64_t(3 + rng() % std::uint64_t(vocab - 3)));
            req.prompts.push_back(p);
        }
        t0 = Clock::now();
        const GenerateResult r = generate(model, req);
        total += seconds(t0);
        for (const auto &g : r.tokens)
            generated += std::int64_t(g.size());
    }
    std::printf("vanilla-ASR-shaped generation: %d prompts of %d tokens, %d new tokens each, batch %d: %.2f s "
                "(%.0f tokens/s)\n",
                prompts, promptTokens, newTokens, batch, total, double(generated) / total);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "agree")
            return agree(parseArgs(argc, argv, 2));
        if (mode == "big")
            return big(parseArgs(argc, argv, 2));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "gpu_check: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: gpu_check agree|big [--device cuda] [options] (see bench/gpu_check.cpp)\n");
    return 2;
}
