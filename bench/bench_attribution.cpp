// SPDX-License-Identifier: MIT
// Attribution and slider benchmarks (docs/BENCHMARKS.md), each side by side with its baseline in
// the same run:
//  1. SNIP one-shot (all layers from one backward per example) vs one plain forward+backward per
//     example with every decoder matrix's gradient on, and vs the reference's per-layer loop
//     (AlignScope's sequential mode at sparsity 0: L forward+backward passes per example).
//  2. A slider query (set-difference counts and Jaccard indices of all 7·L matrices) from a store
//     with Llama-2-7B shapes (32 × 7 matrices; synthetic summaries, as the query never reads scores).
// Usage: bench_attribution [--layers 8] [--hidden 512] [--inter 1376] [--vocab 32000] [--examples 16]
//                          [--tokens 96] [--threads 0] [--store-dir /tmp]
#include "alignscope/fraction_grid.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "attribution/attribution.h"
#include "edit/editor.h"
#include "model/llama.h"
#include "null_sink.h"
#include "store/h5.h"
#include "store/layout.h"
#include "synthetic_store.h"
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

using namespace alignscope;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double plainForwardBackward(LlamaModel &model, const std::vector<CalibrationExample> &ex)
{
    std::vector<std::pair<int, Matrix>> all;
    for (int l = 0; l < int(model.config().numLayers); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m)
            all.emplace_back(l, Matrix(m));
    setWeightGradients(model, all);
    const auto t0 = Clock::now();
    for (const auto &e : ex) {
        const auto T = std::int64_t(e.ids.size());
        const at::Tensor ids = at::tensor(e.ids, at::kLong).view({1, T});
        const at::Tensor h = model.hidden(ids, at::arange(T, at::kLong).view({1, T}))[0].narrow(0, e.promptLength - 1,
                                                                                              T - e.promptLength);
        at::cross_entropy_loss(model.logits(h), ids[0].narrow(0, e.promptLength, T - e.promptLength)).backward();
        for (auto [l, m] : all)
            model.layer(l).w[int(m)].mutable_grad() = at::Tensor();
    }
    const double s = seconds(t0);
    setWeightGradients(model, {});
    return s;
}

void snipBenchmark(int layers, int hidden, int inter, int vocab, int examples, int tokens)
{
    const ModelConfig c = llamaConfig(hidden, inter, layers, hidden / 64, hidden / 64, vocab);
    LlamaModel model(c, ExtraConfig{}, {at::kFloat, at::kCPU});
    initialiseWeights(model, 1);
    std::mt19937_64 rng(2);
    std::vector<CalibrationExample> ex;
    for (int i = 0; i < examples; ++i) {
        CalibrationExample e;
        for (int t = 0; t < tokens; ++t)
            e.ids.push_back(std::int64_t(rng() % std::uint64_t(vocab)));
        e.promptLength = tokens / 2;
        ex.push_back(e);
    }
    std::printf("model: %d layers, hidden %d, MLP %d, vocab %d; %d examples of %d tokens (half response)\n", layers,
                hidden, inter, vocab, examples, tokens);
    plainForwardBackward(model, {ex[0]});  // warm-up
    const double plain = plainForwardBackward(model, ex);
    NullSink sink;
    ScoreSettings s;
    s.method = ScoreMethod::Snip;
    auto t0 = Clock::now();
    runAttribution(model, ex, s, sink, 0, nullptr);
    const double oneShot = seconds(t0);
    s.mode = ScoreMode::Sequential;
    s.sparsity = 0.0;
    t0 = Clock::now();
    runAttribution(model, ex, s, sink, 0, nullptr);
    const double perLayer = seconds(t0);
    std::printf("plain forward+backward (all 7L gradients): %8.3f s\n", plain);
    std::printf("SNIP one-shot, all layers:                 %8.3f s  = %.2fx the plain pass (target <= 1.5)\n", oneShot,
                oneShot / plain);
    std::printf("per-layer loop (sequential mode, s = 0):   %8.3f s  = %.2fx the one-shot time (target >= L/1.5 = %.2f)\n",
                perLayer, perLayer / oneShot, layers / 1.5);
}

void sliderBenchmark(const std::string &dir)
{
    const std::string path = dir + "/alignscope-bench-7b-shapes.h5";
    bench::writeSyntheticStore(path, "(synthetic Llama-2-7B shapes)");
    const std::int64_t G = std::int64_t(fractionGrid().size());
    auto t0 = Clock::now();
    auto store = Store::open(path);
    const double open = seconds(t0);
    t0 = Clock::now();
    SliderAnswer a = store->query("safety", "utility", 30, 30, Granularity::WholeMatrix);  // loads the summary
    const double first = seconds(t0);
    t0 = Clock::now();
    a = store->query("safety", "utility", 20, 30, Granularity::PerRow);  // loads the per-row summary
    const double firstRow = seconds(t0);
    const int N = 2000;
    std::mt19937 rng(3);
    std::int64_t sink = 0;
    t0 = Clock::now();
    for (int i = 0; i < N; ++i) {
        a = store->query("safety", "utility", int(rng() % std::uint32_t(G)), int(rng() % std::uint32_t(G)),
                         i % 2 ? Granularity::PerRow : Granularity::WholeMatrix);
        sink += a.removed;
    }
    const double each = seconds(t0) / N;
    std::printf("slider store with Llama-2-7B shapes (32 x 7 matrices, %lld grid points per axis)\n", (long long)G);
    std::printf("open: %.2f ms; first query per granularity (reads that summary): %.2f ms (matrix), %.2f ms (row); "
                "later queries: %.4f ms each (target <= 5 ms)  [checksum %lld]\n",
                open * 1e3, first * 1e3, firstRow * 1e3, each * 1e3, (long long)(sink % 1000));
    std::filesystem::remove(path);
}

} // namespace

int main(int argc, char **argv)
{
    int layers = 8, hidden = 512, inter = 1376, vocab = 32000, examples = 16, tokens = 96, threads = 0;
    std::string dir = std::filesystem::temp_directory_path().string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--layers") layers = std::stoi(v);
        else if (k == "--hidden") hidden = std::stoi(v);
        else if (k == "--inter") inter = std::stoi(v);
        else if (k == "--vocab") vocab = std::stoi(v);
        else if (k == "--examples") examples = std::stoi(v);
        else if (k == "--tokens") tokens = std::stoi(v);
        else if (k == "--threads") threads = std::stoi(v);
        else if (k == "--store-dir") dir = v;
    }
    std::printf("threads: %d\n", configureThreads(threads));
    keepFreedMemory();
    snipBenchmark(layers, hidden, inter, vocab, examples, tokens);
    sliderBenchmark(dir);
    return 0;
}
