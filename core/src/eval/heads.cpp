// SPDX-License-Identifier: MIT
#include "alignscope/heads.h"

#include "alignscope/calibration.h"
#include "alignscope/chat.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/tokenizer.h"
#include "data/json_file.h"
#include "data/strings.h"
#include "model/impl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <regex>

namespace alignscope {

namespace {

[[noreturn]] void fail(const std::string &file, const std::string &why) { throw DataError(file + ": " + why); }

/** "[INST] x [/INST]" → "x" (the paper's CSV prompts); anything else stripped of outer whitespace. */
std::string unwrapInst(const std::string &prompt)
{
    std::string s = pyStrip(prompt);
    const std::string open = "[INST]", close = "[/INST]";
    if (s.rfind(open, 0) == 0 && endsWith(s, close))
        s = pyStrip(s.substr(open.size(), s.size() - open.size() - close.size()));
    return s;
}

} // namespace

HeadProbing readProbingJson(const std::string &file)
{
    const nlohmann::json j = readJsonDataFile(file);
    if (!j.is_object() || j.empty())
        fail(file, "not a probing result: expected an object {\"layer-L-head-H\": accuracy, …}");
    static const std::regex key(R"(layer-(\d+)-head-(\d+))");
    struct Entry {
        int layer, head;
        double accuracy;
    };
    std::vector<Entry> entries;
    int layers = 0, heads = 0;
    for (const auto &[k, v] : j.items()) {
        std::smatch m;
        if (!std::regex_match(k, m, key))
            fail(file, "key \"" + k + "\" is not of the form layer-L-head-H");
        if (!v.is_number())
            fail(file, "the value of \"" + k + "\" is not a number");
        const double a = v.get<double>();
        if (!(a >= 0.0 && a <= 1.0))
            fail(file, "the accuracy of \"" + k + "\" (" + std::to_string(a) + ") is not in [0, 1]");
        if (m[1].length() > 6 || m[2].length() > 6)
            fail(file, "key \"" + k + "\": layer or head index too large");
        const int l = std::stoi(m[1]), h = std::stoi(m[2]);
        entries.push_back({l, h, a});
        layers = std::max(layers, l + 1);
        heads = std::max(heads, h + 1);
    }
    HeadProbing p;
    p.layers = layers;
    p.heads = heads;
    p.source = file;
    p.accuracy.assign(size_t(layers) * size_t(heads), -1.0);
    for (const Entry &e : entries) {
        double &slot = p.accuracy[size_t(e.layer * heads + e.head)];
        if (slot >= 0)  // "layer-01-head-2" and "layer-1-head-2"
            fail(file, "layer " + std::to_string(e.layer) + ", head " + std::to_string(e.head) + " appears twice");
        slot = e.accuracy;
    }
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
            if (p.at(l, h) < 0)
                fail(file, "layer-" + std::to_string(l) + "-head-" + std::to_string(h) + " is missing (" +
                               std::to_string(layers) + " layers × " + std::to_string(heads) + " heads expected)");
    return p;
}

std::string probingJson(const HeadProbing &probing)
{
    // nlohmann's object sorts its keys ("layer-10" before "layer-2"): write the text in order instead
    std::string out = "{";
    for (int l = 0; l < probing.layers; ++l)
        for (int h = 0; h < probing.heads; ++h) {
            out += (l || h) ? ",\n  " : "\n  ";
            out += nlohmann::json("layer-" + std::to_string(l) + "-head-" + std::to_string(h)).dump() + ": " +
                   nlohmann::json(probing.at(l, h)).dump();
        }
    out += "\n}\n";
    return out;
}

std::vector<std::string> readInstructions(const std::string &file)
{
    std::vector<std::string> out;
    if (endsWith(file, ".json") || endsWith(file, ".jsonl")) {
        for (const CalibrationRow &r : readCalibrationSet(file).rows)
            out.push_back(unwrapInst(r.prompt));
    } else if (endsWith(file, ".csv")) {
        const CsvTable t = readCsvTable(file);
        int c = -1;
        for (const char *name : {"goal", "Behavior", "instruction", "prompt"})
            if (c < 0)
                c = t.column(name);
        if (c < 0)
            fail(file, "no \"goal\", \"Behavior\", \"instruction\" or \"prompt\" column");
        for (const auto &row : t.rows)
            out.push_back(unwrapInst(row[size_t(c)]));
    } else {
        std::string text = readDataFile(file), line;
        for (size_t i = 0; i <= text.size(); ++i) {
            if (i == text.size() || text[i] == '\n') {
                out.push_back(pyStrip(line));
                line.clear();
            } else {
                line += text[i];
            }
        }
    }
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    if (out.empty())
        fail(file, "no prompts");
    return out;
}

HeadProbing probeHeads(Model &model, const Tokenizer &tokenizer, const std::vector<std::string> &harmful,
                       const std::vector<std::string> &harmless, const ProbeOptions &o, JobContext *ctx)
{
    const int perClass = int(std::min<size_t>({size_t(std::max(0, o.perClass)), harmful.size(), harmless.size()}));
    if (perClass < 4)
        throw std::invalid_argument("probing needs at least 4 prompts of each class (harmful " +
                                    std::to_string(harmful.size()) + ", harmless " + std::to_string(harmless.size()) + ")");
    const LlamaModel &llama = *model.impl().llama;
    const ModelConfig &c = llama.config();
    const int L = int(c.numLayers), H = int(c.numHeads), d = int(c.headDim);
    const PromptFormat format = PromptFormat::forModel(model.info().dir);
    // the prompts: perClass of each class, chosen by the seed
    std::vector<std::string> prompts;
    std::vector<float> labels;
    for (int cls = 0; cls < 2; ++cls) {
        const auto &src = cls == 0 ? harmful : harmless;
        const auto order = numpyPermutation(o.seed, std::int64_t(src.size()));
        for (int i = 0; i < perClass; ++i) {
            prompts.push_back(format.format(src[size_t(order[size_t(i)])], {}, o.inst));
            labels.push_back(cls == 0 ? 1.0f : 0.0f);
        }
    }
    const std::int64_t N = std::int64_t(prompts.size());
    at::NoGradGuard noGrad;
    const at::Device dev = llama.options().device;
    // features[l] : [N, H * d], the input of o_proj at the last prompt token
    std::vector<at::Tensor> features(static_cast<size_t>(L));
    for (auto &f : features)
        f = at::empty({N, std::int64_t(H) * d}, at::kFloat);
    for (std::int64_t n = 0; n < N; ++n) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(n, N, "head outputs");
        }
        const std::vector<std::int64_t> ids = tokenizer.encodePrompt(prompts[size_t(n)]);
        const std::int64_t T = std::int64_t(ids.size());
        checkContextLength(T, model.config().maxPositionEmbeddings, "probe prompt " + std::to_string(n + 1));
        const at::Tensor x = at::tensor(ids, at::kLong).view({1, T}).to(dev);
        const LinearInputHook rowHook = [&](int layer, Matrix m, const at::Tensor &input) {
            if (m == Matrix::O)
                features[size_t(layer)][n].copy_(input[0][T - 1].to(at::kCPU, at::kFloat));
        };
        llama.hidden(x, at::arange(T, at::kLong).view({1, T}).to(dev), {}, nullptr, &rowHook);
    }
    if (ctx)
        ctx->report(N, N, "head outputs");
    // split: a seeded permutation of all examples, the first trainFraction to train
    const auto perm = numpyPermutation(o.seed + 1, N);
    const std::int64_t nTrain = std::clamp<std::int64_t>(std::int64_t(std::llround(o.trainFraction * double(N))), 2, N - 2);
    const at::Tensor idx = at::tensor(std::vector<std::int64_t>(perm.begin(), perm.end()), at::kLong);
    const at::Tensor trainIdx = idx.slice(0, 0, nTrain), valIdx = idx.slice(0, nTrain);
    const at::Tensor y = at::tensor(labels, at::kFloat);
    const at::Tensor yTrain = y.index_select(0, trainIdx).view({1, nTrain, 1}),
                     yVal = y.index_select(0, valIdx).view({1, N - nTrain, 1});
    HeadProbing p;
    p.layers = L;
    p.heads = H;
    p.accuracy.resize(size_t(L) * size_t(H));
    p.source = "probed: " + std::to_string(perClass) + " harmful + " + std::to_string(perClass) +
               " harmless prompts, last token, logistic regression, seed " + std::to_string(o.seed);
    for (int l = 0; l < L; ++l) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(l, L, "linear probes");
        }
        // [H, N, d] per head, standardised with the train split's statistics
        const at::Tensor X = features[size_t(l)].view({N, H, d}).permute({1, 0, 2}).to(at::kDouble);
        const at::Tensor Xt = X.index_select(1, trainIdx), Xv = X.index_select(1, valIdx);
        const at::Tensor mean = Xt.mean(1, true), stdev = Xt.std(1, /*unbiased=*/false, true).clamp_min(1e-8);
        const at::Tensor A = (Xt - mean) / stdev, B = (Xv - mean) / stdev;
        at::Tensor w = at::zeros({H, d, 1}, at::kDouble), b = at::zeros({H, 1, 1}, at::kDouble);
        const at::Tensor yt = yTrain.to(at::kDouble), yv = yVal.to(at::kDouble);
        const double lr = 0.5;
        for (int it = 0; it < o.iterations; ++it) {
            const at::Tensor r = at::sigmoid(at::bmm(A, w) + b) - yt;  // [H, nTrain, 1]
            w -= lr * (at::bmm(A.transpose(1, 2), r) / double(nTrain) + 2.0 * o.l2 * w);
            b -= lr * r.mean(1, true);
        }
        const at::Tensor correct = ((at::bmm(B, w) + b > 0).to(at::kDouble) == yv).to(at::kDouble).mean(1);  // [H, 1]
        for (int h = 0; h < H; ++h)
            p.accuracy[size_t(l * H + h)] = correct[h][0].item<double>();
    }
    return p;
}

