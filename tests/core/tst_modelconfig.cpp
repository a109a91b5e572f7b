// SPDX-License-Identifier: MIT
// config.json: parameter counts checked against the published sizes of real models, and a
// matrix of broken configs, each with the message it must give.
#include "alignscope/model.h"
#include "alignscope/model_config.h"
#include "fixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace alignscope;

namespace {

const char *kLlama2_7b = R"({"architectures":["LlamaForCausalLM"],"hidden_size":4096,"intermediate_size":11008,
  "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":32,"vocab_size":32000,
  "max_position_embeddings":4096,"rms_norm_eps":1e-05,"tie_word_embeddings":false,"torch_dtype":"float16"})";
const char *kLlama2_13b = R"({"architectures":["LlamaForCausalLM"],"hidden_size":5120,"intermediate_size":13824,
  "num_hidden_layers":40,"num_attention_heads":40,"vocab_size":32000})";
const char *kQwen2_05b = R"({"architectures":["Qwen2ForCausalLM"],"hidden_size":896,"intermediate_size":4864,
  "num_hidden_layers":24,"num_attention_heads":14,"num_key_value_heads":2,"vocab_size":151936,
  "max_position_embeddings":32768,"rope_theta":1000000.0,"tie_word_embeddings":true,"torch_dtype":"bfloat16"})";

