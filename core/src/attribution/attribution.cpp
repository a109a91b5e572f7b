// SPDX-License-Identifier: MIT
#include "attribution/attribution.h"

#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "edit/editor.h"
#include "selection/selection.h"

#include <algorithm>
#include <array>
#include <functional>
#include <stdexcept>

namespace alignscope {

std::string methodName(ScoreMethod m)
{
    switch (m) {
    case ScoreMethod::Wanda: return "wanda";
    case ScoreMethod::Snip: return "snip";
    case ScoreMethod::ActSvd: return "actsvd";
    }
    return {};
}

std::string granularityName(Granularity g) { return g == Granularity::WholeMatrix ? "matrix" : "row"; }

std::string modeName(ScoreMode m) { return m == ScoreMode::OneShot ? "oneshot" : "sequential"; }

ScoreMethod parseMethod(const std::string &name)
{
    for (ScoreMethod m : {ScoreMethod::Wanda, ScoreMethod::Snip, ScoreMethod::ActSvd})
        if (methodName(m) == name)
            return m;
    throw std::invalid_argument("unknown method \"" + name + "\" (expected wanda, snip or actsvd)");
}

ScoreMode parseMode(const std::string &name)
{
    for (ScoreMode m : {ScoreMode::OneShot, ScoreMode::Sequential})
        if (modeName(m) == name)
            return m;
    throw std::invalid_argument("unknown mode \"" + name + "\" (expected oneshot or sequential)");
}

at::Tensor actSvdModified(const at::Tensor &weight, const at::Tensor &eigenvectors, std::int64_t rank, bool removeTop)
{
    const std::int64_t m = std::min(weight.size(0), weight.size(1));
    if (rank < 0 || rank > m)
        throw std::invalid_argument("[ActSVD] rank " + std::to_string(rank) + " outside [0, " + std::to_string(m) + "]");
    const std::int64_t used = removeTop ? rank : m - rank;
    if (used == 0)
        return weight.clone();
    const at::Tensor V = eigenvectors.narrow(1, 0, used).to(at::kDouble);
    const at::Tensor W = weight.to(at::kDouble);
    const at::Tensor projected = at::matmul(V, at::matmul(V.t(), W));
    return (removeTop ? W - projected : projected).to(weight.scalar_type());
}

namespace {

struct Sequence {
    at::Tensor ids, positions;  // [1, T]
    std::int64_t promptLength = 0, length = 0;
};

std::vector<Sequence> sequences(const LlamaModel &model, const std::vector<CalibrationExample> &examples)
{
    std::vector<Sequence> out;
    const auto dev = model.options().device;
    for (const auto &e : examples) {
        Sequence s;
        s.length = std::int64_t(e.ids.size());
        s.promptLength = e.promptLength;
        s.ids = at::tensor(e.ids, at::kLong).view({1, -1}).to(dev);
        s.positions = at::arange(s.length, at::TensorOptions().dtype(at::kLong).device(dev)).view({1, -1});
        out.push_back(std::move(s));
    }
    return out;
}

const at::Tensor &weightOf(const LlamaModel &model, int l, int m) { return model.layer(l).w[m]; }

/** Undoes every edit when the job ends, however it ends. */
struct EditScope {
    explicit EditScope(LlamaModel &m) : editor(m) {}
    ~EditScope() { editor.undo(); }
    WeightEditor editor;
};

/** Applies a finished layer's modification (sequential mode). */
void modifyLayer(WeightEditor &editor, const LlamaModel &model, const ScoreSettings &s, int l, int m,
                 const at::Tensor &result)
{
    const at::Tensor &w = weightOf(model, l, m);
    if (s.method == ScoreMethod::ActSvd)
        editor.replace(l, Matrix(m), actSvdModified(w, result, s.rank, s.removeTop));
    else if (s.sparsity > 0)
        editor.mask(l, Matrix(m), rowPruneIndices(result, s.sparsity, s.topDown));
}

/** The residual-stream states of a set of examples, advanced one layer at a time (no grad). */
class Stream {
public:
    Stream(const LlamaModel &model, const std::vector<Sequence> &seqs) : m_model(model), m_seqs(seqs)
    {
        for (const auto &q : seqs) {
            m_contexts.push_back(model.layerContext(1, q.length, q.positions));
            m_states.push_back(model.embed(q.ids));
        }
    }

    /** Runs every example through layer l. */
    void propagate(int l)
    {
        for (size_t n = 0; n < m_seqs.size(); ++n)
            m_states[n] = m_model.layerForward(l, m_states[n], m_contexts[n]);
    }

