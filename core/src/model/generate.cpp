// SPDX-License-Identifier: MIT
#include "model/generate.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <stdexcept>

namespace alignscope {

namespace {

at::Tensor pickTokens(const at::Tensor &logits, const SamplingSettings &s, at::Generator &gen)
{
    // logits [B, V] fp32
    if (s.temperature <= 0.0)
        return logits.argmax(-1);
    at::Tensor scaled = logits / s.temperature;
    if (s.topK > 0 && s.topK < scaled.size(-1)) {
        const at::Tensor kth = std::get<0>(scaled.topk(s.topK, -1)).narrow(-1, s.topK - 1, 1);
        scaled = scaled.masked_fill(scaled < kth, -std::numeric_limits<float>::infinity());
    }
    at::Tensor probs = at::softmax(scaled, -1);
    if (s.topP < 1.0) {
        auto [sorted, order] = probs.sort(-1, /*descending=*/true);
        const at::Tensor before = sorted.cumsum(-1) - sorted;  // mass strictly before each token
        const at::Tensor drop = before > s.topP;               // always keeps the most likely token
        sorted = sorted.masked_fill(drop, 0.0);
        probs = at::zeros_like(probs).scatter(-1, order, sorted);
        probs = probs / probs.sum(-1, /*keepdim=*/true);
    }
    return at::multinomial(probs, 1, /*replacement=*/false, gen).squeeze(-1);
}

} // namespace

GenerateResult generate(const LlamaModel &model, const GenerateRequest &req, JobContext *ctx)
{
    const std::int64_t B = std::int64_t(req.prompts.size());
    GenerateResult res;
    res.tokens.assign(size_t(B), {});
    res.hitEos.assign(size_t(B), false);
    res.stoppedEarly.assign(size_t(B), false);
    if (B == 0 || req.sampling.maxNewTokens <= 0)
        return res;
    std::int64_t maxLen = 0;
    for (const auto &p : req.prompts) {
        if (p.empty())
            throw std::invalid_argument("[generate] empty prompt (at least BOS is needed)");
        maxLen = std::max<std::int64_t>(maxLen, std::int64_t(p.size()));
    }
    const auto dev = model.options().device;
    const auto longOpts = at::TensorOptions().dtype(at::kLong);
    const std::int64_t capacity = maxLen + req.sampling.maxNewTokens;

    // left padding: every prompt ends at column maxLen-1
    at::Tensor ids = at::full({B, maxLen}, req.padId, longOpts);
    at::Tensor valid = at::zeros({B, capacity}, at::TensorOptions().dtype(at::kBool));
    auto idsA = ids.accessor<std::int64_t, 2>();
    for (std::int64_t b = 0; b < B; ++b) {
        const auto &p = req.prompts[size_t(b)];
        const std::int64_t off = maxLen - std::int64_t(p.size());
        for (size_t i = 0; i < p.size(); ++i)
            idsA[b][off + std::int64_t(i)] = p[i];
        valid[b].narrow(0, off, std::int64_t(p.size())).fill_(true);
    }
    at::Tensor positions = (valid.narrow(1, 0, maxLen).to(at::kLong).cumsum(1) - 1).clamp_min(0);
    ids = ids.to(dev);
    valid = valid.to(dev);

    at::NoGradGuard noGrad;
    at::Generator gen = at::detail::createCPUGenerator(req.sampling.seed);
    KVCache cache = model.makeCache(B, capacity);
    at::Tensor logits = model.forward(ids, positions.to(dev), valid.narrow(1, 0, maxLen), &cache, nullptr, true)
                            .select(1, 0);
    at::Tensor nextPos = positions.select(1, maxLen - 1) + 1;  // [B]
    std::vector<std::int64_t> active(static_cast<size_t>(B));
    for (std::int64_t b = 0; b < B; ++b)
        active[size_t(b)] = b;
    res.tokensComputed = B * maxLen;

    for (std::int64_t step = 0; step < req.sampling.maxNewTokens; ++step) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(step, req.sampling.maxNewTokens, "generating");
        }
        const at::Tensor tok = pickTokens(logits.cpu(), req.sampling, gen);
        const auto tokA = tok.accessor<std::int64_t, 1>();
        std::vector<std::int64_t> keep;
        for (size_t r = 0; r < active.size(); ++r) {
            const std::int64_t orig = active[r];
            const std::int64_t t = tokA[std::int64_t(r)];
            auto &out = res.tokens[size_t(orig)];
            out.push_back(t);
            if (std::find(req.eosIds.begin(), req.eosIds.end(), t) != req.eosIds.end()) {
                res.hitEos[size_t(orig)] = true;
                continue;
            }
            if (std::int64_t(out.size()) >= req.sampling.maxNewTokens)
                continue;
            if (req.stopEarly && req.stopEarly(size_t(orig), out)) {
                res.stoppedEarly[size_t(orig)] = true;
                continue;
            }
            keep.push_back(std::int64_t(r));
        }
        res.steps = step + 1;
        if (keep.empty())
            break;
        at::Tensor next = tok;
        if (keep.size() != active.size()) {  // finished sequences leave the batch
            const at::Tensor rows = at::tensor(keep, longOpts);
            const at::Tensor rowsDev = rows.to(dev);
            cache.selectRows(rowsDev);
            valid = valid.index_select(0, rowsDev);
            nextPos = nextPos.index_select(0, rows);
            next = next.index_select(0, rows);
            std::vector<std::int64_t> stillActive;
            for (auto r : keep)
                stillActive.push_back(active[size_t(r)]);
            active.swap(stillActive);
        }
        valid.select(1, cache.length).fill_(true);
        logits = model.forward(next.view({-1, 1}).to(dev), nextPos.view({-1, 1}).to(dev),
                               valid.narrow(1, 0, cache.length + 1), &cache, nullptr, true)
                     .select(1, 0);
        res.tokensComputed += std::int64_t(active.size());
        nextPos = nextPos + 1;
    }
    if (ctx)
        ctx->report(req.sampling.maxNewTokens, req.sampling.maxNewTokens, "generating");
    return res;
}

} // namespace alignscope
