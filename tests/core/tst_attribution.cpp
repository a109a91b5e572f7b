// SPDX-License-Identifier: MIT
// Attribution and selection against independent, deliberately plain computations on tiny random
// models: Wanda from explicitly stored activations, SNIP from per-example autograd of a separately
// written loss (one layer at a time, as the reference does), the sequential (prune-as-you-go) modes
// from a brute-force loop, ActSVD against the SVD of the stored activations (Eckart–Young
// optimality), and the set operations against std::sort with the documented tie rule.
#include "alignscope/fraction_grid.h"
#include "alignscope/runtime.h"
#include "attribution/attribution.h"
#include "edit/editor.h"
#include "model/llama.h"
#include "selection/selection.h"
#include "store/summary.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

using namespace alignscope;

namespace {

using Key = std::pair<int, int>;

struct MemorySink : AttributionSink {
    std::map<Key, at::Tensor> scores, values, vectors;
    std::vector<int> done;
    at::Tensor score(int l, Matrix m, const at::Tensor &s) override { return scores[{l, int(m)}] = s.clone(); }
    at::Tensor basis(int l, Matrix m, const at::Tensor &v, const at::Tensor &e) override
    {
        values[{l, int(m)}] = v.clone();
        return vectors[{l, int(m)}] = e.clone();
    }
    void layerDone(int l) override { done.push_back(l); }
    at::Tensor storedScore(int l, Matrix m) override { return scores.at({l, int(m)}); }
    at::Tensor storedBasis(int l, Matrix m) override { return vectors.at({l, int(m)}); }
};

std::vector<CalibrationExample> randomExamples(int n, int vocab, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<CalibrationExample> out;
    for (int i = 0; i < n; ++i) {
        CalibrationExample e;
        e.row = i;
        const int T = 5 + int(rng() % 8);
        e.promptLength = 2 + std::int64_t(rng() % 3);
        e.ids.push_back(1);
        for (int t = 1; t < T; ++t)
            e.ids.push_back(3 + std::int64_t(rng() % std::uint64_t(vocab - 3)));
        out.push_back(e);
    }
    return out;
}

struct Fixture {
    QTemporaryDir dir;
    test::TinySpec spec;
    std::unique_ptr<LlamaModel> model;
    explicit Fixture(at::ScalarType dtype, int layers = 3)
    {
        spec.layers = layers;
        spec.kvHeads = 2;
        test::writeTinyModel(dir.path().toStdString(), spec, test::tinyWeights(spec));
        model = LlamaModel::load(dir.path().toStdString(), {dtype, at::kCPU});
    }
};

/** Inputs of every linear at the response positions, one [|M|, d_in] block per example. */
std::map<Key, std::vector<at::Tensor>> storedActivations(const LlamaModel &model, const std::vector<CalibrationExample> &ex)
{
    at::NoGradGuard ng;
    std::map<Key, std::vector<at::Tensor>> x;
    for (const auto &e : ex) {
        const auto T = std::int64_t(e.ids.size());
        const LinearInputHook hook = [&](int l, Matrix m, const at::Tensor &in) {
            x[{l, int(m)}].push_back(in[0].narrow(0, e.promptLength, T - e.promptLength).to(at::kDouble).clone());
        };
        model.forward(at::tensor(e.ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}), {}, nullptr, &hook);
    }
    return x;
}

/** Σ_n |∇ℓ_n| for the 7 matrices of `layer`, the loss written out with log_softmax and gather. */
std::vector<at::Tensor> referenceGradientSums(LlamaModel &model, const std::vector<CalibrationExample> &ex, int layer)
{
    std::vector<std::pair<int, Matrix>> which;
    for (int m = 0; m < kMatricesPerLayer; ++m)
        which.emplace_back(layer, Matrix(m));
    setWeightGradients(model, which);
    std::vector<at::Tensor> sums(kMatricesPerLayer);
    for (const auto &e : ex) {
        const auto T = std::int64_t(e.ids.size());
        const at::Tensor logits = model.forward(at::tensor(e.ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}));
        const at::Tensor lp = at::log_softmax(logits[0].to(at::kDouble), -1);
        at::Tensor loss = at::zeros({}, at::kDouble);
        for (std::int64_t t = e.promptLength; t < T; ++t)
            loss = loss - lp[t - 1][e.ids[size_t(t)]];
        (loss / double(T - e.promptLength)).backward();
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            at::Tensor &w = model.layer(layer).w[m];
            const at::Tensor g = w.grad().abs().to(at::kDouble);
            sums[size_t(m)] = sums[size_t(m)].defined() ? sums[size_t(m)] + g : g;
            w.mutable_grad() = at::Tensor();
        }
    }
    setWeightGradients(model, {});
    return sums;
}