    /**
     * The input statistics of layer l's 7 matrices at the response positions (q/k/v and gate/up share
     * theirs): Σ x² per input channel (Wanda) or XᵀX (ActSVD), fp32 (fp64 for an fp64 model). With
     * `advance` the states move on to layer l's output (one-shot mode saves the second pass).
     * `tick(n)` is called after example n.
     */
    std::array<at::Tensor, kMatricesPerLayer> statistics(int l, bool wanda, bool advance,
                                                         const std::function<void(std::int64_t)> &tick)
    {
        std::array<at::Tensor, kMatricesPerLayer> stat;
        size_t current = 0;
        const LinearInputHook hook = [&](int, Matrix m, const at::Tensor &input) {
            if (m == Matrix::K || m == Matrix::V || m == Matrix::Up)
                return;
            const Sequence &q = m_seqs[current];
            const at::ScalarType acc = input.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
            const at::Tensor x = input[0].narrow(0, q.promptLength, q.length - q.promptLength).to(acc);
            const at::Tensor add = wanda ? x.pow(2).sum(0) : at::matmul(x.t(), x);
            at::Tensor &st = stat[size_t(m)];
            st = st.defined() ? st + add : add;
        };
        for (current = 0; current < m_seqs.size(); ++current) {
            at::Tensor out = m_model.layerForward(l, m_states[current], m_contexts[current], nullptr, &hook);
            if (advance)
                m_states[current] = std::move(out);
            tick(std::int64_t(current));
        }
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const int src = (m == 1 || m == 2) ? 0 : m == 5 ? 4 : m;
            stat[size_t(m)] = stat[size_t(src)];
        }
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const std::int64_t d = weightOf(m_model, l, m).size(1);
            if (!stat[size_t(m)].defined())  // no response position in any example
                stat[size_t(m)] = wanda ? at::zeros({d}, at::kDouble) : at::zeros({d, d}, at::kDouble);
            stat[size_t(m)] = stat[size_t(m)].to(weightOf(m_model, l, m).device());
        }
        return stat;
    }

private:
    const LlamaModel &m_model;
    const std::vector<Sequence> &m_seqs;
    std::vector<at::Tensor> m_states;
    std::vector<LlamaModel::LayerContext> m_contexts;
};

/** Eigenvalues (descending) and eigenvectors of W (XᵀX) Wᵀ in fp64 (spec §6.3, the recommended exact form). */
std::pair<at::Tensor, at::Tensor> outputBasis(const at::Tensor &w, const at::Tensor &xtx)
{
    const at::Tensor W = w.to(at::kDouble);
    const at::Tensor K = at::matmul(W, at::matmul(xtx.to(at::kDouble), W.t()));
    auto [values, vectors] = at::linalg_eigh(0.5 * (K + K.t()));
    return {values.flip(0), vectors.flip(1)};
}

void activationMethod(LlamaModel &model, const std::vector<Sequence> &seqs, const ScoreSettings &s,
                      AttributionSink &sink, int firstLayer, JobContext *ctx)
{
    at::NoGradGuard noGrad;
    const bool sequential = s.mode == ScoreMode::Sequential;
    const bool wanda = s.method == ScoreMethod::Wanda;
    const int L = int(model.config().numLayers);
    const std::int64_t N = std::int64_t(seqs.size());
    EditScope edits(model);
    // streaming: one layer's weights in memory at a time; a modified layer is dropped with its changes (the file
    // is never written), so the model is left as it was without undoing them
    struct Released {
        LlamaModel &m;
        ~Released()
        {
            for (int l = 0; l < int(m.config().numLayers); ++l)
                m.releaseLayer(l);
        }
    } released{model};
    auto done = [&](int l) {
        if (!model.streamsLayers())
            return;
        edits.editor.discard();
        model.releaseLayer(l);
    };
    Stream stream(model, seqs);
    for (int l = 0; l < L; ++l) {
        if (ctx)
            ctx->checkCancelled();
        model.loadLayer(l);
        if (l < firstLayer) {
            if (sequential)
                for (int m = 0; m < kMatricesPerLayer; ++m)
                    modifyLayer(edits.editor, model, s, l, m,
                                wanda ? sink.storedScore(l, Matrix(m)) : sink.storedBasis(l, Matrix(m)));
            stream.propagate(l);
            done(l);
            continue;
        }
        const auto stat = stream.statistics(l, wanda, !sequential, [&](std::int64_t n) {
            if (ctx) {
                ctx->checkCancelled();
                ctx->report(std::int64_t(l - firstLayer) * N + n + 1, std::int64_t(L - firstLayer) * N,
                            "scoring layer " + std::to_string(l));
            }
        });
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const at::Tensor &w = weightOf(model, l, m);
            const at::Tensor &st = stat[size_t(m)];
            at::Tensor stored;
            if (wanda) {
                const at::Tensor score = (w.abs().to(st.scalar_type()) * (st / double(N)).sqrt().unsqueeze(0)).to(at::kFloat);
                stored = sink.score(l, Matrix(m), score);
            } else {
                const auto [values, vectors] = outputBasis(w, st);
                stored = sink.basis(l, Matrix(m), values, vectors);
            }
            if (sequential)
                modifyLayer(edits.editor, model, s, l, m, stored);
        }
        if (sequential)
            stream.propagate(l);
        sink.layerDone(l);
        done(l);
    }
}

