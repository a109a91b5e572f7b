// SPDX-License-Identifier: MIT
#include "train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <tuple>

namespace alignscope {

namespace {


/** ids [B, T] (right-padded with 0), key mask [B, T], targets [B, T] (-100 where not scored). */
struct Batch {
    at::Tensor ids, mask, targets;
};

Batch collate(const std::vector<TrainSequence> &seqs)
{
    std::int64_t T = 0;
    for (const auto &s : seqs)
        T = std::max<std::int64_t>(T, std::int64_t(s.ids.size()));
    const std::int64_t B = std::int64_t(seqs.size());
    Batch b{at::zeros({B, T}, at::kLong), at::zeros({B, T}, at::kBool), at::full({B, T}, -100, at::kLong)};
    auto ids = b.ids.accessor<std::int64_t, 2>();
    auto tg = b.targets.accessor<std::int64_t, 2>();
    for (std::int64_t i = 0; i < B; ++i) {
        const auto &s = seqs[size_t(i)];
        const auto n = std::int64_t(s.ids.size());
        for (std::int64_t t = 0; t < n; ++t)
            ids[i][t] = s.ids[size_t(t)];
        b.mask[i].narrow(0, 0, n).fill_(true);
        // position t predicts token t+1
        for (std::int64_t t = std::max<std::int64_t>(0, s.firstTarget - 1); t + 1 < n; ++t)
            tg[i][t] = s.ids[size_t(t + 1)];
    }
    return b;
}

at::Tensor batchLoss(const LlamaModel &model, const Batch &b)
{
    const std::int64_t B = b.ids.size(0), T = b.ids.size(1);
    const at::Tensor pos = at::arange(T, at::kLong).view({1, T}).expand({B, T});
    // lm_head only where a token is scored: most positions of a chat example are prompt
    const at::Tensor h = model.hidden(b.ids, pos, b.mask).reshape({B * T, -1});
    const at::Tensor targets = b.targets.reshape({B * T});
    const at::Tensor rows = (targets != -100).nonzero().squeeze(1);
    const at::Tensor logits = model.logits(h.index_select(0, rows));
    return at::cross_entropy_loss(logits, targets.index_select(0, rows));
}

} // namespace

double learningRate(const TrainOptions &o, std::int64_t step)
{
    if (o.warmup > 0 && step < o.warmup)
        return o.peakLr * double(step + 1) / double(o.warmup);
    const double span = double(std::max<std::int64_t>(1, o.steps - o.warmup));
    const double progress = std::min(1.0, double(step - o.warmup) / span);
    const double floor = o.peakLr * o.minLrFraction;
    return floor + (o.peakLr - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

void initialiseWeights(LlamaModel &m, std::uint64_t seed)
{
    at::NoGradGuard ng;
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const auto &c = m.config();
    const auto dtype = m.options().dtype;
    auto normal = [&](std::vector<std::int64_t> shape) { return (at::randn(shape, gen, at::kFloat) * 0.02).to(dtype); };
    m.embedding() = normal({c.vocabSize, c.hiddenSize});
    m.finalNorm() = at::ones({c.hiddenSize}, dtype);
    if (!c.tieWordEmbeddings)
        m.setLmHead(normal({c.vocabSize, c.hiddenSize}));
    for (int l = 0; l < c.numLayers; ++l) {
        LayerWeights &w = m.layer(l);
        w.inputNorm = at::ones({c.hiddenSize}, dtype);
        w.postNorm = at::ones({c.hiddenSize}, dtype);
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            const auto [o, i] = c.matrixShape(k);
            w.w[k] = normal({o, i});
        }
    }
}

TrainStats train(LlamaModel &model, const std::function<TrainSequence(std::mt19937_64 &)> &sample,
                 const TrainOptions &o, JobContext *ctx, const FrozenEntries *frozen)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::mt19937_64 rng(o.seed);
    std::vector<at::Tensor *> params = parameters(model);
    // frozen entries: parameter → (mask, original values)
    std::vector<std::tuple<at::Tensor *, at::Tensor, at::Tensor>> keep;
    if (frozen) {
        const int L = int(model.config().numLayers);
        if (frozen->masks.size() != size_t(L * kMatricesPerLayer))
            throw std::invalid_argument("[train] one frozen mask per decoder matrix expected");
        for (int l = 0; l < L; ++l)
            for (int k = 0; k < kMatricesPerLayer; ++k) {
                const at::Tensor &mask = frozen->masks[size_t(l * kMatricesPerLayer + k)];
                at::Tensor &w = model.layer(l).w[k];
                if (!mask.defined())
                    continue;
                if (!mask.sizes().equals(w.sizes()))
                    throw std::invalid_argument("[train] a frozen mask does not match its matrix");
                keep.emplace_back(&w, mask.to(w.device()).to(at::kBool), w.detach().clone());
            }
    }
    struct Release {  // leaves no autograd state behind, also when cancelled or failing
        std::vector<at::Tensor *> &p;
        ~Release()
        {
            for (at::Tensor *t : p) {
                t->mutable_grad() = at::Tensor();
                t->requires_grad_(false);
            }
        }
    } release{params};
    std::vector<at::Tensor> m1, m2;
    for (at::Tensor *p : params) {
        p->requires_grad_(true);
        m1.push_back(at::zeros_like(*p, at::kFloat));
        m2.push_back(at::zeros_like(*p, at::kFloat));
    }
    TrainStats stats;
    for (std::int64_t step = 0; step < o.steps; ++step) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(step, o.steps, "training");
        }
        std::vector<TrainSequence> seqs;
        for (std::int64_t i = 0; i < o.batch; ++i)
            seqs.push_back(sample(rng));
        for (at::Tensor *p : params)
            p->mutable_grad() = at::Tensor();
        at::Tensor loss = batchLoss(model, collate(seqs));
        loss.backward();
        stats.loss.push_back(loss.item<double>());

