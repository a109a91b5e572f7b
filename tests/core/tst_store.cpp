// SPDX-License-Identifier: MIT
// The HDF5 store end to end: a score job writes scores with their provenance, summaries answer
// slider queries exactly as brute force on the stored scores does, an interrupted job resumes at
// the layer it reached and leaves the store untouched, another model's store is refused, corrupt
// or truncated files give clear errors, and Python's h5py reads every dataset (docs/STORE_FORMAT.md).
#include "alignscope/fraction_grid.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "attribution/attribution.h"
#include "model/impl.h"
#include "selection/selection.h"
#include "tinymodel.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <functional>
#include <fstream>

using namespace alignscope;
namespace fs = std::filesystem;

namespace {

using test::writeText;

std::string csv(const char *kind, int rows)
{
    std::string s = ",prompt,response,text\n";
    for (int i = 0; i < rows; ++i) {
        const std::string p = std::string("[INST] ") + kind + " request number " + std::to_string(i) + " [/INST]";
        const std::string r = std::string(" ") + kind + " answer " + std::to_string(i * 7) + ", with \"quotes\".";
        s += std::to_string(i) + ",\"" + p + "\",\"" + [&] {
            std::string q;
            for (char c : r)
                q += c == '"' ? std::string("\"\"") : std::string(1, c);
            return q;
        }() + "\",x\n";
    }
    return s;
}

struct Fixture {
    QTemporaryDir dir;
    std::string model, safety, utility;
    explicit Fixture(std::uint64_t seed = 1)
    {
        test::TinySpec spec;
        spec.vocab = 260;
        spec.layers = 4;
        spec.kvHeads = 2;
        spec.seed = seed;
        model = dir.filePath(QStringLiteral("model")).toStdString();
        fs::create_directories(model);
        test::writeTinyModel(model, spec, test::tinyWeights(spec));
        test::writeByteTokenizer(model);
        safety = dir.filePath(QStringLiteral("safety_short.csv")).toStdString();
        utility = dir.filePath(QStringLiteral("utility.csv")).toStdString();
        writeText(safety, csv("harmful", 12));
        writeText(utility, csv("useful", 15));
    }
    std::string path(const char *name) const { return dir.filePath(QString::fromLatin1(name)).toStdString(); }
    ScoreJob job(const std::string &data, const std::string &store, ScoreMethod m = ScoreMethod::Snip) const
    {
        ScoreJob j;
        j.modelDir = model;
        j.dataFile = data;
        j.storePath = store;
        j.settings.method = m;
        j.settings.nsamples = 8;
        return j;
    }
};

std::string fileBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

at::Tensor asTensor(std::vector<float> v, const MatrixShape &s)
{
    return at::from_blob(v.data(), {s.rows, s.cols}, at::kFloat).clone();
}

QString storeError(const std::string &path)
{
    try {
        Store::open(path);
    } catch (const StoreError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void scoreJobsSummariesAndSliderQueries()
    {
        Fixture f;
        const std::string store = f.path("model.alignscope.h5");
        const ScoreJobResult a = runScoreJob(f.job(f.safety, store));
        QCOMPARE(a.set.role, std::string("safety"));
        QVERIFY(a.summaries.empty());
        ScoreJob uj = f.job(f.utility, store);
        uj.storeDtype = "bf16";
        const ScoreJobResult b = runScoreJob(uj);
        QCOMPARE(b.set.role, std::string("utility"));
        QCOMPARE(b.summaries, std::vector<std::string>{a.set.name + "|" + b.set.name});
        QVERIFY(!fs::exists(store + ".partial-" + b.set.name + ".h5"));

        auto s = Store::open(store);
        QCOMPARE(s->numLayers(), 4);
        QCOMPARE(s->modelFingerprint(), computeModelFingerprint(f.model));
        QCOMPARE(s->sets().size(), size_t(2));
        const ScoreSetInfo &info = s->set(a.set.name);
        QCOMPARE(info.settings.nsamples, std::int64_t(8));
        QCOMPARE(info.examples, std::int64_t(8));
        QVERIFY(info.responseTokens > 8 * 10);
        QCOMPARE(info.layersDone, 4);
        QCOMPARE(info.storeDtype, std::string("bf16"));
        QCOMPARE(info.datasetFormat, std::string("csv"));
        QCOMPARE(info.datasetFingerprint.size(), size_t(16));
        QVERIFY(!info.created.empty());
        QVERIFY_THROWS_EXCEPTION(StoreError, s->set("nope"));

        // stored scores are bf16 values (exactly representable) and not all equal
        const auto q0 = s->scores(a.set.name, 0, Matrix::Q);
        QCOMPARE(std::int64_t(q0.size()), s->shapes()[0].numel());
        const at::Tensor t = at::tensor(q0);
        QVERIFY(at::equal(t, t.to(at::kBFloat16).to(at::kFloat)));
        QVERIFY(t.max().item<float>() > t.min().item<float>());

        // slider answers from the summaries equal brute force on the stored scores
        const auto &grid = fractionGrid();
        for (Granularity g : {Granularity::WholeMatrix, Granularity::PerRow})
            for (auto [p, q] : std::vector<std::pair<double, double>>{{0.2, 0.1}, {0.05, 0.05}, {0.5, 0.3}, {1e-4, 1.0}}) {
                const int pi = nearestFractionIndex(p), qi = nearestFractionIndex(q);
                const SliderAnswer ans = s->query(a.set.name, b.set.name, pi, qi, g);
                std::int64_t removed = 0;
                for (int l = 0; l < 4; ++l)
                    for (int m = 0; m < kMatricesPerLayer; ++m) {
                        const MatrixShape &sh = s->shapes()[size_t(m)];
                        const at::Tensor S = asTensor(s->scores(a.set.name, l, Matrix(m)), sh);
                        const at::Tensor U = asTensor(s->scores(b.set.name, l, Matrix(m)), sh);
                        const SliderCell &c = ans.cells[size_t(l * kMatricesPerLayer + m)];
                        QCOMPARE(c.removed, setDifference(S, U, grid[size_t(pi)], grid[size_t(qi)], g).numel());
                        QCOMPARE(c.jaccard, topOverlap(S, U, grid[size_t(pi)], g).jaccard());
                        removed += c.removed;
                    }
                QCOMPARE(ans.removed, removed);
                QCOMPARE(ans.numel, s->totalWeights());
            }

        // the same job again reuses the set; a different computation under the same name is refused
        QVERIFY(runScoreJob(f.job(f.safety, store)).reused);
        ScoreJob clash = f.job(f.safety, store);
        clash.name = b.set.name;
        QVERIFY_THROWS_EXCEPTION(StoreError, runScoreJob(clash));
    }

    void selectionsEditTheModelInMemory()
    {
        Fixture f;
        const std::string store = f.path("e.h5");
        const auto a = runScoreJob(f.job(f.safety, store)).set.name;
        const auto b = runScoreJob(f.job(f.utility, store)).set.name;
        const auto basis = runScoreJob(f.job(f.safety, store, ScoreMethod::ActSvd)).set.name;
        auto s = Store::open(store);
        auto model = Model::load(f.model);
        const LlamaModel &llama = *model->impl().llama;
        std::vector<at::Tensor> before;
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                before.push_back(llama.layer(l).w[m].clone());
        {
            ModelEdit edit(*model);
            QCOMPARE(edit.actualSparsity(), 0.0);
            SelectionSpec spec;
            spec.safety = a;
            spec.utility = b;
            spec.p = 0.2;
            spec.q = 0.1;
            const SelectionReport r = edit.apply(*s, spec);
            // the independent computation: the set difference of the stored scores, matrix by matrix
            auto removedIn = [&](int l, int m) {
                const MatrixShape &sh = s->shapes()[size_t(m)];
                return setDifference(asTensor(s->scores(a, l, Matrix(m)), sh), asTensor(s->scores(b, l, Matrix(m)), sh),
                                     0.2, 0.1, Granularity::WholeMatrix);
            };
            std::int64_t zeros = 0;
            for (int l = 0; l < 4; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    const at::Tensor removed = removedIn(l, m);
                    const at::Tensor w = llama.layer(l).w[m].reshape({-1});
                    const at::Tensor orig = before[size_t(l * 7 + m)].reshape({-1});
                    QVERIFY(at::equal(w.index_select(0, removed), at::zeros({removed.numel()})));
                    at::Tensor keep = at::ones({w.numel()}, at::kBool);
                    keep.index_fill_(0, removed, false);
                    QVERIFY(at::equal(w.masked_select(keep), orig.masked_select(keep)));
                    zeros += removed.numel();
                }
            QCOMPARE(r.removedTotal, zeros);
            QCOMPARE(edit.actualSparsity(), double(zeros) / double(s->totalWeights()));
            edit.undo();
            // the matched random control: per matrix the same count, other entries, reproducible by its seed
            auto randomEdit = [&](std::int64_t seed) {
                SelectionSpec c = spec;
                c.randomSeed = seed;
                const SelectionReport rc = edit.apply(*s, c);
                std::vector<at::Tensor> zeroed;
                for (int l = 0; l < 4; ++l)
                    for (int m = 0; m < kMatricesPerLayer; ++m)
                        zeroed.push_back((llama.layer(l).w[m].reshape({-1}) == 0) &
                                         (before[size_t(l * 7 + m)].reshape({-1}) != 0));
                edit.undo();
                return std::make_pair(rc.removedTotal, zeroed);
            };
            const auto [rc5, z5] = randomEdit(5);
            QCOMPARE(rc5, zeros);
            std::int64_t shared = 0, drawn = 0;
            for (int l = 0; l < 4; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    const at::Tensor removed = removedIn(l, m);
                    const at::Tensor &z = z5[size_t(l * 7 + m)];
                    QCOMPARE(z.sum().item<std::int64_t>(), removed.numel());  // as many as the selection, per matrix
                    shared += z.index_select(0, removed).sum().item<std::int64_t>();
                    drawn += removed.numel();
                }
            QVERIFY2(double(shared) < 0.3 * double(drawn), qPrintable(QString::number(shared)));  // ~q of them by chance
            const auto z5again = randomEdit(5).second, z6 = randomEdit(6).second;
            bool same = true, other = false;
            for (size_t i = 0; i < z5.size(); ++i) {
                same = same && at::equal(z5[i], z5again[i]);
                other = other || !at::equal(z5[i], z6[i]);
            }
            QVERIFY(same);
            QVERIFY(other);
            SelectionSpec ranksControl;
            ranksControl.kind = SelectionKind::ActSvd;
            ranksControl.basis = basis;
            ranksControl.rank = 1;
            ranksControl.randomSeed = 0;
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, edit.apply(*s, ranksControl));
            // ActSVD: W − V_r V_rᵀ W with the stored basis
            SelectionSpec sv;
            sv.kind = SelectionKind::ActSvd;
            sv.basis = basis;
            sv.rank = 3;
            edit.apply(*s, sv);
            const at::Tensor V = [&] {
                Store::Basis bb = s->basis(basis, 2, Matrix::Up);
                return at::from_blob(bb.vectors.data(), {bb.rows, bb.columns}, at::kFloat).clone();
            }();
            QVERIFY(at::allclose(llama.layer(2).w[int(Matrix::Up)], actSvdModified(before[2 * 7 + 5], V, 3, true), 1e-5, 1e-6));
        }  // the destructor undoes
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                QVERIFY(at::equal(llama.layer(l).w[m], before[size_t(l * 7 + m)]));
        // another model's store is refused
        Fixture g(9);
        auto other = Model::load(g.model);
        ModelEdit wrong(*other);
        SelectionSpec spec;
        spec.kind = SelectionKind::RowPrune;
        spec.scores = a;
        spec.sparsity = 0.1;
        QVERIFY_THROWS_EXCEPTION(StoreError, wrong.apply(*s, spec));
    }

    void editedModelIsSavedAsAHuggingFaceFolder()
    {
        Fixture f;
        const std::string store = f.path("sv.h5");
        const auto a = runScoreJob(f.job(f.safety, store)).set.name;
        const auto b = runScoreJob(f.job(f.utility, store)).set.name;
        const auto basis = runScoreJob(f.job(f.safety, store, ScoreMethod::ActSvd)).set.name;
        auto s = Store::open(store);
        auto model = Model::load(f.model);
        ModelEdit edit(*model);
        SelectionSpec sd;
        sd.safety = a;
        sd.utility = b;
        sd.p = 0.1;
        sd.q = 0.3;
        edit.apply(*s, sd);
        SelectionSpec sv;
        sv.kind = SelectionKind::ActSvd;
        sv.basis = basis;
        sv.rank = 2;
        edit.apply(*s, sv);  // both edits, one on top of the other
        const std::string out = f.path("edited");
        edit.save(out);
        // another loader's view: the saved folder loads, with exactly the edited weights
        auto saved = Model::load(out);
        LlamaModel &x = *model->impl().llama, &y = *saved->impl().llama;
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                QVERIFY(at::equal(x.layer(l).w[m], y.layer(l).w[m]));
        QVERIFY(at::equal(x.embedding(), y.embedding()));
        QCOMPARE(fileBytes(out + "/config.json"), fileBytes(f.model + "/config.json"));  // copied unchanged
        QCOMPARE(fileBytes(out + "/tokenizer.json"), fileBytes(f.model + "/tokenizer.json"));
        QVERIFY(computeModelFingerprint(out) != computeModelFingerprint(f.model));
        const auto note = nlohmann::json::parse(fileBytes(out + "/alignscope_edit.json"));
        QCOMPARE(note["edits"].size(), size_t(2));
        QCOMPARE(note["edits"][0]["kind"].get<std::string>(), std::string("set_difference"));
        QCOMPARE(note["edits"][1]["rank"].get<int>(), 2);
        QCOMPARE(note["actual_sparsity"].get<double>(), edit.actualSparsity());
        // a non-empty folder is refused; after undo the original weights are back
        QVERIFY_THROWS_EXCEPTION(ModelError, edit.save(out));
        edit.undo();
        auto original = Model::load(f.model);
        QVERIFY(at::equal(x.layer(1).w[0], original->impl().llama->layer(1).w[0]));
    }

    void matrixDetailAggregatesTheSetDifference()
    {
        Fixture f;
        const std::string store = f.path("md.h5");
        const auto a = runScoreJob(f.job(f.safety, store)).set.name;
        const auto b = runScoreJob(f.job(f.utility, store)).set.name;
        auto s = Store::open(store);
        SelectionSpec spec;
        spec.safety = a;
        spec.utility = b;
        spec.p = 0.2;
        spec.q = 0.3;
        const MatrixDetail d = matrixDetail(*s, spec, 2, Matrix::Up, 5, 8);  // up: 48 × 32 → 5 × 5 blocks
        const MatrixShape &sh = s->shapes()[size_t(Matrix::Up)];
        const at::Tensor S = asTensor(s->scores(a, 2, Matrix::Up), sh), U = asTensor(s->scores(b, 2, Matrix::Up), sh);
        const at::Tensor removed = setDifference(S, U, 0.2, 0.3, Granularity::WholeMatrix);
        QCOMPARE(d.removed, removed.numel());
        QCOMPARE(d.blockRows, 5);
        QCOMPARE(d.blockCols, 5);
        // by plain loops: which block each removed entry falls in, over the block's size
        std::vector<double> count(25, 0), size(25, 0);
        for (std::int64_t i = 0; i < sh.rows; ++i)
            for (std::int64_t j = 0; j < sh.cols; ++j)
                size[size_t((i * 5 / sh.rows) * 5 + j * 5 / sh.cols)] += 1;
        const at::Tensor idx = removed.contiguous();
        for (std::int64_t k = 0; k < idx.numel(); ++k) {
            const std::int64_t e = idx.data_ptr<std::int64_t>()[k], i = e / sh.cols, j = e % sh.cols;
            count[size_t((i * 5 / sh.rows) * 5 + j * 5 / sh.cols)] += 1;
        }
        for (size_t k = 0; k < 25; ++k)
            QCOMPARE(d.removedFraction[k], count[k] / size[k]);
        // histograms: every positive score in exactly one bin, zeros counted apart
        std::int64_t total = 0, positive = 0;
        for (auto n : d.safetyHistogram)
            total += n;
        for (float v : s->scores(a, 2, Matrix::Up))
            positive += v > 0;
        QCOMPARE(total, positive);
        QCOMPARE(d.safetyZeros, sh.numel() - positive);
        QCOMPARE(d.binEdges.size(), size_t(9));
        QVERIFY(std::is_sorted(d.binEdges.begin(), d.binEdges.end()));
        SelectionSpec rows = spec;
        rows.kind = SelectionKind::RowPrune;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matrixDetail(*s, rows, 0, Matrix::Q));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matrixDetail(*s, spec, 9, Matrix::Q));