/** Spec §7 sequential: both sets' bases on the model modified so far, then W ← W − (I − Π_u) Π_s W. */
void orthogonalSequential(LlamaModel &model, const std::vector<Sequence> &safety, const std::vector<Sequence> &utility,
                          const ScoreSettings &s, AttributionSink &safetySink, AttributionSink &utilitySink,
                          int firstLayer, JobContext *ctx)
{
    at::NoGradGuard noGrad;
    const int L = int(model.config().numLayers);
    const std::int64_t N = std::int64_t(safety.size() + utility.size());
    EditScope edits(model);
    Stream streamS(model, safety), streamU(model, utility);
    auto modify = [&](int l, int m, const at::Tensor &vs, const at::Tensor &vu) {
        const at::Tensor &w = weightOf(model, l, m);
        const at::Tensor delta = orthogonalProjectionDelta(w, vu, vs, s.ru, s.rs, s.paperRanks);
        edits.editor.replace(l, Matrix(m), (w.to(at::kDouble) - delta).to(w.scalar_type()));
    };
    for (int l = 0; l < L; ++l) {
        if (ctx)
            ctx->checkCancelled();
        if (l >= firstLayer) {
            std::int64_t offset = 0;
            auto tick = [&](std::int64_t n) {
                if (ctx) {
                    ctx->checkCancelled();
                    ctx->report(std::int64_t(l - firstLayer) * N + offset + n + 1, std::int64_t(L - firstLayer) * N,
                                "decomposing layer " + std::to_string(l));
                }
            };
            const auto statS = streamS.statistics(l, false, false, tick);
            offset = std::int64_t(safety.size());
            const auto statU = streamU.statistics(l, false, false, tick);
            // every matrix is decomposed before any of them is modified (spec §6.3 b)
            std::array<at::Tensor, kMatricesPerLayer> vs, vu;
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const at::Tensor &w = weightOf(model, l, m);
                const auto [valS, vecS] = outputBasis(w, statS[size_t(m)]);
                vs[size_t(m)] = safetySink.basis(l, Matrix(m), valS, vecS);
                const auto [valU, vecU] = outputBasis(w, statU[size_t(m)]);
                vu[size_t(m)] = utilitySink.basis(l, Matrix(m), valU, vecU);
            }
            for (int m = 0; m < kMatricesPerLayer; ++m)
                modify(l, m, vs[size_t(m)], vu[size_t(m)]);
            safetySink.layerDone(l);
            utilitySink.layerDone(l);
        } else {
            for (int m = 0; m < kMatricesPerLayer; ++m)
                modify(l, m, safetySink.storedBasis(l, Matrix(m)), utilitySink.storedBasis(l, Matrix(m)));
        }
        streamS.propagate(l);
        streamU.propagate(l);
    }
}

/** Mean response-token cross-entropy of one example (spec §1.5); undefined if it has no response token. */
at::Tensor exampleLoss(const LlamaModel &model, const Sequence &q)
{
    const std::int64_t M = q.length - q.promptLength;
    if (M <= 0 || q.promptLength < 1)
        return {};
    const at::Tensor h = model.hidden(q.ids, q.positions)[0].narrow(0, q.promptLength - 1, M);
    const at::Tensor logits = model.logits(h);
    const at::Tensor targets = q.ids[0].narrow(0, q.promptLength, M);
    return at::cross_entropy_loss(logits, targets);
}

/** Layers whose SNIP accumulators and gradients fit in about half the free memory at once. */
int snipChunk(const LlamaModel &model, const ScoreSettings &s)
{
    const int L = int(model.config().numLayers);
    if (s.layerChunk > 0)
        return std::min(L, s.layerChunk);
    std::int64_t perLayer = 0;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const at::Tensor &w = weightOf(model, 0, m);
        perLayer += w.numel() * std::int64_t(4 + 2 * w.element_size());  // fp32 accumulator, gradient, |gradient|
    }
    const double budget = 0.5 * double(availableMemory());
    return std::max(1, std::min(L, int(budget / double(std::max<std::int64_t>(1, perLayer)))));
}