/** Per-row pruning by brute force: std::stable_sort of each row ascending (or of −S). */
at::Tensor bruteRowPrune(const at::Tensor &score, double s, bool topDown)
{
    const at::Tensor S = score.to(at::kDouble).contiguous();
    const std::int64_t rows = S.size(0), cols = S.size(1), k = std::int64_t(double(cols) * s);
    std::vector<std::int64_t> out;
    for (std::int64_t i = 0; i < rows; ++i) {
        std::vector<std::int64_t> idx(static_cast<size_t>(cols));
        std::iota(idx.begin(), idx.end(), 0);
        const double *row = S.data_ptr<double>() + i * cols;
        std::stable_sort(idx.begin(), idx.end(), [&](std::int64_t a, std::int64_t b) {
            return topDown ? -row[a] < -row[b] : row[a] < row[b];
        });
        for (std::int64_t j = 0; j < k; ++j)
            out.push_back(i * cols + idx[size_t(j)]);
    }
    std::sort(out.begin(), out.end());
    return at::tensor(out, at::kLong);
}

/** The top ⌊f·n⌋ entries by brute force: value descending, then flat index ascending. */
std::set<std::int64_t> bruteTop(const at::Tensor &score, double f, bool perRow)
{
    const at::Tensor S = score.to(at::kDouble).contiguous();
    const std::int64_t rows = S.size(0), cols = S.size(1);
    std::set<std::int64_t> out;
    auto take = [&](std::int64_t first, std::int64_t n) {
        std::vector<std::int64_t> idx(static_cast<size_t>(n));
        std::iota(idx.begin(), idx.end(), first);
        const double *p = S.data_ptr<double>();
        std::sort(idx.begin(), idx.end(), [&](std::int64_t a, std::int64_t b) { return p[a] != p[b] ? p[a] > p[b] : a < b; });
        const auto k = std::int64_t(double(n) * f);
        out.insert(idx.begin(), idx.begin() + k);
    };
    if (perRow)
        for (std::int64_t i = 0; i < rows; ++i)
            take(i * cols, cols);
    else
        take(0, rows * cols);
    return out;
}

std::set<std::int64_t> asSet(const at::Tensor &t)
{
    const at::Tensor c = t.to(at::kLong).contiguous();
    return std::set<std::int64_t>(c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel());
}

bool close(const at::Tensor &a, const at::Tensor &b, double rtol)
{
    const at::Tensor x = a.to(at::kDouble), y = b.to(at::kDouble);
    return (x - y).abs().max().item<double>() <= rtol * y.abs().max().item<double>();
}

std::vector<at::Tensor> weightsOf(const LlamaModel &m)
{
    std::vector<at::Tensor> w;
    for (int l = 0; l < int(m.config().numLayers); ++l)
        for (int k = 0; k < kMatricesPerLayer; ++k)
            w.push_back(m.layer(l).w[k].clone());
    return w;
}

bool unchanged(const LlamaModel &m, const std::vector<at::Tensor> &before)
{
    size_t i = 0;
    for (int l = 0; l < int(m.config().numLayers); ++l)
        for (int k = 0; k < kMatricesPerLayer; ++k)
            if (!at::equal(m.layer(l).w[k], before[i++]))
                return false;
    return true;
}

} // namespace

