// SPDX-License-Identifier: MIT
// Vanilla ASR of a model (default: the bundled demo-chat) on the first 100 prompts of a harmful-prompt
// file, side by side in one run: batched generation with a KV cache and the exact early stop, vs one
// prompt at a time generated to its end (docs/BENCHMARKS.md).
// Usage: bench_asr [--model DIR] [--prompts FILE] [--limit 100] [--max-new-tokens 256] [--threads 0]
#include "alignscope/asr.h"
#include "alignscope/model.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace alignscope;

int main(int argc, char **argv)
{
    std::string model = defaultModelDir(), prompts = resourcesDir() + "/datasets/harmful_eval.txt";
    int limit = 100, threads = 0;
    std::int64_t maxNew = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--model") model = v;
        else if (k == "--prompts") prompts = v;
        else if (k == "--limit") limit = std::stoi(v);
        else if (k == "--max-new-tokens") maxNew = std::stoll(v);
        else if (k == "--threads") threads = std::stoi(v);
    }
    std::printf("threads: %d\n", configureThreads(threads));
    keepFreedMemory();
    auto m = Model::load(model);
    auto tok = Tokenizer::load(model);
    const auto goals = readHarmfulPrompts(prompts, {}, limit);
    AsrOptions fast;
    fast.settings = {AsrSetting::Vanilla};
    fast.maxNewTokens = maxNew;
    AsrOptions slow = fast;
    slow.batch = 1;
    slow.earlyStop = false;
    evaluateAsr(*m, *tok, {goals[0]}, fast);  // warm-up
    const auto a = evaluateAsr(*m, *tok, goals, fast).at(0);
    const auto b = evaluateAsr(*m, *tok, goals, slow).at(0);
    std::printf("model %s, %zu prompts, up to %lld new tokens\n", model.c_str(), goals.size(), (long long)maxNew);
    std::printf("batched (%d) + KV cache + early stop: ASR %.3f in %.3f s (%lld tokens generated)\n", fast.batch, a.asr,
                a.seconds, (long long)a.generatedTokens);
    std::printf("one at a time, full length:          ASR %.3f in %.3f s (%lld tokens generated)\n", b.asr, b.seconds,
                (long long)b.generatedTokens);
    std::printf("speed-up %.2fx (target >= 5x); batched time %.3f s (target <= 2 s)\n", b.seconds / a.seconds, a.seconds);
    return 0;
}