std::string parseError(const std::string &json)
{
    try {
        parseModelConfig(json, "/m/config.json");
    } catch (const ModelError &e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void llama2Sizes()
    {
        // Wei et al.'s denominators (spec §0.2) and the published parameter totals
        const ModelConfig c7 = parseModelConfig(kLlama2_7b, "7b");
        QCOMPARE(c7.decoderLinearParameters(), std::int64_t(6476005376));
        QCOMPARE(c7.totalParameters(), std::int64_t(6738415616));
        QCOMPARE(c7.headDim, qint64(128));
        QCOMPARE(c7.matrixShape(4), std::make_pair(std::int64_t(11008), std::int64_t(4096)));
        QCOMPARE(c7.matrixShape(6), std::make_pair(std::int64_t(4096), std::int64_t(11008)));
        QCOMPARE(c7.torchDtype, std::string("float16"));
        const ModelConfig c13 = parseModelConfig(kLlama2_13b, "13b");
        QCOMPARE(c13.numKvHeads, qint64(40));  // defaults to num_attention_heads
        QCOMPARE(c13.decoderLinearParameters(), std::int64_t(12687769600));
        QCOMPARE(c13.totalParameters(), std::int64_t(13015864320));
    }

    void qwen2GroupedQueryWithBiasAndTiedEmbeddings()
    {
        const ModelConfig c = parseModelConfig(kQwen2_05b, "qwen");
        QVERIFY(c.attentionBias);
        QVERIFY(c.tieWordEmbeddings);
        QCOMPARE(c.matrixShape(1), std::make_pair(std::int64_t(128), std::int64_t(896)));  // k: 2 KV heads × 64
        QCOMPARE(c.ropeTheta, 1e6);
        QCOMPARE(c.totalParameters(), std::int64_t(494032768));  // Qwen2-0.5B's published count
    }

    void estimates()
    {
        const ModelConfig c7 = parseModelConfig(kLlama2_7b, "7b");
        JobShape s;
        s.promptTokens = 4000;
        s.newTokens = 96;
        s.dtypeBytes = 2;
        const MemoryEstimate m = estimateMemory(c7, s);
        // the well-known 0.5 MiB of fp16 KV cache per token of Llama-2-7B: 4096 tokens = 2 GiB
        QCOMPARE(m.kvCache, std::uint64_t(2) << 30);
        QCOMPARE(m.weights, std::uint64_t(6738415616) * 2);
        QCOMPARE(m.gradients, std::uint64_t(0));
        s.weightGradients = true;
        const MemoryEstimate g = estimateMemory(c7, s);
        QCOMPARE(g.kvCache, std::uint64_t(0));
        QCOMPARE(g.gradients, std::uint64_t(6476005376) * (2 + 4));  // a gradient and an fp32 accumulator per weight
        // FLOPs: 2 per weight per token for the linear layers and lm_head, plus attention
        JobShape one;
        one.promptTokens = 1;
        one.newTokens = 0;
        QCOMPARE(estimateFlops(c7, one), 2.0 * double(6476005376 + 32000LL * 4096) + 4.0 * 32 * 4096 * 0.5);
        // time: grows with the job, and decode of a big model is bound by reading its weights
        const MachineSpeed speed{100e9, 10e9};
        JobShape a;
        a.promptTokens = 16;
        a.newTokens = 10;
        a.dtypeBytes = 4;
        JobShape b = a;
        b.newTokens = 20;
        const double ta = estimateSeconds(c7, a, speed), tb = estimateSeconds(c7, b, speed);
        QVERIFY(ta > 0 && tb > ta);
        const double perToken = (tb - ta) / 10;
        QVERIFY(qAbs(perToken - 6738415616.0 * 4 / (10e9 * 0.8)) < 0.01 * perToken);
        QCOMPARE(estimateSeconds(c7, a, MachineSpeed{}), -1.0);
        QCOMPARE(QString::fromStdString(formatBytes(3u << 20)), QStringLiteral("3.0 MiB"));
        QCOMPARE(QString::fromStdString(formatBytes(512)), QStringLiteral("512 B"));
    }

    void readsFromDirectory()
    {
        QTemporaryDir dir;
        test::writeFile(dir.path(), QStringLiteral("config.json"), test::tinyLlamaConfigJson().toUtf8());
        const ModelConfig c = readModelConfig(dir.path().toStdString());
        QCOMPARE(c.numLayers, qint64(2));
        QCOMPARE(c.numKvHeads, qint64(2));
        QCOMPARE(c.headDim, qint64(16));
    }

    void missingFiles()
    {
        QTemporaryDir dir;
        try {
            readModelConfig(dir.path().toStdString());
            QFAIL("no error");
        } catch (const ModelError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("config.json: cannot open")), e.what());
        }
        try {
            readModelConfig(QString(dir.path() + QStringLiteral("/nope")).toStdString());
            QFAIL("no error");
        } catch (const ModelError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("nope: not a directory")), e.what());
        }
    }

    void brokenConfigs_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString base = QString::fromUtf8(kLlama2_7b);
        auto with = [&](const QString &from, const QString &to) { return QString(base).replace(from, to); };
        QTest::addRow("truncated") << base.left(40) << "/m/config.json: malformed JSON";
        QTest::addRow("not an object") << "[1,2]" << "expected a JSON object";
        QTest::addRow("no architectures") << with(QStringLiteral("\"architectures\""), QStringLiteral("\"arch\""))
                                          << "missing \"architectures\"";
        QTest::addRow("unsupported architecture")
            << with(QStringLiteral("LlamaForCausalLM"), QStringLiteral("GPT2LMHeadModel"))
            << "unsupported architecture \"GPT2LMHeadModel\"; supported: LlamaForCausalLM, MistralForCausalLM, "
               "Qwen2ForCausalLM";
        QTest::addRow("missing hidden_size") << with(QStringLiteral("\"hidden_size\""), QStringLiteral("\"hs\""))
                                             << "missing required key \"hidden_size\"";
        QTest::addRow("string layers") << with(QStringLiteral("\"num_hidden_layers\":32"),
                                               QStringLiteral("\"num_hidden_layers\":\"32\""))
                                       << "\"num_hidden_layers\" must be an integer, got \"32\"";
        QTest::addRow("zero heads") << with(QStringLiteral("\"num_attention_heads\":32"),
                                            QStringLiteral("\"num_attention_heads\":0"))
                                    << "\"num_attention_heads\" must be positive, got 0";
        QTest::addRow("negative vocab") << with(QStringLiteral("32000"), QStringLiteral("-5"))
                                        << "\"vocab_size\" must be positive, got -5";
        QTest::addRow("float layers") << with(QStringLiteral("\"num_hidden_layers\":32"),
                                              QStringLiteral("\"num_hidden_layers\":3.5"))
                                      << "\"num_hidden_layers\" must be an integer, got 3.5";
        QTest::addRow("heads do not divide hidden") << with(QStringLiteral("\"num_attention_heads\":32,\"num_key_value_heads\":32"),
                                                            QStringLiteral("\"num_attention_heads\":30,\"num_key_value_heads\":30"))
                                                    << "hidden_size 4096 is not divisible by num_attention_heads 30";
        QTest::addRow("kv heads do not divide heads") << with(QStringLiteral("\"num_key_value_heads\":32"),
                                                              QStringLiteral("\"num_key_value_heads\":5"))
                                                      << "num_attention_heads 32 is not a multiple of num_key_value_heads 5";
        QTest::addRow("bad eps") << with(QStringLiteral("1e-05"), QStringLiteral("-1")) << "\"rms_norm_eps\" must be positive";
        QTest::addRow("bad tie") << with(QStringLiteral("\"tie_word_embeddings\":false"),
                                         QStringLiteral("\"tie_word_embeddings\":\"no\""))
                                 << "\"tie_word_embeddings\" must be true or false";
        QTest::addRow("empty") << QString() << "malformed JSON";
    }
    void brokenConfigs()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        const QString got = QString::fromStdString(parseError(json.toStdString()));
        QVERIFY2(got.startsWith(QStringLiteral("/m/config.json: ")), qPrintable(got));
        QVERIFY2(got.contains(message), qPrintable(got));
    }
};

QTEST_APPLESS_MAIN(TestModelConfig)
#include "tst_modelconfig.moc"
