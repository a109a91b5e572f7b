// SPDX-License-Identifier: MIT
// The trainer: its schedule, Adam's first step (±lr per weight, known in closed form), the
// response-only loss against a hand computation, and that it actually learns.
#include "alignscope/runtime.h"
#include "model/llama.h"
#include "tinymodel.h"
#include "train/trainer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace alignscope;

namespace {

std::unique_ptr<LlamaModel> freshTiny(std::uint64_t seed = 3)
{
    test::TinySpec s;
    const ModelConfig c = llamaConfig(s.hidden, s.inter, s.layers, s.heads, s.kvHeads, s.vocab);
    auto m = std::make_unique<LlamaModel>(c, ExtraConfig{}, LlamaModel::Options{at::kFloat, at::kCPU});
    initialiseWeights(*m, seed);
    return m;
}

} // namespace

class TestTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void schedule()
    {
        TrainOptions o;
        o.steps = 110;
        o.warmup = 10;
        o.peakLr = 1.0;
        o.minLrFraction = 0.1;
        QCOMPARE(learningRate(o, 0), 0.1);
        QCOMPARE(learningRate(o, 9), 1.0);
        QCOMPARE(learningRate(o, 10), 1.0);                       // cosine starts at the peak
        QVERIFY(qAbs(learningRate(o, 60) - 0.55) < 1e-12);        // half way: the mean of peak and floor
        QVERIFY(qAbs(learningRate(o, 110) - 0.1) < 1e-12);        // the floor at the end
        for (int s = 11; s < 110; ++s)
            QVERIFY(learningRate(o, s) <= learningRate(o, s - 1));
    }

    void responseOnlyLossMatchesAHandComputation()
    {
        auto m = freshTiny();
        const std::vector<TrainSequence> batch = {{{1, 5, 9, 13, 2}, 3}, {{1, 7, 8}, 1}};
        // by hand: sequence 0 scores tokens 13 and 2 (predicted at positions 2 and 3); sequence 1 scores 7 and 8
        double sum = 0;
        int n = 0;
        for (const auto &s : batch) {
            const auto T = std::int64_t(s.ids.size());
            const at::Tensor logits = m->forward(at::tensor(s.ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}))[0];
            const at::Tensor logp = at::log_softmax(logits.to(at::kDouble), -1);
            for (std::int64_t t = s.firstTarget; t < T; ++t, ++n)
                sum -= logp[t - 1][s.ids[size_t(t)]].item<double>();
        }
        QVERIFY(qAbs(evaluateLoss(*m, batch) - sum / n) < 1e-5);
    }

    void adamFirstStepMovesEachWeightByTheLearningRate()
    {
        auto m = freshTiny();
        const at::Tensor before = m->layer(1).w[int(Matrix::Up)].clone();
        const at::Tensor emb = m->embedding().clone();
        TrainOptions o;
        o.steps = 1;
        o.batch = 2;
        o.warmup = 0;
        o.peakLr = 1e-3;
        o.weightDecay = 0;
        o.clipNorm = 0;
        const auto stats = train(*m, [](std::mt19937_64 &) { return TrainSequence{{1, 5, 9, 13}, 1}; }, o);
        QCOMPARE(stats.loss.size(), size_t(1));
        const at::Tensor delta = (m->layer(1).w[int(Matrix::Up)] - before).abs();
        // Adam's first step is lr·g/(|g|+eps): every weight with a gradient moves by lr (to float precision)
        QVERIFY(delta.max().item<double>() <= 1e-3 * (1 + 1e-3));
        QVERIFY((delta > 0.999e-3).to(at::kFloat).mean().item<double>() > 0.99);
        // embedding rows of tokens that never occur get no gradient, and do not move
        QVERIFY(at::equal(m->embedding()[40], emb[40]));
        QVERIFY(!at::equal(m->embedding()[5], emb[5]));
        QVERIFY(!m->embedding().requires_grad());  // training leaves no autograd state behind
    }

    void frozenEntriesDoNotMoveAndTheOthersTrain()
    {
        auto m = freshTiny();
        const int L = int(m->config().numLayers);
        FrozenEntries frozen;
        frozen.masks.resize(size_t(L * kMatricesPerLayer));
        at::manual_seed(5);
        const at::Tensor mask = at::rand(m->layer(0).w[int(Matrix::Down)].sizes()) < 0.5;
        frozen.masks[size_t(int(Matrix::Down))] = mask;
        const at::Tensor before = m->layer(0).w[int(Matrix::Down)].clone();
        TrainOptions o;
        o.steps = 1;
        o.batch = 2;
        o.warmup = 0;
        o.peakLr = 1e-3;
        o.weightDecay = 0;
        o.clipNorm = 0;
        const auto sample = [](std::mt19937_64 &) { return TrainSequence{{1, 5, 9, 13}, 1}; };
        train(*m, sample, o, nullptr, &frozen);
        const at::Tensor delta = (m->layer(0).w[int(Matrix::Down)] - before).abs();
        QCOMPARE(delta.masked_select(mask).max().item<double>(), 0.0);
        // Adam's first step moves every other entry by the learning rate, as without a mask
        QVERIFY((delta.masked_select(~mask) > 0.999e-3).to(at::kFloat).mean().item<double>() > 0.99);
        // held exactly over many steps, weight decay included
        o.steps = 6;
        o.weightDecay = 0.1;
        o.peakLr = 1e-2;
        train(*m, sample, o, nullptr, &frozen);
        QVERIFY(at::equal(m->layer(0).w[int(Matrix::Down)].masked_select(mask), before.masked_select(mask)));
        QVERIFY(!at::equal(m->layer(0).w[int(Matrix::Down)].masked_select(~mask), before.masked_select(~mask)));
        FrozenEntries wrong;
        wrong.masks.resize(3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, train(*m, sample, o, nullptr, &wrong));
    }

    void learns()
    {
        auto m = freshTiny();
        // a fixed mapping: after "1 k" comes "k+10, k+20" — learnable, and only the response is scored
        auto sample = [](std::mt19937_64 &rng) {
            const std::int64_t k = 3 + std::int64_t(rng() % 20);
            return TrainSequence{{1, k, 2, k + 10, k + 20}, 3};
        };
        std::vector<TrainSequence> held;
        for (std::int64_t k = 3; k < 23; ++k)
            held.push_back({{1, k, 2, k + 10, k + 20}, 3});
        const double before = evaluateLoss(*m, held);
        TrainOptions o;
        o.steps = 150;
        o.batch = 16;
        o.warmup = 10;
        o.peakLr = 1e-2;
        const auto stats = train(*m, sample, o);
        const double after = evaluateLoss(*m, held);
        QVERIFY2(after < 0.1 * before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        QVERIFY(stats.loss.back() < stats.loss.front());
        QVERIFY(stats.seconds > 0);
    }

    void cancels()
    {
        auto m = freshTiny();
        CancellationToken token;
        token.cancel();
        JobContext ctx({}, &token);
        TrainOptions o;
        o.steps = 5;
        QVERIFY_THROWS_EXCEPTION(Cancelled, train(*m, [](std::mt19937_64 &) { return TrainSequence{{1, 2, 3}, 1}; }, o, &ctx));
        QVERIFY(!m->layer(0).w[0].requires_grad());
    }
};

QTEST_APPLESS_MAIN(TestTrain)
#include "tst_train.moc"
