// SPDX-License-Identifier: MIT
// Reversible edits restore the weights bit for bit and never touch the file; weight gradients are
// on for exactly the chosen matrices and agree with central finite differences.
#include "alignscope/runtime.h"
#include "edit/editor.h"
#include "model/llama.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace alignscope;

namespace {

bool bitwiseEqual(const at::Tensor &a, const at::Tensor &b)
{
    const at::Tensor x = a.contiguous(), y = b.contiguous();
    return x.sizes() == y.sizes() && x.scalar_type() == y.scalar_type() &&
           std::memcmp(x.data_ptr(), y.data_ptr(), size_t(x.nbytes())) == 0;
}

double loss(const LlamaModel &m, const std::vector<std::int64_t> &ids)
{
    const auto T = std::int64_t(ids.size());
    const at::Tensor logits = m.forward(at::tensor(ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}));
    const at::Tensor targets = at::tensor(std::vector<std::int64_t>(ids.begin() + 1, ids.end()), at::kLong);
    return at::cross_entropy_loss(logits[0].narrow(0, 0, T - 1).to(at::kDouble), targets).item<double>();
}

} // namespace

class TestEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void editsUndoBitForBit()
    {
        QTemporaryDir dir;
        test::TinySpec spec;
        spec.fileDtype = at::kBFloat16;
        test::writeTinyModel(dir.path().toStdString(), spec, test::tinyWeights(spec));
        auto model = LlamaModel::load(dir.path().toStdString(), {at::kBFloat16, at::kCPU});
        std::vector<at::Tensor> before;
        for (int l = 0; l < spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                before.push_back(model->layer(l).w[m].clone());
        const std::vector<std::int64_t> prompt = {1, 5, 9, 13};
        const double lossBefore = loss(*model, prompt);

        {
            WeightEditor ed(*model);
            // a mask over a few entries (including repeated ones), then a projection of another matrix,
            // then a second mask on top of the projected matrix
            ed.mask(0, Matrix::Q, at::tensor(std::vector<std::int64_t>{0, 5, 5, 31, 1023}, at::kLong));
            const at::Tensor w = model->layer(1).w[int(Matrix::Down)].to(at::kFloat);
            const at::Tensor v = std::get<0>(at::linalg_qr(at::randn({w.size(0), 3})));  // 3 orthonormal directions
            ed.replace(1, Matrix::Down, (w - at::matmul(v, at::matmul(v.t(), w))).to(at::kBFloat16));
            ed.mask(1, Matrix::Down, at::arange(0, 100, 7, at::kLong), -0.0);
            QCOMPARE(model->layer(0).w[0].view({-1})[5].item<float>(), 0.0f);
            QVERIFY(!bitwiseEqual(model->layer(1).w[int(Matrix::Down)], before[7 + int(Matrix::Down)]));
            QVERIFY(loss(*model, prompt) != lossBefore);
            QCOMPARE(ed.editCount(), size_t(3));
            ed.undo();
            QVERIFY(ed.empty());
        }
        size_t k = 0;
        for (int l = 0; l < spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                QVERIFY2(bitwiseEqual(model->layer(l).w[m], before[k++]), qPrintable(QStringLiteral("layer %1 matrix %2").arg(l).arg(m)));
        QCOMPARE(loss(*model, prompt), lossBefore);

        // the file is untouched: a second load sees the original weights
        WeightEditor ed(*model);
        ed.mask(0, Matrix::K, at::arange(64, at::kLong));
        auto again = LlamaModel::load(dir.path().toStdString(), {at::kBFloat16, at::kCPU});
        QVERIFY(bitwiseEqual(again->layer(0).w[int(Matrix::K)], before[int(Matrix::K)]));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, ed.mask(0, Matrix::K, at::tensor(std::vector<std::int64_t>{1 << 30}, at::kLong)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ed.replace(0, Matrix::K, at::zeros({3, 3})));
    }

    void gradientsForChosenMatricesMatchFiniteDifferences()
    {
        QTemporaryDir dir;
        test::TinySpec spec;
        spec.kvHeads = 2;
        test::writeTinyModel(dir.path().toStdString(), spec, test::tinyWeights(spec));
        auto model = LlamaModel::load(dir.path().toStdString(), {at::kDouble, at::kCPU});
        setWeightGradients(*model, {{0, Matrix::V}, {1, Matrix::Gate}});
        const std::vector<std::int64_t> ids = {1, 17, 4, 33, 58, 9};
        const auto T = std::int64_t(ids.size());
        const at::Tensor logits = model->forward(at::tensor(ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}));
        const at::Tensor targets = at::tensor(std::vector<std::int64_t>(ids.begin() + 1, ids.end()), at::kLong);
        at::cross_entropy_loss(logits[0].narrow(0, 0, T - 1).to(at::kDouble), targets).backward();
        for (int l = 0; l < spec.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const bool chosen = (l == 0 && m == int(Matrix::V)) || (l == 1 && m == int(Matrix::Gate));
                QCOMPARE(model->layer(l).w[m].grad().defined(), chosen);
            }
        for (auto [l, m] : std::vector<std::pair<int, Matrix>>{{0, Matrix::V}, {1, Matrix::Gate}}) {
            at::Tensor w = model->layer(l).w[int(m)];
            const at::Tensor g = w.grad().clone();
            for (std::int64_t idx : {std::int64_t(0), std::int64_t(37), w.numel() - 1}) {
                const double h = 1e-5;
                double fd;
                {
                    at::NoGradGuard ng;
                    const double orig = w.view({-1})[idx].item<double>();
                    w.view({-1})[idx] = orig + h;
                    const double up = loss(*model, ids);
                    w.view({-1})[idx] = orig - h;
                    const double down = loss(*model, ids);
                    w.view({-1})[idx] = orig;
                    fd = (up - down) / (2 * h);
                }
                const double ad = g.view({-1})[idx].item<double>();
                QVERIFY2(std::abs(ad - fd) <= 1e-6 + 1e-4 * std::abs(fd),
                         qPrintable(QStringLiteral("autograd %1 vs finite difference %2").arg(ad).arg(fd)));
            }
        }
        setWeightGradients(*model, {});
        QVERIFY(!model->layer(0).w[int(Matrix::V)].requires_grad());
        QVERIFY(!model->layer(0).w[int(Matrix::V)].grad().defined());
    }
};

QTEST_APPLESS_MAIN(TestEdit)
#include "tst_edit.moc"