std::string headPoolName(HeadPool pool)
{
    switch (pool) {
    case HeadPool::Top: return "top";
    case HeadPool::Paper7B: return "paper-7b";
    case HeadPool::AllPerfect: return "all-perfect";
    }
    return {};
}

HeadPool parseHeadPool(const std::string &name)
{
    for (HeadPool p : {HeadPool::Top, HeadPool::Paper7B, HeadPool::AllPerfect})
        if (headPoolName(p) == name)
            return p;
    throw std::invalid_argument("unknown head pool \"" + name + "\" (top, paper-7b, all-perfect)");
}

std::vector<HeadRef> chooseAblationHeads(const HeadProbing &probing, int k, HeadPool pool, std::uint64_t seed)
{
    const int n = probing.layers * probing.heads;
    if (k < 0 || k > n)
        throw std::invalid_argument("cannot choose " + std::to_string(k) + " of " + std::to_string(n) + " heads");
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return probing.accuracy[size_t(a)] > probing.accuracy[size_t(b)]; });
    const int perfect = int(std::count(probing.accuracy.begin(), probing.accuracy.end(), 1.0));
    std::vector<int> chosen;
    if (pool == HeadPool::Top || k > perfect) {
        chosen.assign(order.begin(), order.begin() + k);
    } else {
        const int poolSize = pool == HeadPool::Paper7B ? std::min(132, n) : perfect;
        if (k > poolSize)
            throw std::invalid_argument("the reference's 7B rule draws " + std::to_string(k) + " heads from a pool of " +
                                        std::to_string(poolSize) + " (it fails for 132 < k ≤ " + std::to_string(perfect) +
                                        " heads at accuracy 1)");
        // a uniform sample of k positions of the pool, without replacement (partial Fisher–Yates)
        std::vector<int> candidates(order.begin(), order.begin() + poolSize);
        std::mt19937_64 rng(seed);
        for (int i = 0; i < k; ++i) {
            std::uniform_int_distribution<int> pick(i, poolSize - 1);
            std::swap(candidates[size_t(i)], candidates[size_t(pick(rng))]);
        }
        chosen.assign(candidates.begin(), candidates.begin() + k);
        // back into accuracy order
        std::vector<int> rank(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i)
            rank[size_t(order[size_t(i)])] = i;
        std::sort(chosen.begin(), chosen.end(), [&](int a, int b) { return rank[size_t(a)] < rank[size_t(b)]; });
    }
    std::vector<HeadRef> out;
    for (int i : chosen)
        out.push_back({i / probing.heads, i % probing.heads});
    return out;
}

std::string headAblationName(HeadAblation a) { return a == HeadAblation::Reference ? "reference" : "output"; }

HeadAblation parseHeadAblation(const std::string &name)
{
    if (name == "reference")
        return HeadAblation::Reference;
    if (name == "output")
        return HeadAblation::Output;
    throw std::invalid_argument("unknown head ablation \"" + name + "\" (reference, output)");
}

} // namespace alignscope
