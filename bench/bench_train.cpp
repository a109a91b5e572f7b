// SPDX-License-Identifier: MIT
// Where the time of one demo training step goes: tokenising a batch vs forward+backward+update.
// Usage: bench_train [--steps N] [--batch B] [--threads T] [--layers L (default: the demo's)]
#include "alignscope/bpe_learner.h"
#include "alignscope/chat.h"
#include "alignscope/demo.h"
#include "alignscope/demo_corpus.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"
#include "train/demo_data.h"
#include "train/trainer.h"


#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace alignscope;
using Clock = std::chrono::steady_clock;

int main(int argc, char **argv)
{
    const DemoTrainOptions demoShape;  // the shipped demo's architecture
    std::int64_t steps = 10, batch = 32, layers = demoShape.layers;
    int threads = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--steps")
            steps = std::stoll(argv[i + 1]);
        else if (k == "--batch")
            batch = std::stoll(argv[i + 1]);
        else if (k == "--threads")
            threads = std::stoi(argv[i + 1]);
        else if (k == "--layers")
            layers = std::stoll(argv[i + 1]);
    }
    std::printf("threads: %d\n", configureThreads(threads));
    if (std::getenv("BENCH_KEEP_MEMORY")) {  // keep freed blocks instead of returning them to the kernel
        keepFreedMemory();
        std::printf("allocator: keeps memory\n");
    }
    const demo::Corpus corpus(0);
    const auto dir = std::filesystem::temp_directory_path() / "alignscope-bench-train";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "tokenizer.json") << learnBpeTokenizer(corpus.tokenizerTexts(), {1024, 2});
    std::ofstream(dir / "tokenizer_config.json") << learnedTokenizerConfig();
    auto tok = Tokenizer::load(dir.string());

    std::mt19937_64 rng(1);
    const auto sample = demoSampler(corpus, *tok, demo::Stage::Base, demo::Mixture{}, 0.3, batch);
    auto t0 = Clock::now();
    std::int64_t tokens = 0;
    for (std::int64_t i = 0; i < steps * batch; ++i)
        tokens += std::int64_t(sample(rng).ids.size());
    const double tokSeconds = std::chrono::duration<double>(Clock::now() - t0).count();

    const ModelConfig c = llamaConfig(demoShape.hidden, demoShape.intermediate, layers, demoShape.heads, demoShape.heads,
                                      tok->vocabSize());
    std::printf("model: hidden %lld, %lld layers, MLP %lld\n", (long long)demoShape.hidden, (long long)layers,
                (long long)demoShape.intermediate);
    LlamaModel model(c, ExtraConfig{}, {at::kFloat, at::kCPU});
    initialiseWeights(model, 1);
    TrainOptions o;
    o.steps = steps;
    o.batch = batch;
    t0 = Clock::now();
    const TrainStats st = train(model, sample, o);
    const double trainSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("tokenising %lld sequences (%lld tokens): %.3f s (%.1f ms per step)\n", (long long)(steps * batch),
                (long long)tokens, tokSeconds, 1000 * tokSeconds / double(steps));
    std::printf("training %lld steps of %lld: %.3f s (%.1f ms per step, tokenising included)\n", (long long)steps,
                (long long)batch, trainSeconds, 1000 * trainSeconds / double(steps));
    std::printf("loss %.3f -> %.3f\n", st.loss.front(), st.loss.back());
    return 0;
}