void snip(LlamaModel &model, const std::vector<Sequence> &seqs, const ScoreSettings &s, AttributionSink &sink,
          int firstLayer, JobContext *ctx)
{
    const int L = int(model.config().numLayers);
    const std::int64_t N = std::int64_t(seqs.size());
    const bool sequential = s.mode == ScoreMode::Sequential;
    EditScope edits(model);
    struct GradientsOff {
        LlamaModel &m;
        ~GradientsOff() { setWeightGradients(m, {}); }
    } gradientsOff{model};
    const int chunk = sequential ? 1 : snipChunk(model, s);
    if (sequential)
        for (int l = 0; l < firstLayer; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                modifyLayer(edits.editor, model, s, l, m, sink.storedScore(l, Matrix(m)));
    const std::int64_t passes = (L - firstLayer + chunk - 1) / chunk;
    std::int64_t pass = 0;
    for (int a = firstLayer; a < L; a += chunk, ++pass) {
        const int b = std::min(L, a + chunk);
        std::vector<std::pair<int, Matrix>> which;
        std::vector<at::Tensor> acc;
        for (int l = a; l < b; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                which.emplace_back(l, Matrix(m));
                acc.push_back(at::zeros(weightOf(model, l, m).sizes(),
                                        weightOf(model, l, m).options().dtype(at::kFloat)));
            }
        setWeightGradients(model, which);
        for (std::int64_t n = 0; n < N; ++n) {
            if (ctx)
                ctx->checkCancelled();
            const at::Tensor loss = exampleLoss(model, seqs[size_t(n)]);
            if (loss.defined()) {
                loss.backward();
                for (size_t i = 0; i < which.size(); ++i) {
                    at::Tensor &w = model.layer(which[i].first).w[int(which[i].second)];
                    if (w.grad().defined())
                        acc[i].add_(w.grad().abs().to(at::kFloat));
                    w.mutable_grad() = at::Tensor();
                }
            }
            if (ctx)
                ctx->report(pass * N + n + 1, passes * N,
                            sequential ? "scoring layer " + std::to_string(a)
                                       : "scoring layers " + std::to_string(a) + "-" + std::to_string(b - 1));
        }
        at::NoGradGuard noGrad;
        for (size_t i = 0; i < which.size(); ++i) {
            const auto [l, m] = which[i];
            const at::Tensor score = weightOf(model, l, int(m)).detach().abs().to(at::kFloat) * acc[i];
            const at::Tensor stored = sink.score(l, m, score);
            if (sequential)
                modifyLayer(edits.editor, model, s, l, int(m), stored);
            if (int(m) == kMatricesPerLayer - 1)
                sink.layerDone(l);
        }
    }
}

} // namespace

void runAttribution(LlamaModel &model, const std::vector<CalibrationExample> &examples, const ScoreSettings &s,
                    AttributionSink &sink, int firstLayer, JobContext *ctx)
{
    if (examples.empty())
        throw std::invalid_argument("[attribution] no calibration examples");
    if (s.mode == ScoreMode::Sequential && s.method != ScoreMethod::ActSvd && !(s.sparsity >= 0 && s.sparsity < 1))
        throw std::invalid_argument("[attribution] the sequential sparsity must lie in [0, 1)");
    if (s.orthogonal)
        throw std::invalid_argument("[attribution] the orthogonal projection needs a safety and a utility set "
                                    "(runOrthogonalAttribution)");
    if (model.streamsLayers() && s.method == ScoreMethod::Snip)
        throw std::invalid_argument("[attribution] SNIP needs every layer in memory for its backward pass; streaming "
                                    "the layers scores Wanda and ActSVD");
    const std::vector<Sequence> seqs = sequences(model, examples);
    if (s.method == ScoreMethod::Snip)
        snip(model, seqs, s, sink, firstLayer, ctx);
    else
        activationMethod(model, seqs, s, sink, firstLayer, ctx);
}

void runOrthogonalAttribution(LlamaModel &model, const std::vector<CalibrationExample> &safety,
                              const std::vector<CalibrationExample> &utility, const ScoreSettings &s,
                              AttributionSink &safetySink, AttributionSink &utilitySink, int firstLayer, JobContext *ctx)
{
    if (safety.empty() || utility.empty())
        throw std::invalid_argument("[attribution] the orthogonal projection needs safety and utility examples");
    if (model.streamsLayers())
        throw std::invalid_argument("[attribution] the sequential orthogonal projection needs the model in memory");
    if (s.method != ScoreMethod::ActSvd || s.mode != ScoreMode::Sequential || !s.orthogonal)
        throw std::invalid_argument("[attribution] the orthogonal projection is a sequential ActSVD job");
    for (int m = 0; m < kMatricesPerLayer; ++m) {  // rank checks before any work
        const at::Tensor &w = weightOf(model, 0, m);
        orthogonalDimensions(w.size(0), w.size(1), s.ru, s.rs, s.paperRanks);
    }
    orthogonalSequential(model, sequences(model, safety), sequences(model, utility), s, safetySink, utilitySink,
                         firstLayer, ctx);
}

} // namespace alignscope
