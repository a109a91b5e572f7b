// SPDX-License-Identifier: MIT
// Model runtime throughput against what the machine can do, measured in the same run:
//   prefill tokens/s  → achieved FLOP/s ÷ FLOP/s of a plain large matrix product (same dtype)
//   decode tokens/s at batch 1 → weight bytes read per second ÷ bandwidth of a plain memory copy
//   decode tokens/s at batch 32
// for random-weight Llama-architecture models of about 5M, 100M and 1B parameters, fp32 and bf16.
// Usage: bench_runtime [--sizes 5m,100m,1b] [--dtypes float32,bfloat16] [--threads N] [--prefill 512]
#include "alignscope/runtime.h"
#include "model/llama.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

using namespace alignscope;
using Clock = std::chrono::steady_clock;

namespace {

struct Size {
    const char *name;
    ModelConfig config;
};

ModelConfig shape(std::int64_t hidden, std::int64_t inter, std::int64_t layers, std::int64_t heads, std::int64_t kv,
                  std::int64_t vocab)
{
    ModelConfig c = llamaConfig(hidden, inter, layers, heads, kv, vocab);
    c.maxPositionEmbeddings = 4096;
    return c;
}

std::unique_ptr<LlamaModel> randomModel(const ModelConfig &c, at::ScalarType dtype)
{
    auto m = std::make_unique<LlamaModel>(c, ExtraConfig{}, LlamaModel::Options{dtype, at::kCPU});
    at::Generator gen = at::detail::createCPUGenerator(7);
    auto rnd = [&](std::vector<std::int64_t> s, double scale) { return (at::randn(s, gen, at::kFloat) * scale).to(dtype); };
    m->embedding() = rnd({c.vocabSize, c.hiddenSize}, 1.0);
    m->finalNorm() = at::ones({c.hiddenSize}, dtype);
    m->setLmHead(rnd({c.vocabSize, c.hiddenSize}, 0.02));
    for (int l = 0; l < c.numLayers; ++l) {
        LayerWeights &w = m->layer(l);
        w.inputNorm = at::ones({c.hiddenSize}, dtype);
        w.postNorm = at::ones({c.hiddenSize}, dtype);
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            const auto [o, i] = c.matrixShape(k);
            w.w[k] = rnd({o, i}, 1.0 / std::sqrt(double(i)));
        }
    }
    return m;
}

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/** Best-of-`reps` FLOP/s of an n×n×n product in `dtype`. */
double matmulFlops(int n, at::ScalarType dtype, int reps)
{
    const at::Tensor a = at::randn({n, n}).to(dtype), b = at::randn({n, n}).to(dtype);
    at::Tensor c = at::mm(a, b);
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        at::mm_out(c, a, b);
        best = std::min(best, seconds(t0));
    }
    return 2.0 * n * double(n) * n / best;
}

/** Best-of-`reps` bytes per second of copying a `bytes`-sized buffer (bytes read; the same amount is written). */
double copyBandwidth(std::int64_t bytes, int reps)
{
    const at::Tensor src = at::ones({bytes / 4}, at::kFloat);
    at::Tensor dst = at::empty_like(src);
    dst.copy_(src);
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        dst.copy_(src);
        best = std::min(best, seconds(t0));
    }
    return double(bytes) / best;
}