class TestAttribution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void wandaFromStoredActivations()
    {
        Fixture f(at::kDouble);
        const auto ex = randomExamples(6, f.spec.vocab, 3);
        const auto X = storedActivations(*f.model, ex);
        MemorySink sink;
        ScoreSettings s;
        s.method = ScoreMethod::Wanda;
        runAttribution(*f.model, ex, s, sink, 0, nullptr);
        QCOMPARE(sink.done, (std::vector<int>{0, 1, 2}));
        for (int l = 0; l < f.spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                at::Tensor sq = at::zeros({f.model->layer(l).w[m].size(1)}, at::kDouble);
                for (const at::Tensor &x : X.at({l, m}))
                    sq += x.pow(2).sum(0);
                const at::Tensor ref = f.model->layer(l).w[m].abs() * (sq / double(ex.size())).sqrt().unsqueeze(0);
                QVERIFY2(close(sink.scores.at({l, m}), ref, 1e-5), qPrintable(QStringLiteral("layer %1 matrix %2").arg(l).arg(m)));
            }
    }

    void snipOneBackwardEqualsPerLayerAutograd()
    {
        Fixture f(at::kDouble);
        const auto ex = randomExamples(5, f.spec.vocab, 4);
        const auto before = weightsOf(*f.model);
        std::vector<std::vector<at::Tensor>> ref;
        for (int l = 0; l < f.spec.layers; ++l)
            ref.push_back(referenceGradientSums(*f.model, ex, l));
        for (int chunk : {0, 1, 2}) {
            MemorySink sink;
            ScoreSettings s;
            s.method = ScoreMethod::Snip;
            s.layerChunk = chunk;
            runAttribution(*f.model, ex, s, sink, 0, nullptr);
            QCOMPARE(sink.done, (std::vector<int>{0, 1, 2}));
            for (int l = 0; l < f.spec.layers; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    const at::Tensor expected = f.model->layer(l).w[m].abs() * ref[size_t(l)][size_t(m)];
                    QVERIFY2(close(sink.scores.at({l, m}), expected, 1e-5),
                             qPrintable(QStringLiteral("chunk %1 layer %2 matrix %3").arg(chunk).arg(l).arg(m)));
                }
            QVERIFY(unchanged(*f.model, before));
            QVERIFY(!f.model->layer(0).w[0].requires_grad());
        }
    }

    void sequentialModesMatchABruteForceLoop_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<bool>("topDown");
        QTest::newRow("snip bottom-up") << int(ScoreMethod::Snip) << false;
        QTest::newRow("snip top-down") << int(ScoreMethod::Snip) << true;
        QTest::newRow("wanda bottom-up") << int(ScoreMethod::Wanda) << false;
        QTest::newRow("wanda top-down") << int(ScoreMethod::Wanda) << true;
    }
    void sequentialModesMatchABruteForceLoop()
    {
        QFETCH(int, method);
        QFETCH(bool, topDown);
        Fixture f(at::kDouble);
        const auto ex = randomExamples(4, f.spec.vocab, 5);
        const auto before = weightsOf(*f.model);
        const double sparsity = 0.3;
        // the reference: score layer l on the model pruned so far, prune it by brute force, go on
        std::vector<std::vector<at::Tensor>> ref(size_t(f.spec.layers));
        {
            WeightEditor ed(*f.model);
            for (int l = 0; l < f.spec.layers; ++l) {
                std::vector<at::Tensor> sc;
                if (ScoreMethod(method) == ScoreMethod::Snip) {
                    const auto g = referenceGradientSums(*f.model, ex, l);
                    for (int m = 0; m < kMatricesPerLayer; ++m)
                        sc.push_back(f.model->layer(l).w[m].abs() * g[size_t(m)]);
                } else {
                    const auto X = storedActivations(*f.model, ex);
                    for (int m = 0; m < kMatricesPerLayer; ++m) {
                        at::Tensor sq = at::zeros({f.model->layer(l).w[m].size(1)}, at::kDouble);
                        for (const at::Tensor &x : X.at({l, m}))
                            sq += x.pow(2).sum(0);
                        sc.push_back(f.model->layer(l).w[m].abs() * (sq / double(ex.size())).sqrt().unsqueeze(0));
                    }
                }
                for (int m = 0; m < kMatricesPerLayer; ++m)
                    ed.mask(l, Matrix(m), bruteRowPrune(sc[size_t(m)], sparsity, topDown));
                ref[size_t(l)] = sc;
            }
            ed.undo();
        }
        MemorySink sink;
        ScoreSettings s;
        s.method = ScoreMethod(method);
        s.mode = ScoreMode::Sequential;
        s.sparsity = sparsity;
        s.topDown = topDown;
        runAttribution(*f.model, ex, s, sink, 0, nullptr);
        for (int l = 0; l < f.spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                QVERIFY2(close(sink.scores.at({l, m}), ref[size_t(l)][size_t(m)], 1e-5),
                         qPrintable(QStringLiteral("layer %1 matrix %2").arg(l).arg(m)));
        QVERIFY(unchanged(*f.model, before));
        // the later layers differ from one-shot scores: the pruning really propagates
        MemorySink dense;
        s.mode = ScoreMode::OneShot;
        runAttribution(*f.model, ex, s, dense, 0, nullptr);
        QVERIFY(close(dense.scores.at({0, 0}), sink.scores.at({0, 0}), 1e-9));
        QVERIFY(!close(dense.scores.at({2, 6}), sink.scores.at({2, 6}), 1e-3));
        // resuming at layer 2 with layers 0-1 from the sink replays their pruning exactly
        MemorySink resumed;
        s.mode = ScoreMode::Sequential;
        for (int l = 0; l < 2; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                resumed.scores[{l, m}] = sink.scores.at({l, m});
        runAttribution(*f.model, ex, s, resumed, 2, nullptr);
        QCOMPARE(resumed.done, std::vector<int>{2});
        for (int m = 0; m < kMatricesPerLayer; ++m)
            QVERIFY(close(resumed.scores.at({2, m}), sink.scores.at({2, m}), 1e-12));
    }

    void sequentialRankModificationsMatchABruteForceLoop()
    {
        // The reference's main_low_rank(_diff).py loop, written out: for each layer, a full forward of every
        // example on the model modified so far, the SVD of the stored output activations A = X Wᵀ, explicit
        // projection matrices, then the modification of the layer (all 7 decomposed before any is modified).
        Fixture f(at::kDouble, 3);
        const auto safety = randomExamples(6, f.spec.vocab, 11), utility = randomExamples(7, f.spec.vocab, 12);
        const auto before = weightsOf(*f.model);
        const std::int64_t m = f.spec.hidden;  // every matrix here has min(d_out, d_in) = hidden
        const std::int64_t du = 5, ds = 3, rank = 4;
        auto projector = [](const at::Tensor &W, const std::vector<at::Tensor> &X, std::int64_t d) {
            const at::Tensor A = at::matmul(at::cat(X, 0), W.t());  // [T, d_out]
            const at::Tensor V = std::get<2>(at::linalg_svd(A, false)).t().narrow(1, 0, d);  // right singular vectors
            return at::matmul(V, V.t());
        };
        for (bool orthogonal : {false, true}) {
            std::vector<at::Tensor> refWeights, refPs;
            {
                WeightEditor ed(*f.model);
                for (int l = 0; l < f.spec.layers; ++l) {
                    const auto Xs = storedActivations(*f.model, safety);
                    const auto Xu = storedActivations(*f.model, utility);
                    std::vector<at::Tensor> next;
                    for (int k = 0; k < kMatricesPerLayer; ++k) {
                        const at::Tensor W = f.model->layer(l).w[k].to(at::kDouble);
                        const at::Tensor I = at::eye(W.size(0), at::kDouble);
                        if (orthogonal) {
                            const at::Tensor Ps = projector(W, Xs.at({l, k}), ds), Pu = projector(W, Xu.at({l, k}), du);
                            refPs.push_back(Ps);
                            next.push_back(W - at::matmul(I - Pu, at::matmul(Ps, W)));
                        } else {
                            const at::Tensor P = projector(W, Xs.at({l, k}), rank);
                            refPs.push_back(P);
                            next.push_back(W - at::matmul(P, W));
                        }
                    }
                    for (int k = 0; k < kMatricesPerLayer; ++k)
                        ed.replace(l, Matrix(k), next[size_t(k)]);
                }
                refWeights = weightsOf(*f.model);
                ed.undo();
            }
            QVERIFY(unchanged(*f.model, before));
            MemorySink ss, us;
            ScoreSettings s;
            s.method = ScoreMethod::ActSvd;
            s.mode = ScoreMode::Sequential;
            if (orthogonal) {
                s.orthogonal = true;
                s.paperRanks = true;  // the same dimensions for every matrix (k and v are 16 × 32 here)
                s.ru = du;
                s.rs = ds;
                runOrthogonalAttribution(*f.model, safety, utility, s, ss, us, 0, nullptr);
                QCOMPARE(us.done, (std::vector<int>{0, 1, 2}));
            } else {
                s.rank = rank;
                runAttribution(*f.model, safety, s, ss, 0, nullptr);
            }
            QVERIFY(unchanged(*f.model, before));
            QCOMPARE(ss.done, (std::vector<int>{0, 1, 2}));
            // the stored bases span the brute-force subspaces, and replaying them gives the reference weights
            WeightEditor ed(*f.model);
            size_t i = 0;
            for (int l = 0; l < f.spec.layers; ++l)
                for (int k = 0; k < kMatricesPerLayer; ++k, ++i) {
                    const at::Tensor &W = f.model->layer(l).w[k];
                    const at::Tensor Vs = ss.vectors.at({l, k}).narrow(1, 0, orthogonal ? ds : rank);
                    QVERIFY2(close(at::matmul(Vs, Vs.t()), refPs[i], 1e-7),
                             qPrintable(QStringLiteral("layer %1 matrix %2").arg(l).arg(k)));
                    ed.replace(l, Matrix(k), orthogonal ? W - orthogonalProjectionDelta(W, us.vectors.at({l, k}),
                                                                                           ss.vectors.at({l, k}), s.ru,
                                                                                           s.rs, true)
                                                        : actSvdModified(W, ss.vectors.at({l, k}), rank, true));
                }
            const auto replayed = weightsOf(*f.model);
            ed.undo();
            for (size_t j = 0; j < replayed.size(); ++j)
                QVERIFY2(close(replayed[j], refWeights[j], 1e-7), qPrintable(QStringLiteral("matrix %1").arg(j)));
            // layer 2 on the modified model differs from the dense model's: the modification really propagates
            MemorySink dense;
            ScoreSettings o;
            o.method = ScoreMethod::ActSvd;
            runAttribution(*f.model, safety, o, dense, 0, nullptr);
            const at::Tensor a = dense.vectors.at({2, 6}).narrow(1, 0, 3), b = ss.vectors.at({2, 6}).narrow(1, 0, 3);
            QVERIFY(!close(at::matmul(a, a.t()), at::matmul(b, b.t()), 1e-3));
            // resuming at layer 2 replays layers 0-1 from the stored bases
            MemorySink rs, ru;
            for (int l = 0; l < 2; ++l)
                for (int k = 0; k < kMatricesPerLayer; ++k) {
                    rs.vectors[{l, k}] = ss.vectors.at({l, k});
                    ru.vectors[{l, k}] = orthogonal ? us.vectors.at({l, k}) : at::Tensor();
                }
            if (orthogonal)
                runOrthogonalAttribution(*f.model, safety, utility, s, rs, ru, 2, nullptr);
            else
                runAttribution(*f.model, safety, s, rs, 2, nullptr);
            QCOMPARE(rs.done, std::vector<int>{2});
            for (int k = 0; k < kMatricesPerLayer; ++k) {
                const at::Tensor x = rs.vectors.at({2, k}).narrow(1, 0, 3), y = ss.vectors.at({2, k}).narrow(1, 0, 3);
                QVERIFY(close(at::matmul(x, x.t()), at::matmul(y, y.t()), 1e-9));
            }
        }
        ScoreSettings bad;
        bad.method = ScoreMethod::ActSvd;
        bad.mode = ScoreMode::Sequential;
        bad.orthogonal = true;
        bad.ru = m + 1;
        MemorySink a, b;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runOrthogonalAttribution(*f.model, safety, utility, bad, a, b, 0, nullptr));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAttribution(*f.model, safety, bad, a, 0, nullptr));
        QVERIFY(a.done.empty());
    }

    void actSvdIsOptimalAndMatchesTheSvdOfTheActivations()
    {
        Fixture f(at::kDouble, 2);
        const auto ex = randomExamples(8, f.spec.vocab, 6);
        const auto X = storedActivations(*f.model, ex);
        MemorySink sink;
        ScoreSettings s;
        s.method = ScoreMethod::ActSvd;
        runAttribution(*f.model, ex, s, sink, 0, nullptr);
        at::manual_seed(0);
        for (int l = 0; l < f.spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const at::Tensor W = f.model->layer(l).w[m].to(at::kDouble);
                const at::Tensor x = at::cat(X.at({l, m}), 0);        // [T, d_in]
                const at::Tensor A = at::matmul(x, W.t());          // [T, d_out]
                const at::Tensor sigma = at::linalg_svdvals(A);     // descending
                const at::Tensor values = sink.values.at({l, m});
                const at::Tensor V = sink.vectors.at({l, m});
                const std::int64_t k = sigma.size(0);
                QVERIFY(close(values.narrow(0, 0, k), sigma.pow(2), 1e-8));
                QVERIFY(close(at::matmul(V.t(), V), at::eye(V.size(0), at::kDouble), 1e-9));  // orthonormal
                for (std::int64_t r : {std::int64_t(1), std::int64_t(3), std::int64_t(7)}) {
                    const at::Tensor Wr = actSvdModified(W, V, r, true);  // W − V_r V_rᵀ W
                    const double err = at::matmul(Wr, x.t()).pow(2).sum().item<double>();
                    const double tail = sigma.narrow(0, r, k - r).pow(2).sum().item<double>();
                    QVERIFY2(std::abs(err - tail) <= 1e-8 * (1 + tail), qPrintable(QStringLiteral("%1 vs %2").arg(err).arg(tail)));
                    for (int trial = 0; trial < 5; ++trial) {
                        const at::Tensor Q = std::get<0>(at::linalg_qr(at::randn({W.size(0), r}, at::kDouble)));
                        const double other = at::matmul(W - at::matmul(Q, at::matmul(Q.t(), W)), x.t()).pow(2).sum().item<double>();
                        QVERIFY(other >= err - 1e-9 * (1 + err));
                    }
                    // bottom mode keeps the top m − r ranks: W_keep = W − (W with the top m−r removed)
                    const std::int64_t mm = std::min(W.size(0), W.size(1));
                    QVERIFY(close(actSvdModified(W, V, r, false), W - actSvdModified(W, V, mm - r, true), 1e-9));
                }
                QVERIFY(at::equal(actSvdModified(W, V, 0, true), W));
            }
    }

    void selectionsAgainstBruteForce()
    {
        at::manual_seed(1);
        // few distinct values: many ties at every boundary
        const at::Tensor a = at::randint(0, 6, {23, 17}).to(at::kFloat);
        const at::Tensor b = at::randint(0, 6, {23, 17}).to(at::kFloat);
        for (double f : {0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0}) {
            QCOMPARE(asSet(topFlat(a, f)), bruteTop(a, f, false));
            QCOMPARE(asSet(topPerRow(a, f)), bruteTop(a, f, true));
            for (bool down : {false, true})
                QVERIFY(at::equal(rowPruneIndices(a, f < 1.0 ? f : 0.99, down), bruteRowPrune(a, f < 1.0 ? f : 0.99, down)));
            for (double q : {0.05, 0.2, 0.5})
                for (bool row : {false, true}) {
                    std::set<std::int64_t> expected;
                    const auto U = bruteTop(b, f, row);
                    for (std::int64_t i : bruteTop(a, q, row))
                        if (!U.count(i))
                            expected.insert(i);
                    const Granularity g = row ? Granularity::PerRow : Granularity::WholeMatrix;
                    QCOMPARE(asSet(setDifference(a, b, f, q, g)), expected);
                    const auto A = bruteTop(a, f, row), B = bruteTop(b, f, row);
                    std::int64_t inter = 0;
                    for (auto i : A)
                        inter += B.count(i);
                    const Overlap o = topOverlap(a, b, f, g);
                    QCOMPARE(o.intersection, inter);
                    QCOMPARE(o.unionSize, std::int64_t(A.size() + B.size()) - inter);
                }
        }
        QCOMPARE(fractionCount(0.29, 100), std::int64_t(28));  // int(100 * 0.29) in Python, as the reference
        QCOMPARE(fractionCount(0.01, 4096), std::int64_t(40));
    }

    void sliderSummaryEqualsBruteForceAtEveryGridPoint()
    {
        at::manual_seed(2);
        const at::Tensor s = at::randint(0, 40, {19, 23}).to(at::kFloat);
        const at::Tensor u = at::randint(0, 40, {19, 23}).to(at::kFloat);
        const auto &grid = fractionGrid();
        for (bool row : {false, true}) {
            const at::Tensor cum = cumulativeJointHistogram(s, u, row);
            for (size_t qi = 0; qi < grid.size(); qi += 3)
                for (size_t pi = 0; pi < grid.size(); pi += 2) {
                    const auto S = bruteTop(s, grid[qi], row), U = bruteTop(u, grid[pi], row);
                    std::int64_t inter = 0;
                    for (auto i : S)
                        inter += U.count(i);
                    QCOMPARE(cum[std::int64_t(qi)][std::int64_t(pi)].item<std::int64_t>(), inter);
                }
        }
    }

    void orthogonalProjectionRankBound()
    {
        at::manual_seed(4);
        for (auto [dOut, dIn] : std::vector<std::pair<std::int64_t, std::int64_t>>{{24, 24}, {40, 16}, {16, 40}}) {
            const std::int64_t m = std::min(dOut, dIn);
            const at::Tensor W = at::randn({dOut, dIn}, at::kDouble);
            const at::Tensor Vu = std::get<0>(at::linalg_qr(at::randn({dOut, dOut}, at::kDouble)));
            const at::Tensor Vs = std::get<0>(at::linalg_qr(at::randn({dOut, dOut}, at::kDouble)));
            for (auto [ru, rs] : std::vector<std::pair<std::int64_t, std::int64_t>>{{3, m - 4}, {m / 2, m / 2}, {0, 0}, {m, 1}, {2, m}}) {
                const at::Tensor d = orthogonalProjectionDelta(W, Vu, Vs, ru, rs, false);
                const std::int64_t bound = orthogonalRankBound(dOut, dIn, ru, rs, false);
                QCOMPARE(bound, std::min(dOut - m + ru, m - rs));  // spec §7
                QCOMPARE(numericalRank(d, W.norm().item<double>()), bound);  // generic bases attain it
                // written out with explicit projection matrices
                const at::Tensor Pu = at::matmul(Vu.narrow(1, 0, m - ru), Vu.narrow(1, 0, m - ru).t());
                const at::Tensor Ps = at::matmul(Vs.narrow(1, 0, m - rs), Vs.narrow(1, 0, m - rs).t());
                QVERIFY(close(d, at::matmul(at::eye(dOut, at::kDouble) - Pu, at::matmul(Ps, W)), 1e-10) || bound == 0);
                // the paper's naming: r_u, r_s are the subspace dimensions themselves
                QVERIFY(at::allclose(orthogonalProjectionDelta(W, Vu, Vs, m - ru, m - rs, true), d));
            }
            // a safety subspace inside the protected utility subspace removes nothing
            QCOMPARE(numericalRank(orthogonalProjectionDelta(W, Vs, Vs, 2, 5, false), W.norm().item<double>()), std::int64_t(0));
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, orthogonalProjectionDelta(W, Vu, Vs, m + 1, 0, false));
        }
    }

    void subspaceSimilarityBounds()
    {
        at::manual_seed(3);
        const at::Tensor Q = std::get<0>(at::linalg_qr(at::randn({30, 30}, at::kDouble)));
        QCOMPARE(subspaceSimilarity(Q, 5, Q, 8), 1.0);  // one contains the other
        QVERIFY(std::abs(subspaceSimilarity(Q.narrow(1, 0, 10), 10, Q.narrow(1, 10, 10), 10)) < 1e-12);  // orthogonal
        const at::Tensor R = std::get<0>(at::linalg_qr(at::randn({30, 30}, at::kDouble)));
        const double phi = subspaceSimilarity(Q, 6, R, 6);
        QVERIFY(phi > 0 && phi < 1);
    }
};

QTEST_APPLESS_MAIN(TestAttribution)
#include "tst_attribution.moc"