        at::NoGradGuard ng;
        for (auto &[w, mask, original] : keep)
            if (w->grad().defined())
                w->mutable_grad().masked_fill_(mask, 0);
        double sq = 0;
        for (at::Tensor *p : params)
            if (p->grad().defined())
                sq += p->grad().to(at::kFloat).pow(2).sum().item<double>();
        const double norm = std::sqrt(sq);
        const double scale = o.clipNorm > 0 && norm > o.clipNorm ? o.clipNorm / (norm + 1e-6) : 1.0;
        const double lr = learningRate(o, step);
        const double bc1 = 1.0 - std::pow(o.beta1, double(step + 1)), bc2 = 1.0 - std::pow(o.beta2, double(step + 1));
        for (size_t i = 0; i < params.size(); ++i) {
            at::Tensor &p = *params[i];
            if (!p.grad().defined())
                continue;
            const at::Tensor g = p.grad().to(at::kFloat) * scale;
            m1[i].mul_(o.beta1).add_(g, 1.0 - o.beta1);
            m2[i].mul_(o.beta2).addcmul_(g, g, 1.0 - o.beta2);
            at::Tensor update = (m1[i] / bc1) / ((m2[i] / bc2).sqrt() + o.eps);
            if (p.dim() >= 2)  // decoupled weight decay on matrices and embeddings, not on norms or biases
                update = update + o.weightDecay * p.to(at::kFloat);
            p.sub_((lr * update).to(p.scalar_type()));
        }
        for (auto &[w, mask, original] : keep)
            w->copy_(at::where(mask, original, *w));
    }
    if (ctx)
        ctx->report(o.steps, o.steps, "training");
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

double evaluateLoss(const LlamaModel &model, const std::vector<TrainSequence> &batch)
{
    at::NoGradGuard ng;
    return batchLoss(model, collate(batch)).item<double>();
}

std::vector<at::Tensor *> parameters(LlamaModel &m)
{
    std::vector<at::Tensor *> p = {&m.embedding(), &m.finalNorm()};
    if (!m.config().tieWordEmbeddings)
        p.push_back(&m.lmHeadRef());
    for (int l = 0; l < m.config().numLayers; ++l) {
        LayerWeights &w = m.layer(l);
        p.push_back(&w.inputNorm);
        p.push_back(&w.postNorm);
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            p.push_back(&w.w[k]);
            if (w.b[k].defined())
                p.push_back(&w.b[k]);
        }
    }
    return p;
}

} // namespace alignscope