std::vector<std::string> split(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        out.push_back(item);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    std::string sizes = "5m,100m,1b", dtypes = "float32,bfloat16";
    int threads = 0, prefillTokens = 512, decodeSteps = 16;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--sizes")
            sizes = v;
        else if (k == "--dtypes")
            dtypes = v;
        else if (k == "--threads")
            threads = std::stoi(v);
        else if (k == "--prefill")
            prefillTokens = std::stoi(v);
        else if (k == "--decode-steps")
            decodeSteps = std::stoi(v);
        else {
            std::fprintf(stderr, "unknown option %s\n", k.c_str());
            return 2;
        }
    }
    const int nThreads = configureThreads(threads);
    const std::vector<Size> all = {
        {"5m", shape(256, 688, 4, 4, 4, 8000)},
        {"100m", shape(768, 2048, 12, 12, 12, 16000)},
        {"1b", shape(2048, 5632, 22, 32, 4, 32000)},  // TinyLlama-1.1B shapes (grouped-query attention)
    };
    at::NoGradGuard noGrad;
    std::printf("threads: %d\n\n", nThreads);
    std::printf("| model | params | dtype | prefill tok/s | prefill GFLOP/s | matmul GFLOP/s | prefill ratio | decode b1 tok/s | "
                "weight GB/s | copy GB/s | decode ratio | decode b32 tok/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const std::string &dtypeName : split(dtypes)) {
        const at::ScalarType dtype = dtypeName == "bfloat16" ? at::kBFloat16 : at::kFloat;
        const double peak = matmulFlops(2048, dtype, 3);
        const double copy = copyBandwidth(std::int64_t(1) << 30, 3);
        for (const Size &sz : all) {
            if (sizes.find(sz.name) == std::string::npos)
                continue;
            const ModelConfig &c = sz.config;
            auto model = randomModel(c, dtype);
            const std::int64_t params = c.totalParameters();
            const double weightBytes = double(params) * double(dtype == at::kFloat ? 4 : 2);

            // prefill: one sequence of prefillTokens (logits for the last position only, as generation does)
            const std::int64_t T = prefillTokens;
            const at::Tensor ids = at::randint(c.vocabSize, {1, T}, at::kLong);
            const at::Tensor pos = at::arange(T, at::kLong).view({1, T});
            model->forward(ids.narrow(1, 0, 16), pos.narrow(1, 0, 16), {}, nullptr, nullptr, true);  // warm-up
            double prefill = 1e30;
            for (int r = 0; r < 2; ++r) {
                const auto t0 = Clock::now();
                model->forward(ids, pos, {}, nullptr, nullptr, true);
                prefill = std::min(prefill, seconds(t0));
            }
            JobShape js;
            js.promptTokens = T;
            js.newTokens = 0;
            const double flops = estimateFlops(c, js) - 2.0 * double(c.vocabSize * c.hiddenSize) * double(T - 1);

            // decode: tokens per second after a prompt, batch 1 and batch 32
            auto decode = [&](std::int64_t batch, std::int64_t prompt) {
                KVCache cache = model->makeCache(batch, prompt + decodeSteps);
                const at::Tensor pids = at::randint(c.vocabSize, {batch, prompt}, at::kLong);
                model->forward(pids, at::arange(prompt, at::kLong).view({1, prompt}).expand({batch, prompt}), {}, &cache,
                               nullptr, true);
                at::Tensor next = at::randint(c.vocabSize, {batch, 1}, at::kLong);
                const auto t0 = Clock::now();
                for (int s = 0; s < decodeSteps; ++s) {
                    const at::Tensor p = at::full({batch, 1}, prompt + s, at::kLong);
                    const at::Tensor logits = model->forward(next, p, {}, &cache, nullptr, true);
                    next = logits.argmax(-1);
                }
                return double(batch) * decodeSteps / seconds(t0);
            };
            const double d1 = decode(1, 128);
            const double d32 = decode(32, 64);
            const double weightRate = weightBytes * d1;  // every decode step reads every weight once
            std::printf("| %s | %.1fM | %s | %.0f | %.1f | %.1f | %.2f | %.1f | %.2f | %.2f | %.2f | %.1f |\n", sz.name,
                        double(params) / 1e6, dtypeName.c_str(), double(T) / prefill, flops / prefill / 1e9, peak / 1e9,
                        flops / prefill / peak, d1, weightRate / 1e9, copy / 1e9, weightRate / copy, d32);
            std::fflush(stdout);
        }
    }
    std::printf("\nprefill ratio = achieved FLOP/s of the %d-token prefill ÷ FLOP/s of a 2048³ matrix product in the same dtype\n"
                "decode ratio = weight bytes read per second at batch 1 ÷ bytes per second of a 1 GiB memory copy (read side)\n",
                prefillTokens);
    return 0;
}
