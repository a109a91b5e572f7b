// SPDX-License-Identifier: MIT
// Attention heads: the reference's probing JSON (read, written, every malformed form refused), the
// choice of heads (against a brute-force sort and the reference's pool rules), the two head ablations
// (entry by entry, and the "output" ablation against silencing the head through W_v instead), and the
// probes themselves (separable classes give accuracy near 1, shuffled labels near chance).
#include "alignscope/calibration.h"
#include "alignscope/heads.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"
#include "edit/editor.h"
#include "model/impl.h"
#include "model/llama.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

using namespace alignscope;

namespace {

std::string writeJson(const QTemporaryDir &dir, const std::string &name, const std::string &text)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    test::writeText(path, text);
    return path;
}

HeadProbing randomProbing(int layers, int heads, std::uint64_t seed, int perfect)
{
    HeadProbing p;
    p.layers = layers;
    p.heads = heads;
    std::mt19937_64 rng(seed);
    for (int i = 0; i < layers * heads; ++i)
        p.accuracy.push_back(double(180 + int(rng() % 60)) / 240.0);  // multiples of 1/240, as the paper's files
    std::vector<int> idx(size_t(layers * heads));
    std::iota(idx.begin(), idx.end(), 0);
    std::shuffle(idx.begin(), idx.end(), rng);
    for (int i = 0; i < perfect; ++i)
        p.accuracy[size_t(idx[size_t(i)])] = 1.0;
    return p;
}

} // namespace