        // the layer map's mean score: a plain average of every stored score of the matrix, in tensors
        const std::vector<double> means = meanScores(*s, a);
        QCOMPARE(int(means.size()), s->numLayers() * kMatricesPerLayer);
        for (int l = 0; l < s->numLayers(); ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const at::Tensor t = asTensor(s->scores(a, l, Matrix(m)), s->shapes()[size_t(m)]).to(at::kDouble);
                QVERIFY(std::abs(means[size_t(l * kMatricesPerLayer + m)] - t.mean().item<double>()) <=
                        1e-12 * std::abs(t.mean().item<double>()));
            }
        QVERIFY_THROWS_EXCEPTION(StoreError, meanScores(*s, "nope"));
    }

    void scoreJobEstimates()
    {
        Fixture f;
        const std::string store = f.path("e.h5");
        const MachineSpeed speed{1e9, 1e9};
        const ScoreJob wandaJob = f.job(f.safety, store, ScoreMethod::Wanda);
        const ScoreEstimate wanda = estimateScoreJob(wandaJob, speed);
        // the examples the job then uses, and their tokens counted here: BOS + the prompt's and the response's bytes
        const ScoreJobResult done = runScoreJob(wandaJob);
        QCOMPARE(wanda.examples, done.set.examples);
        const CalibrationSet set = readCalibrationSet(f.safety);
        std::int64_t tokens = 0, longest = 0;
        double squares = 0;
        for (std::int64_t row : selectCalibrationRows(std::int64_t(set.rows.size()), 8, 0)) {
            const std::int64_t T = 1 + std::int64_t(set.rows[size_t(row)].prompt.size() + set.rows[size_t(row)].response.size());
            tokens += T;
            longest = std::max(longest, T);
            squares += double(T) * double(T);
        }
        QCOMPARE(wanda.tokens, tokens);
        QCOMPARE(wanda.longest, longest);
        QVERIFY(wanda.tokens > done.set.responseTokens);
        // a forward pass: 2 FLOPs per weight of the decoder matrices and lm_head per token, plus attention
        const ModelConfig c = readModelConfig(f.model);
        const double linear = 2.0 * double(4 * (32 * 32 * 2 + 2 * 16 * 32) + 3 * 4 * 32 * 48 + 260 * 32);
        QCOMPARE(double(c.decoderLinearParameters() + c.vocabSize * c.hiddenSize), linear / 2.0);
        const double attention = 4.0 * 4 * 32 * squares / 2.0;
        QVERIFY(std::abs(wanda.flops - (linear * double(tokens) + attention)) <= 1e-9 * wanda.flops);
        QVERIFY(std::abs(wanda.seconds - wanda.flops / 0.6e9) <= 1e-9 * wanda.seconds);
        // SNIP: forward + backward; its per-layer loop (1.5 L + 1.5) forward passes; ActSVD adds XᵀX and eigh
        const ScoreEstimate snip = estimateScoreJob(f.job(f.safety, store, ScoreMethod::Snip), speed);
        QVERIFY(std::abs(snip.flops - 3 * wanda.flops) <= 1e-9 * snip.flops);
        ScoreJob seq = f.job(f.safety, store, ScoreMethod::Snip);
        seq.settings.mode = ScoreMode::Sequential;
        QVERIFY(std::abs(estimateScoreJob(seq, speed).flops - 7.5 * wanda.flops) <= 1e-9 * snip.flops);
        QVERIFY(snip.memoryBytes > wanda.memoryBytes);  // gradients
        const ScoreEstimate svd = estimateScoreJob(f.job(f.safety, store, ScoreMethod::ActSvd), MachineSpeed{});
        QVERIFY(svd.flops > wanda.flops);
        QCOMPARE(svd.seconds, -1.0);
        ScoreJob bad = wandaJob;
        bad.dataFile = f.path("missing.csv");
        QVERIFY_THROWS_EXCEPTION(DataError, estimateScoreJob(bad, speed));
    }

    void actSvdBasesAreStored()
    {
        Fixture f;
        const std::string store = f.path("s.h5");
        const ScoreJobResult r = runScoreJob(f.job(f.safety, store, ScoreMethod::ActSvd));
        auto s = Store::open(store);
        QVERIFY(s->set(r.set.name).isBasis());
        const Store::Basis b = s->basis(r.set.name, 1, Matrix::Gate);
        QCOMPARE(b.rows, s->shapes()[size_t(Matrix::Gate)].rows);
        QCOMPARE(b.columns, b.rows);
        QVERIFY(std::is_sorted(b.eigenvalues.rbegin(), b.eigenvalues.rend()));
        const at::Tensor V = at::from_blob(const_cast<float *>(b.vectors.data()), {b.rows, b.columns}, at::kFloat);
        QVERIFY((at::matmul(V.t(), V) - at::eye(b.rows)).abs().max().item<float>() < 1e-4);
        QVERIFY_THROWS_EXCEPTION(StoreError, s->scores(r.set.name, 0, Matrix::Q));
    }

    void interruptedJobResumesAtItsLayerAndLeavesTheStoreAlone()
    {
        Fixture f;
        const std::string store = f.path("r.h5"), reference = f.path("ref.h5");
        runScoreJob(f.job(f.utility, store, ScoreMethod::Wanda));
        const std::string before = fileBytes(store);
        CancellationToken token;
        JobContext ctx(
            [&token](const ProgressEvent &e) {
                if (e.stage == "scoring layer 2")
                    token.cancel();
            },
            &token, 0.0);
        ScoreJob job = f.job(f.safety, store, ScoreMethod::Wanda);
        job.settings.mode = ScoreMode::Sequential;
        job.settings.sparsity = 0.25;
        QVERIFY_THROWS_EXCEPTION(Cancelled, runScoreJob(job, &ctx));
        QCOMPARE(fileBytes(store), before);  // the store is as it was
        token.reset();
        const ScoreJobResult r = runScoreJob(job);
        QCOMPARE(r.resumedFromLayer, 2);
        // the same as an uninterrupted run
        ScoreJob full = job;
        full.storePath = reference;
        runScoreJob(full);
        auto a = Store::open(store), b = Store::open(reference);
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                QCOMPARE(a->scores(r.set.name, l, Matrix(m)), b->scores(r.set.name, l, Matrix(m)));
        QCOMPARE(a->summaryPairs().size(), size_t(0));  // one-shot utility, sequential safety: no pair
    }

    void sequentialOrthogonalJobStoresAPairAndReplays()
    {
        Fixture f;
        const std::string store = f.path("o.h5"), reference = f.path("o-ref.h5");
        ScoreJob job = f.job(f.safety, store, ScoreMethod::ActSvd);
        job.settings.mode = ScoreMode::Sequential;
        job.settings.orthogonal = true;
        job.settings.ru = 6;  // the code's meaning: protect the top m − 6 utility directions
        job.settings.rs = 10;
        job.utilityDataFile = f.utility;
        CancellationToken token;
        JobContext ctx(
            [&token](const ProgressEvent &e) {
                if (e.stage == "decomposing layer 2")
                    token.cancel();
            },
            &token, 0.0);
        QVERIFY_THROWS_EXCEPTION(Cancelled, runScoreJob(job, &ctx));
        QVERIFY(!fs::exists(store));
        token.reset();
        const ScoreJobResult r = runScoreJob(job);
        QCOMPARE(r.resumedFromLayer, 2);
        QCOMPARE(r.sets.size(), size_t(2));
        const ScoreSetInfo &ss = r.sets[0], &us = r.sets[1];
        QCOMPARE(ss.role, std::string("safety"));
        QCOMPARE(us.role, std::string("utility"));
        QCOMPARE(ss.partner, us.name);
        QCOMPARE(us.partner, ss.name);
        QVERIFY(runScoreJob(job).reused);
        ScoreJob full = job;
        full.storePath = reference;
        runScoreJob(full);
        auto a = Store::open(store), b = Store::open(reference);
        QCOMPARE(a->set(us.name).settings.rs, std::int64_t(10));
        QVERIFY(a->set(ss.name).settings.orthogonal);
        QCOMPARE(a->set(ss.name).partner, us.name);
        for (int l = 0; l < 4; ++l)
            for (const auto &name : {ss.name, us.name})
                QCOMPARE(a->basis(name, l, Matrix::Down).vectors, b->basis(name, l, Matrix::Down).vectors);

        // the stored pair replays the sequential modification (the same as the attribution run's own)
        auto model = Model::load(f.model);
        LlamaModel &llama = *model->impl().llama;
        SelectionSpec spec;
        spec.kind = SelectionKind::Orthogonal;
        spec.safetyBasis = ss.name;
        spec.utilityBasis = us.name;
        spec.ru = 6;
        spec.rs = 10;
        ModelEdit edit(*model);
        edit.apply(*a, spec);
        for (int l = 0; l < 4; ++l) {
            const at::Tensor w = llama.layer(l).w[int(Matrix::O)].clone();
            edit.undo();
            auto basis = [&](const std::string &n) {
                Store::Basis bb = a->basis(n, l, Matrix::O);
                return at::from_blob(bb.vectors.data(), {bb.rows, bb.columns}, at::kFloat).clone();
            };
            const at::Tensor W = llama.layer(l).w[int(Matrix::O)];
            const at::Tensor expected = W - orthogonalProjectionDelta(W, basis(us.name), basis(ss.name), 6, 10, false).to(W.scalar_type());
            QVERIFY(at::allclose(w.to(at::kDouble), expected.to(at::kDouble), 1e-5, 1e-6));
            edit.apply(*a, spec);
        }
        edit.undo();
        // other ranks, another partner, or a plain ActSVD removal with these bases are refused
        for (auto change : std::vector<std::function<void(SelectionSpec &)>>{
                 [](SelectionSpec &x) { x.ru = 5; }, [](SelectionSpec &x) { x.paperNaming = true; },
                 [&](SelectionSpec &x) { x.utilityBasis = x.safetyBasis; }}) {
            SelectionSpec bad = spec;
            change(bad);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reportSelection(*a, bad));
        }
        SelectionSpec actsvd;
        actsvd.kind = SelectionKind::ActSvd;
        actsvd.basis = ss.name;
        actsvd.rank = 3;
        try {
            reportSelection(*a, actsvd);
            QFAIL("a sequential orthogonal basis was applied as an ActSVD removal");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("computed sequentially")), e.what());
        }
        // a sequential rank-removal set only replays its own rank
        ScoreJob seq = f.job(f.safety, store, ScoreMethod::ActSvd);
        seq.settings.mode = ScoreMode::Sequential;
        seq.settings.rank = 2;
        const std::string seqName = runScoreJob(seq).set.name;
        auto c = Store::open(store);
        actsvd.basis = seqName;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reportSelection(*c, actsvd));
        actsvd.rank = 2;
        QCOMPARE(reportSelection(*c, actsvd).removedTotal, std::int64_t(2 * 7 * 4));
        // a job that is not a sequential ActSVD cannot be orthogonal
        ScoreJob wrong = job;
        wrong.settings.mode = ScoreMode::OneShot;
        QVERIFY_THROWS_EXCEPTION(StoreError, runScoreJob(wrong));
    }

    void anotherModelsStoreIsRefused()
    {
        Fixture f(1), g(2);
        QVERIFY(computeModelFingerprint(f.model) != computeModelFingerprint(g.model));  // same shapes, other weights
        const std::string store = f.path("m.h5");
        runScoreJob(f.job(f.safety, store, ScoreMethod::Wanda));
        ScoreJob other = g.job(g.safety, store, ScoreMethod::Wanda);
        try {
            runScoreJob(other);
            QFAIL("another model's store was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("belongs to another model")), e.what());
        }
    }

    void corruptAndTruncatedStoresGiveClearErrors()
    {
        Fixture f;
        const std::string store = f.path("c.h5");
        runScoreJob(f.job(f.safety, store, ScoreMethod::Wanda));
        const std::string bytes = fileBytes(store);
        writeText(f.path("garbage.h5"), "this is not an HDF5 file at all");
        QVERIFY(storeError(f.path("garbage.h5")).contains(QStringLiteral("not an HDF5 file")));
        QVERIFY(storeError(f.path("missing.h5")).contains(QStringLiteral("missing.h5")));
        for (size_t cut : {bytes.size() / 2, bytes.size() - 100, size_t(600)}) {
            writeText(f.path("t.h5"), bytes.substr(0, cut));
            const QString msg = storeError(f.path("t.h5"));
            if (msg.isEmpty()) {  // the metadata survived the cut: reading the data must fail cleanly
                auto s = Store::open(f.path("t.h5"));
                try {
                    for (int l = 0; l < 4; ++l)
                        for (int m = 0; m < kMatricesPerLayer; ++m)
                            s->scores(s->sets().at(0).name, l, Matrix(m));
                    QFAIL("a truncated store read without error");
                } catch (const StoreError &e) {
                    QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("t.h5")), e.what());
                }
            } else {
                QVERIFY2(msg.contains(QStringLiteral("t.h5")), qPrintable(msg));
            }
        }
    }

    void h5pyReadsEveryDataset()
    {
        Fixture f;
        const std::string store = f.path("py.h5");
        runScoreJob(f.job(f.safety, store));
        ScoreJob u = f.job(f.utility, store);
        u.storeDtype = "fp16";
        runScoreJob(u);
        runScoreJob(f.job(f.safety, store, ScoreMethod::ActSvd));
        // A reader that knows only docs/STORE_FORMAT.md: bf16 is uint16 with dtype "bf16".
        const QString script = QStringLiteral(R"PY(
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f.attrs["format"] == "alignscope-store", f.attrs["format"]
L = int(f.attrs["num_layers"]); shapes = f["model/shapes"][()]
n = 0
for name, g in f["sets"].items():
    for l in range(L):
        for i, m in enumerate(["q", "k", "v", "o", "gate", "up", "down"]):
            lg = g["layer_%03d" % l]
            if g.attrs["method"] == "actsvd":
                v = lg[m + "_eigenvectors"][()]; e = lg[m + "_eigenvalues"][()]
                assert v.shape == (shapes[i][0], shapes[i][0]) and e.dtype == np.float64
            else:
                d = lg[m]
                x = d[()]
                if d.attrs.get("dtype") == "bf16":
                    x = (x.astype(np.uint32) << 16).view(np.float32)
                assert x.shape == tuple(shapes[i]) and np.isfinite(x).all() and x.max() > 0, (name, l, m)
            n += 1
for name, g in f["summaries"].items():
    c = g["matrix"][()]
    assert c.shape == (L, 7, 49, 49) and (np.diff(c, axis=2) >= 0).all()
    n += 1
print(n)
)PY");
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, QString::fromStdString(store)});
        QVERIFY(py.waitForFinished(60000));
        const QString out = QString::fromUtf8(py.readAllStandardOutput()).trimmed();
        QVERIFY2(py.exitCode() == 0, qPrintable(QString::fromUtf8(py.readAllStandardError())));
        QCOMPARE(out, QString::number(3 * 4 * 7 + 1));
    }
};

QTEST_APPLESS_MAIN(TestStore)
#include "tst_store.moc"
