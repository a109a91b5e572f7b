// SPDX-License-Identifier: MIT
#include "model/generate.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace alignscope {

namespace {

/** One token per row. Row r samples with the generator of sequence rows[r], so a sequence's tokens depend on the
 *  seed and its own index only, never on which other sequences are still in the batch (early stop stays exact). */
at::Tensor pickTokens(const at::Tensor &logits, const SamplingSettings &s, std::vector<at::Generator> &gens,
                      const std::vector<std::int64_t> &rows)
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
    at::Tensor out = at::empty({probs.size(0)}, at::kLong);
    for (std::int64_t r = 0; r < probs.size(0); ++r)
        out[r] = at::multinomial(probs[r], 1, /*replacement=*/false, gens[size_t(rows[size_t(r)])]).item<std::int64_t>();
    return out;
}

/** Shorter shared prefixes are not worth a separate forward. */
constexpr std::int64_t kMinSharedPrefix = 8;

} // namespace

GenerateResult generate(const LlamaModel &model, const GenerateRequest &req, JobContext *ctx)
{
    const SamplingSettings &s = req.sampling;  // a NaN temperature once sampled without a random stream
    if (!std::isfinite(s.temperature) || s.temperature < 0)
        throw std::invalid_argument("[generate] the temperature must be a finite number >= 0 (0: greedy), got " +
                                    std::to_string(s.temperature));
    if (!std::isfinite(s.topP) || s.topP <= 0 || s.topP > 1)
        throw std::invalid_argument("[generate] top-p must lie in (0, 1], got " + std::to_string(s.topP));
    if (s.topK < 0)
        throw std::invalid_argument("[generate] top-k must be >= 0 (0: off), got " + std::to_string(s.topK));
    const std::int64_t B = std::int64_t(req.prompts.size());
    GenerateResult res;
    res.tokens.assign(size_t(B), {});
    res.hitEos.assign(size_t(B), false);
    res.stoppedEarly.assign(size_t(B), false);
    if (B == 0 || req.sampling.maxNewTokens <= 0)
        return res;
    std::int64_t maxLen = 0, minLen = std::numeric_limits<std::int64_t>::max();
    for (const auto &p : req.prompts) {
        if (p.empty())
            throw std::invalid_argument("[generate] empty prompt (at least BOS is needed)");
        maxLen = std::max<std::int64_t>(maxLen, std::int64_t(p.size()));
        minLen = std::min<std::int64_t>(minLen, std::int64_t(p.size()));
    }
    // A prefix shared by every prompt (a system prompt, say) is computed once and its keys/values are
    // copied to every row; each prompt keeps at least its last token for the batched forward.
    std::int64_t P = 0;
    if (B > 1) {
        const auto &first = req.prompts[0];
        while (P < minLen - 1 && std::all_of(req.prompts.begin(), req.prompts.end(),
                                             [&](const std::vector<std::int64_t> &p) { return p[size_t(P)] == first[size_t(P)]; }))
            ++P;
        if (P < kMinSharedPrefix)
            P = 0;
    }
    const auto dev = model.options().device;
    const auto longOpts = at::TensorOptions().dtype(at::kLong);
    const std::int64_t S = maxLen - P;  // the batched part: every prompt's tokens after the shared prefix
    const std::int64_t capacity = maxLen + req.sampling.maxNewTokens;

    // left padding of the batched part: every prompt ends at column P + S - 1
    at::Tensor ids = at::full({B, S}, req.padId, longOpts);
    at::Tensor valid = at::zeros({B, capacity}, at::TensorOptions().dtype(at::kBool));
    if (P > 0)
        valid.narrow(1, 0, P).fill_(true);
    auto idsA = ids.accessor<std::int64_t, 2>();
    for (std::int64_t b = 0; b < B; ++b) {
        const auto &p = req.prompts[size_t(b)];
        const std::int64_t n = std::int64_t(p.size()) - P, off = S - n;
        for (std::int64_t i = 0; i < n; ++i)
            idsA[b][off + i] = p[size_t(P + i)];
        valid[b].narrow(0, P + off, n).fill_(true);
    }
    at::Tensor positions = (valid.narrow(1, 0, P + S).to(at::kLong).cumsum(1) - 1).clamp_min(0).narrow(1, P, S);
    ids = ids.to(dev);
    valid = valid.to(dev);

    at::NoGradGuard noGrad;
    std::vector<at::Generator> gens;
    if (req.sampling.temperature > 0.0)
        for (std::int64_t b = 0; b < B; ++b)  // one stream per sequence (splitmix-style seeds)
            gens.push_back(at::detail::createCPUGenerator(req.sampling.seed * 0x9E3779B97F4A7C15ull + std::uint64_t(b) + 1));
    KVCache cache = model.makeCache(B, capacity);
    if (P > 0) {
        KVCache shared = model.makeCache(1, P);
        const auto &first = req.prompts[0];
        model.forward(at::tensor(std::vector<std::int64_t>(first.begin(), first.begin() + P), longOpts).view({1, P}).to(dev),
                      at::arange(P, longOpts).view({1, P}).to(dev), {}, &shared, nullptr, true);
        for (size_t l = 0; l < cache.k.size(); ++l) {
            cache.k[l].narrow(2, 0, P).copy_(shared.k[l].narrow(2, 0, P).expand({B, -1, -1, -1}));
            cache.v[l].narrow(2, 0, P).copy_(shared.v[l].narrow(2, 0, P).expand({B, -1, -1, -1}));
        }
        cache.length = P;
    }
    at::Tensor logits = model.forward(ids, positions.to(dev), valid.narrow(1, 0, P + S), &cache, nullptr, true)
                            .select(1, 0);
    at::Tensor nextPos = positions.select(1, S - 1) + 1;  // [B]
    std::vector<std::int64_t> active(static_cast<size_t>(B));
    for (std::int64_t b = 0; b < B; ++b)
        active[size_t(b)] = b;
    res.tokensComputed = P + B * S;

    for (std::int64_t step = 0; step < req.sampling.maxNewTokens; ++step) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(step, req.sampling.maxNewTokens, "generating");
        }
        const at::Tensor tok = pickTokens(logits.cpu(), req.sampling, gens, active);
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
