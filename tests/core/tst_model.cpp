// SPDX-License-Identifier: MIT
// The model runtime against an independent reference: logits for several architectures and file
// layouts, KV-cache decoding against full recomputation, batching with padding against one-by-one,
// early stop, EOS, sampling reproducibility, zero-copy loading, and broken model folders.
#include "alignscope/model.h"
#include "alignscope/runtime.h"
#include "model/checkpoint.h"
#include "model/generate.h"
#include "model/llama.h"
#include "model/save.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <limits>
#include <fstream>

using namespace alignscope;
using alignscope::test::TinySpec;

Q_DECLARE_METATYPE(TinySpec)

namespace {

double relError(const at::Tensor &got, const at::Tensor &want)
{
    return (got.to(at::kDouble) - want).abs().max().item<double>() / want.abs().max().item<double>();
}

std::unique_ptr<LlamaModel> loadTiny(const QTemporaryDir &dir, const TinySpec &spec,
                                     std::map<std::string, at::Tensor> *weights = nullptr)
{
    auto w = test::tinyWeights(spec);
    test::writeTinyModel(dir.path().toStdString(), spec, w);
    if (weights)
        *weights = w;
    return LlamaModel::load(dir.path().toStdString(), {at::kFloat, at::kCPU});
}

at::Tensor fullLogits(const LlamaModel &m, const std::vector<std::int64_t> &ids)
{
    const auto T = std::int64_t(ids.size());
    const at::Tensor t = at::tensor(ids, at::kLong).view({1, T});
    return m.forward(t, at::arange(T, at::kLong).view({1, T}))[0];
}

std::vector<std::int64_t> greedyByRecomputation(const LlamaModel &m, std::vector<std::int64_t> ids, int n)
{
    std::vector<std::int64_t> out;
    for (int i = 0; i < n; ++i) {
        const std::int64_t next = fullLogits(m, ids)[-1].argmax().item<std::int64_t>();
        out.push_back(next);
        ids.push_back(next);
    }
    return out;
}

const std::vector<std::vector<std::int64_t>> kPrompts = {{1, 5, 9}, {1, 22, 7, 13, 40, 3, 11}, {1, 60, 2, 17, 8}};

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void logitsMatchTheReference_data()
    {
        QTest::addColumn<TinySpec>("spec");
        TinySpec mha;
        QTest::addRow("llama multi-head fp32") << mha;
        TinySpec gqa;
        gqa.kvHeads = 2;
        gqa.layers = 3;
        QTest::addRow("grouped-query") << gqa;
        TinySpec qwen;
        qwen.arch = "Qwen2ForCausalLM";
        qwen.kvHeads = 1;
        qwen.tied = true;
        QTest::addRow("qwen2 qkv bias, tied embeddings") << qwen;
        TinySpec bias;
        bias.bias = true;
        QTest::addRow("llama attention_bias") << bias;
        TinySpec sharded;
        sharded.shards = 3;
        sharded.fileDtype = at::kBFloat16;
        QTest::addRow("sharded bf16 files") << sharded;
        TinySpec half;
        half.fileDtype = at::kHalf;
        QTest::addRow("fp16 file") << half;
        TinySpec l3;
        l3.ropeTheta = 100.0;
        l3.ropeScaling = R"({"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 32})";
        QTest::addRow("llama3 rope scaling") << l3;
        TinySpec lin;
        lin.ropeScaling = R"({"type": "linear", "factor": 2.0})";
        QTest::addRow("linear rope scaling") << lin;
        TinySpec mistral;
        mistral.arch = "MistralForCausalLM";
        mistral.kvHeads = 2;
        mistral.slidingWindow = 3;
        QTest::addRow("mistral sliding window") << mistral;
    }
    void logitsMatchTheReference()
    {
        QFETCH(TinySpec, spec);
        QTemporaryDir dir;
        std::map<std::string, at::Tensor> w;
        auto model = loadTiny(dir, spec, &w);
        const std::vector<std::int64_t> ids = {1, 17, 4, 33, 58, 9, 21, 2, 40};
        const at::Tensor got = fullLogits(*model, ids);
        const at::Tensor want = test::referenceLogits(spec, w, ids);
        const double err = relError(got, want);
        QVERIFY2(err < 1e-4, qPrintable(QStringLiteral("relative error %1").arg(err)));
    }

    void kvCacheEqualsRecomputation()
    {
        TinySpec spec;
        spec.kvHeads = 2;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest req;
        req.prompts = {kPrompts[1]};
        req.sampling.maxNewTokens = 12;
        const GenerateResult r = generate(*model, req);
        QCOMPARE(r.tokens[0], greedyByRecomputation(*model, kPrompts[1], 12));
        QCOMPARE(r.steps, 12);
    }

    void batchedWithPaddingEqualsOneByOne()
    {
        TinySpec spec;
        spec.arch = "Qwen2ForCausalLM";
        spec.kvHeads = 2;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest batch;
        batch.prompts = kPrompts;
        batch.sampling.maxNewTokens = 10;
        const GenerateResult together = generate(*model, batch);
        for (size_t i = 0; i < kPrompts.size(); ++i) {
            GenerateRequest one = batch;
            one.prompts = {kPrompts[i]};
            QCOMPARE(together.tokens[i], generate(*model, one).tokens[0]);
            QCOMPARE(together.tokens[i], greedyByRecomputation(*model, kPrompts[i], 10));
        }
    }

    void sharedPrefixIsComputedOnceAndChangesNothing()
    {
        TinySpec spec;
        spec.kvHeads = 2;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        // a 12-token prefix shared by all (a system prompt, say), then prompts of different lengths
        const std::vector<std::int64_t> prefix = {1, 7, 7, 3, 9, 11, 5, 40, 2, 8, 13, 21};
        GenerateRequest batch;
        for (const auto &tail : std::vector<std::vector<std::int64_t>>{{4}, {30, 31, 32, 33}, {50, 6}})
            batch.prompts.push_back([&] { auto p = prefix; p.insert(p.end(), tail.begin(), tail.end()); return p; }());
        batch.sampling.maxNewTokens = 9;
        const GenerateResult together = generate(*model, batch);
        QCOMPARE(together.tokensComputed, std::int64_t(12 + 3 * 4 + 3 * 8));  // the prefix once, 3 rows of 4, 8 decode steps
        for (size_t i = 0; i < batch.prompts.size(); ++i)
            QCOMPARE(together.tokens[i], greedyByRecomputation(*model, batch.prompts[i], 9));
        // identical prompts: all but the last token is shared
        GenerateRequest same = batch;
        same.prompts = {batch.prompts[1], batch.prompts[1]};
        const GenerateResult twice = generate(*model, same);
        QCOMPARE(twice.tokens[0], together.tokens[1]);
        QCOMPARE(twice.tokens[1], together.tokens[1]);
    }

    void samplingSettingsAreChecked()
    {
        // issue 16: a NaN temperature sampled without a random stream (a segfault)
        TinySpec spec;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest req;
        req.prompts = {{1, 5, 9}};
        req.sampling.maxNewTokens = 2;
        for (double t : {std::nan(""), -1.0, std::numeric_limits<double>::infinity()}) {
            req.sampling.temperature = t;
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generate(*model, req));
        }
        req.sampling.temperature = 1;
        for (double p : {std::nan(""), 0.0, 1.5}) {
            req.sampling.topP = p;
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generate(*model, req));
        }
        req.sampling.topP = 1;
        req.sampling.topK = -2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generate(*model, req));
        req.sampling.topK = 0;
        QCOMPARE(generate(*model, req).tokens[0].size(), size_t(2));
    }

    void samplingStreamsArePerSequence()
    {
        TinySpec spec;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest req;
        req.prompts = kPrompts;
        req.sampling.maxNewTokens = 12;
        req.sampling.temperature = 1.0;
        req.sampling.seed = 3;
        const GenerateResult all = generate(*model, req);
        // stopping sequence 0 early does not change what the others sample
        GenerateRequest early = req;
        early.stopEarly = [](std::size_t index, const std::vector<std::int64_t> &g) { return index == 0 && g.size() == 1; };
        const GenerateResult e = generate(*model, early);
        for (size_t i = 1; i < kPrompts.size(); ++i)
            QCOMPARE(e.tokens[i], all.tokens[i]);
    }

    void earlyStopAndEos()
    {
        TinySpec spec;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest req;
        req.prompts = kPrompts;
        req.sampling.maxNewTokens = 8;
        const GenerateResult full = generate(*model, req);

        GenerateRequest early = req;
        early.stopEarly = [](std::size_t index, const std::vector<std::int64_t> &g) { return index == 1 && g.size() == 2; };
        const GenerateResult e = generate(*model, early);
        QCOMPARE(e.tokens[1], std::vector<std::int64_t>(full.tokens[1].begin(), full.tokens[1].begin() + 2));
        QVERIFY(e.stoppedEarly[1]);
        QVERIFY(!e.stoppedEarly[0]);
        QCOMPARE(e.tokens[0], full.tokens[0]);  // the others are unaffected by the compaction
        QCOMPARE(e.tokens[2], full.tokens[2]);
        QVERIFY(e.tokensComputed < full.tokensComputed);

        GenerateRequest eos = req;
        eos.eosIds = {full.tokens[2][3]};  // the 4th token of prompt 2 becomes an end of sequence
        const GenerateResult g = generate(*model, eos);
        QVERIFY(g.hitEos[2]);
        const auto &f2 = full.tokens[2];
        const size_t firstEos = size_t(std::find(f2.begin(), f2.end(), f2[3]) - f2.begin());
        QCOMPARE(g.tokens[2], std::vector<std::int64_t>(f2.begin(), f2.begin() + firstEos + 1));  // EOS included, as in HF
    }

    void samplingIsReproducible()
    {
        TinySpec spec;
        QTemporaryDir dir;
        auto model = loadTiny(dir, spec);
        GenerateRequest req;
        req.prompts = kPrompts;
        req.sampling.maxNewTokens = 16;
        req.sampling.temperature = 1.0;
        req.sampling.seed = 7;
        const auto a = generate(*model, req).tokens;
        QCOMPARE(generate(*model, req).tokens, a);
        req.sampling.seed = 8;
        QVERIFY(generate(*model, req).tokens != a);
        // top-k 1 is greedy
        req.sampling.topK = 1;
        GenerateRequest greedy = req;
        greedy.sampling.temperature = 0;
        QCOMPARE(generate(*model, req).tokens, generate(*model, greedy).tokens);
        // a tiny top-p keeps only the most likely token: greedy again
        req.sampling.topK = 0;
        req.sampling.topP = 1e-6;
        QCOMPARE(generate(*model, req).tokens, generate(*model, greedy).tokens);
    }

    void savedModelReloadsIdentically()
    {
        TinySpec spec;
        spec.bias = true;
        spec.kvHeads = 2;
        QTemporaryDir dir, out;
        auto model = loadTiny(dir, spec);
        saveModel(*model, out.path().toStdString(), {at::kFloat, 1, 2, -1});
        auto again = LlamaModel::load(out.path().toStdString(), {at::kFloat, at::kCPU});
        const std::vector<std::int64_t> ids = {1, 4, 8, 15, 16, 23, 42};
        QVERIFY(at::equal(fullLogits(*model, ids), fullLogits(*again, ids)));
        QCOMPARE(again->config().numKvHeads, std::int64_t(2));
        QVERIFY(again->config().attentionBias);
        // bf16 storage: the reloaded weights are the bf16 rounding of the originals
        QTemporaryDir half;
        saveModel(*model, half.path().toStdString(), {at::kBFloat16, 1, 2, -1});
        auto h = LlamaModel::load(half.path().toStdString(), {at::kFloat, at::kCPU});
        QVERIFY(at::equal(h->layer(1).w[6], model->layer(1).w[6].to(at::kBFloat16).to(at::kFloat)));
        QCOMPARE(inspectModel(half.path().toStdString()).storedDtype, std::string("BF16"));
    }

    void weightsAreUsedInPlace()
    {
        TinySpec spec;
        QTemporaryDir dir;
        auto w = test::tinyWeights(spec);
        test::writeTinyModel(dir.path().toStdString(), spec, w);
        const ModelConfig cfg = readModelConfig(dir.path().toStdString());
        Checkpoint ck(dir.path().toStdString(), cfg);

        const at::Tensor a = ck.tensor("model.norm.weight", at::kFloat, at::kCPU);
        const at::Tensor b = ck.tensor("model.norm.weight", at::kFloat, at::kCPU);
        QCOMPARE(a.data_ptr(), b.data_ptr());  // both views of the one mapping, no copies
        QVERIFY(at::equal(a, w["model.norm.weight"]));
        const at::Tensor c = ck.tensor("model.norm.weight", at::kBFloat16, at::kCPU);
        QVERIFY(c.data_ptr() != a.data_ptr());  // a conversion copies
        const ModelInfo info = inspectModel(dir.path().toStdString());
        QCOMPARE(info.storedDtype, std::string("F32"));
        std::int64_t n = 0;
        for (const auto &[k, t] : w)
            n += t.numel();
        QCOMPARE(info.storedParameters, n);
        QCOMPARE(info.storedParameters, cfg.totalParameters());
    }

    void brokenFolders_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("message");
        QTest::addRow("no weights") << "rm model.safetensors" << "no model.safetensors or model.safetensors.index.json";
        QTest::addRow("missing tensor") << "drop model.layers.1.mlp.up_proj.weight"
                                        << "missing tensor 'model.layers.1.mlp.up_proj.weight' (required by config.json";
        QTest::addRow("extra tensor") << "add model.layers.0.self_attn.q_norm.weight"
                                      << "unexpected tensor 'model.layers.0.self_attn.q_norm.weight'";
        QTest::addRow("shape contradicts config") << "config intermediate_size 50"
                                                  << "has shape [48, 32], but config.json implies [50, 32]";
        QTest::addRow("more layers in config") << "config num_hidden_layers 3" << "missing tensor 'model.layers.2.";
        QTest::addRow("integer weights") << "int model.norm.weight" << "has dtype I32; weights must be F32, F16 or BF16";
        QTest::addRow("unsupported rope") << "config rope_scaling yarn" << "unsupported rope_scaling type \"yarn\"";
        QTest::addRow("malformed index") << "index {" << "model.safetensors.index.json: malformed JSON";
        QTest::addRow("index without map") << "index {}" << "missing \"weight_map\"";
        QTest::addRow("index escapes folder") << "index {\"weight_map\": {\"x\": \"../evil.safetensors\"}}"
                                              << "must be a plain file name";
        QTest::addRow("index names a missing shard") << "index {\"weight_map\": {\"x\": \"nope.safetensors\"}}"
                                                     << "nope.safetensors: cannot open";
        QTest::addRow("index lies about a tensor") << "index {\"weight_map\": {\"model.norm.weight\": \"model.safetensors\", \"ghost\": \"model.safetensors\"}}"
                                                   << "tensor 'ghost' listed in model.safetensors.index.json is not in this file";
        QTest::addRow("pytorch bin only") << "bin" << "pytorch_model.bin is not supported";
    }
    void brokenFolders()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        TinySpec spec;
        auto w = test::tinyWeights(spec);
        std::string config = test::tinyConfigJson(spec);
        const QStringList words = breakage.split(QLatin1Char(' '));
        const std::string arg = words.size() > 1 ? words[1].toStdString() : std::string();
        if (words[0] == QLatin1String("drop"))
            w.erase(arg);
        else if (words[0] == QLatin1String("add"))
            w[arg] = at::ones({32});
        else if (words[0] == QLatin1String("int"))
            w[arg] = w[arg].to(at::kInt);
        test::writeTinyModel(d, spec, w);
        if (words[0] == QLatin1String("int")) {  // writeTinyModel converts to the file dtype; redo this one
            auto t = at::ones({32}, at::kInt);
            std::vector<TensorBytes> all;
            std::vector<at::Tensor> keep;
            for (auto &[k, v] : w) {
                at::Tensor c = k == arg ? t : v.contiguous();
                keep.push_back(c);
                all.push_back({k, k == arg ? DType::I32 : DType::F32, std::vector<std::int64_t>(c.sizes().begin(), c.sizes().end()),
                               c.data_ptr(), size_t(c.nbytes())});
            }
            writeSafetensors(d + "/model.safetensors", all);
        }
        if (words[0] == QLatin1String("rm"))
            std::filesystem::remove(d + "/" + arg);
        if (words[0] == QLatin1String("bin")) {
            std::filesystem::remove(d + "/model.safetensors");
            std::ofstream(d + "/pytorch_model.bin") << "x";
        }
        if (words[0] == QLatin1String("config")) {
            const std::string key = arg;
            const std::string value = words[2].toStdString();
            if (key == "rope_scaling")
                config.insert(2, "  \"rope_scaling\": {\"type\": \"" + value + "\", \"factor\": 2.0},\n");
            else {
                const auto pos = config.find("\"" + key + "\": ");
                const auto end = config.find(',', pos);
                config.replace(pos, end - pos, "\"" + key + "\": " + value);
            }
            std::ofstream(d + "/config.json") << config;
        }
        if (words[0] == QLatin1String("index"))
            std::ofstream(d + "/model.safetensors.index.json") << breakage.mid(6).toStdString();
        try {
            LlamaModel::load(d, {at::kFloat, at::kCPU});
            QFAIL("loaded a broken model folder");
        } catch (const ModelError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(dir.path()), e.what());  // names the file or folder
        }
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