class TestHeads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void probingJsonRoundTripAndErrors()
    {
        QTemporaryDir dir;
        const HeadProbing p = randomProbing(12, 3, 7, 5);
        const std::string text = probingJson(p);
        // layer-major, head-minor key order, as the reference's files (layer-10 after layer-9)
        QVERIFY(text.find("\"layer-9-head-2\"") < text.find("\"layer-10-head-0\""));
        const HeadProbing back = readProbingJson(writeJson(dir, "ok.json", text));
        QCOMPARE(back.layers, 12);
        QCOMPARE(back.heads, 3);
        QVERIFY(back.accuracy == p.accuracy);

        // keys in any order are fine
        const HeadProbing shuffled = readProbingJson(writeJson(
            dir, "order.json", R"({"layer-1-head-1": 0.5, "layer-0-head-0": 1, "layer-1-head-0": 0.25, "layer-0-head-1": 0.75})"));
        QCOMPARE(shuffled.at(1, 0), 0.25);
        QCOMPARE(shuffled.at(0, 1), 0.75);

        const std::pair<const char *, const char *> bad[] = {
            {"notjson.json", "{\"layer-0-head-0\": "},
            {"array.json", "[0.5, 0.6]"},
            {"key.json", R"({"layer-0-head-0": 0.5, "L0H1": 0.5})"},
            {"range.json", R"({"layer-0-head-0": 1.5})"},
            {"string.json", R"({"layer-0-head-0": "0.9"})"},
            {"missing.json", R"({"layer-0-head-0": 0.5, "layer-1-head-1": 0.5})"},
            {"twice.json", R"({"layer-0-head-0": 0.5, "layer-00-head-0": 0.6})"},
        };
        for (const auto &[name, content] : bad) {
            const std::string path = writeJson(dir, name, content);
            try {
                readProbingJson(path);
                QFAIL(qPrintable(QStringLiteral("accepted %1").arg(QString::fromLatin1(name))));
            } catch (const DataError &e) {
                QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
            }
        }
        QVERIFY_THROWS_EXCEPTION(DataError, readProbingJson(dir.filePath(QStringLiteral("absent.json")).toStdString()));
    }

    void chooseHeadsAsTheReference()
    {
        const HeadProbing p = randomProbing(32, 32, 3, 356);  // the 7B file's shape and count of perfect heads
        // top k: a brute-force sort by (accuracy descending, key order ascending)
        std::vector<std::pair<double, int>> all;
        for (int i = 0; i < 1024; ++i)
            all.push_back({-p.accuracy[size_t(i)], i});
        std::sort(all.begin(), all.end());
        for (int k : {0, 1, 200, 400, 1024}) {
            const auto top = chooseAblationHeads(p, k, HeadPool::Top);
            QCOMPARE(int(top.size()), k);
            for (int i = 0; i < k; ++i)
                QCOMPARE(top[size_t(i)].layer * 32 + top[size_t(i)].head, all[size_t(i)].second);
        }
        // the 7B rule: k ≤ 132 drawn from the first 132 (all perfect here), distinct, seeded
        std::set<int> first132;
        for (int i = 0; i < 132; ++i)
            first132.insert(all[size_t(i)].second);
        const auto a = chooseAblationHeads(p, 50, HeadPool::Paper7B, 1), b = chooseAblationHeads(p, 50, HeadPool::Paper7B, 1),
                   c = chooseAblationHeads(p, 50, HeadPool::Paper7B, 2);
        QVERIFY(a == b);
        QVERIFY(!(a == c));
        std::set<int> seen;
        for (const HeadRef &h : a) {
            QVERIFY(first132.count(h.layer * 32 + h.head));
            seen.insert(h.layer * 32 + h.head);
        }
        QCOMPARE(int(seen.size()), 50);
        // every one of the 132 can be drawn (over many seeds), none outside
        std::set<int> union132;
        for (std::uint64_t s = 0; s < 200; ++s)
            for (const HeadRef &h : chooseAblationHeads(p, 20, HeadPool::Paper7B, s))
                union132.insert(h.layer * 32 + h.head);
        QVERIFY(union132 == first132);
        // 132 < k ≤ 356 fails as in the reference; k > 356 is the top k
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, chooseAblationHeads(p, 200, HeadPool::Paper7B));
        const auto over = chooseAblationHeads(p, 400, HeadPool::Paper7B);
        QVERIFY(over == chooseAblationHeads(p, 400, HeadPool::Top));
        // the 13B rule: the pool is every perfect head
        for (const HeadRef &h : chooseAblationHeads(p, 300, HeadPool::AllPerfect, 4))
            QCOMPARE(p.at(h.layer, h.head), 1.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, chooseAblationHeads(p, 1025));
        QCOMPARE(parseHeadPool("paper-7b"), HeadPool::Paper7B);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseHeadPool("random"));
    }

    void ablationZeroesTheHeadsEntries()
    {
        QTemporaryDir dir;
        test::TinySpec spec;
        spec.layers = 2;
        spec.hidden = 32;
        spec.heads = 4;
        spec.kvHeads = 4;
        spec.vocab = 260;
        const auto weights = test::tinyWeights(spec);
        test::writeTinyModel(dir.path().toStdString(), spec, weights);
        auto model = Model::load(dir.path().toStdString());
        LlamaModel &llama = *model->impl().llama;
        const int d = 8;  // head_dim = 32 / 4
        const std::vector<HeadRef> heads = {{1, 2}, {0, 0}};
        auto original = [&](int l, const char *m) {
            return weights.at("model.layers." + std::to_string(l) + "." + m + ".weight");
        };
        {
            ModelEdit edit(*model);
            const std::int64_t zeroed = edit.ablateHeads(heads, HeadAblation::Reference);
            std::int64_t expected = 0;
            for (int l = 0; l < 2; ++l)
                for (auto [m, name] : {std::pair{Matrix::Q, "self_attn.q_proj"}, {Matrix::K, "self_attn.k_proj"},
                                       {Matrix::V, "self_attn.v_proj"}, {Matrix::O, "self_attn.o_proj"}}) {
                    const at::Tensor w = llama.layer(l).w[int(m)], w0 = original(l, name);
                    for (std::int64_t i = 0; i < w.size(0); ++i)
                        for (std::int64_t j = 0; j < w.size(1); ++j) {
                            bool hit = false;
                            for (const HeadRef &h : heads)  // columns of q/k/v, rows of o, in the head's span
                                hit |= h.layer == l && (m == Matrix::O ? i : j) / d == h.head;
                            const float got = w[i][j].item<float>(), was = w0[i][j].item<float>();
                            QCOMPARE(got, hit ? 0.0f : was);
                            expected += hit && was != 0.0f;
                        }
                }
            QCOMPARE(zeroed, expected);
        }
        // undone by the destructor
        QVERIFY(at::equal(llama.layer(1).w[int(Matrix::Q)], original(1, "self_attn.q_proj")));

        // "output" silences the head: the same logits as zeroing the head's rows of W_v (its values)
        const std::vector<std::int64_t> ids = {1, 40, 41, 99, 7, 12};
        const auto T = std::int64_t(ids.size());
        auto logits = [&] {
            return llama.forward(at::tensor(ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}));
        };
        const at::Tensor before = logits();
        at::Tensor viaOutput, viaValues;
        {
            ModelEdit edit(*model);
            edit.ablateHeads({{1, 2}}, HeadAblation::Output);
            viaOutput = logits();
        }
        {
            WeightEditor ed(llama);
            const std::int64_t cols = spec.hidden;
            ed.mask(1, Matrix::V, at::arange(2 * d * cols, 3 * d * cols, at::kLong));  // rows 16…23
            viaValues = logits();
        }
        QVERIFY(!at::allclose(viaOutput, before, 1e-4, 1e-5));
        QVERIFY2(at::allclose(viaOutput, viaValues, 1e-4, 1e-5),
                 qPrintable(QString::number((viaOutput - viaValues).abs().max().item<double>())));
        ModelEdit edit(*model);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, edit.ablateHeads({{2, 0}}, HeadAblation::Output));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, edit.ablateHeads({{0, 4}}, HeadAblation::Reference));
    }

    void probesSeparateWhatDiffers()
    {
        QTemporaryDir dir;
        test::TinySpec spec;
        spec.layers = 2;
        spec.hidden = 32;
        spec.heads = 4;
        spec.kvHeads = 2;
        spec.vocab = 260;
        test::writeTinyModel(dir.path().toStdString(), spec, test::tinyWeights(spec));
        test::writeByteTokenizer(dir.path().toStdString());
        auto model = Model::load(dir.path().toStdString());
        auto tok = Tokenizer::load(dir.path().toStdString());
        std::vector<std::string> a, b, mixed1, mixed2;
        for (int i = 0; i < 40; ++i) {
            a.push_back("zq zq zq item " + std::to_string(i) + " xx");
            b.push_back("an ordinary item " + std::to_string(i) + " ok");
        }
        ProbeOptions o;
        o.perClass = 40;
        const HeadProbing p = probeHeads(*model, *tok, a, b, o);
        QCOMPARE(p.layers, 2);
        QCOMPARE(p.heads, 4);
        const double mean = std::accumulate(p.accuracy.begin(), p.accuracy.end(), 0.0) / 8.0;
        QVERIFY2(mean > 0.9, qPrintable(QString::number(mean)));
        // the same prompts on both sides (each class a random half): chance
        std::vector<std::string> pool = a;
        pool.insert(pool.end(), b.begin(), b.end());
        std::mt19937_64 rng(5);
        std::shuffle(pool.begin(), pool.end(), rng);
        mixed1.assign(pool.begin(), pool.begin() + 40);
        mixed2.assign(pool.begin() + 40, pool.end());
        const HeadProbing chance = probeHeads(*model, *tok, mixed1, mixed2, o);
        const double meanChance = std::accumulate(chance.accuracy.begin(), chance.accuracy.end(), 0.0) / 8.0;
        qInfo("mean probe accuracy: separable %.3f, shuffled %.3f", mean, meanChance);
        QVERIFY2(meanChance < 0.75, qPrintable(QString::number(meanChance)));
        // deterministic
        QVERIFY(probeHeads(*model, *tok, a, b, o).accuracy == p.accuracy);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, probeHeads(*model, *tok, {"x", "y"}, b, o));
    }

    void instructionsFromEveryFormat()
    {
        QTemporaryDir dir;
        const std::string csv = dir.filePath(QStringLiteral("d.csv")).toStdString();
        test::writeText(csv, test::calibrationCsv("safety", 3));
        const auto fromCsv = readInstructions(csv);
        QCOMPARE(fromCsv.size(), size_t(3));
        QVERIFY2(fromCsv[0].find("[INST]") == std::string::npos && fromCsv[0].find("request 0") != std::string::npos,
                 fromCsv[0].c_str());
        const std::string txt = dir.filePath(QStringLiteral("p.txt")).toStdString();
        test::writeText(txt, "  first  \n\nsecond\n");
        QVERIFY((readInstructions(txt) == std::vector<std::string>{"first", "second"}));
        const std::string empty = dir.filePath(QStringLiteral("e.txt")).toStdString();
        test::writeText(empty, "\n \n");
        QVERIFY_THROWS_EXCEPTION(DataError, readInstructions(empty));
        // a CSV without a prompt column, and a missing file, name the file
        const std::string other = dir.filePath(QStringLiteral("o.csv")).toStdString();
        test::writeText(other, "a,b\n1,2\n");
        for (const std::string &f : {other, dir.filePath(QStringLiteral("none.txt")).toStdString()}) {
            try {
                readInstructions(f);
                QFAIL(f.c_str());
            } catch (const DataError &e) {
                QVERIFY2(std::string(e.what()).find(f) == 0, e.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestHeads)
#include "tst_heads.moc"
