// SPDX-License-Identifier: MIT
// info, tokenize and generate through the real CLI process on a tiny model made here.
#include "cliprocess.h"
#include "alignscope/model.h"
#include "model/llama.h"
#include "tinymodel.h"

#include "fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace alignscope;

namespace {

using Run = alignscope::test::CliRun;

Run cli(const QStringList &args) { return alignscope::test::runCli(args); }

QJsonObject json(const Run &r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

std::vector<std::int64_t> ints(const QJsonValue &v)
{
    std::vector<std::int64_t> out;
    for (const auto &e : v.toArray())
        out.push_back(e.toInteger());
    return out;
}

} // namespace

class TestCliModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::TinySpec m_spec;
    std::int64_t m_params = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_spec.vocab = 260;
        m_spec.kvHeads = 2;
        m_spec.bosId = 256;
        m_spec.eosId = 257;
        const auto w = test::tinyWeights(m_spec);
        for (const auto &[k, t] : w)
            m_params += t.numel();
        test::writeTinyModel(m_dir.path().toStdString(), m_spec, w);
        test::writeByteTokenizer(m_dir.path().toStdString());
    }

    void info()
    {
        const Run r = cli({QStringLiteral("info"), m_dir.path(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        QCOMPARE(o.value(QStringLiteral("architecture")).toString(), QStringLiteral("LlamaForCausalLM"));
        QCOMPARE(o.value(QStringLiteral("layers")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("key_value_heads")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("parameters")).toInteger(), m_params);  // summed from the tensors written
        QCOMPARE(o.value(QStringLiteral("dtype")).toString(), QStringLiteral("F32"));
        QCOMPARE(o.value(QStringLiteral("tokenizer")).toString(), QStringLiteral("bpe-byte-level"));
        QVERIFY(o.value(QStringLiteral("memory_estimate")).toObject().contains(QStringLiteral("generation_batch1_512_plus_256")));
        const Run text = cli({QStringLiteral("info"), m_dir.path()});
        QVERIFY(text.out.contains(QStringLiteral("LlamaForCausalLM")));
    }

    void tokenize()
    {
        const Run r = cli({QStringLiteral("tokenize"), m_dir.path(), QStringLiteral("--text"), QStringLiteral("hi!"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        // BOS, then the bytes themselves ('h' = 104, 'i' = 105, '!' = 33)
        QCOMPARE(ints(json(r).value(QStringLiteral("ids"))), (std::vector<std::int64_t>{256, 104, 105, 33}));
        const Run plain = cli({QStringLiteral("tokenize"), m_dir.path(), QStringLiteral("--text"), QStringLiteral("hi"),
                               QStringLiteral("--no-special"), QStringLiteral("--json")});
        QCOMPARE(ints(json(plain).value(QStringLiteral("ids"))), (std::vector<std::int64_t>{104, 105}));
    }

    void generateGreedyMatchesTheEngine()
    {
        const Run r = cli({QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt-ids"), QStringLiteral("256,104,105"),
                           QStringLiteral("--max-new-tokens"), QStringLiteral("6"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        const auto ids = ints(o.value(QStringLiteral("ids")));
        QVERIFY(!ids.empty() && ids.size() <= 6);
        // the same greedy continuation computed here by full recomputation
        auto model = LlamaModel::load(m_dir.path().toStdString(), {at::kFloat, at::kCPU});
        std::vector<std::int64_t> seq = {256, 104, 105}, want;
        for (int i = 0; i < 6; ++i) {
            const auto T = std::int64_t(seq.size());
            const at::Tensor logits = model->forward(at::tensor(seq, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}));
            const std::int64_t next = logits[0][-1].argmax().item<std::int64_t>();
            want.push_back(next);
            seq.push_back(next);
            if (next == 257)
                break;
        }
        QCOMPARE(ids, want);
        QVERIFY(o.contains(QStringLiteral("text")));
        QCOMPARE(o.value(QStringLiteral("hit_eos")).toBool(), ids.back() == 257);
    }

    void generateFromTextUsesTheTemplate()
    {
        const Run r = cli({QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt"), QStringLiteral("hi"),
                           QStringLiteral("--template"), QStringLiteral("none"), QStringLiteral("--max-new-tokens"),
                           QStringLiteral("2"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ints(json(r).value(QStringLiteral("prompt_ids"))), (std::vector<std::int64_t>{256, 104, 105}));
        const Run l2 = cli({QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt"), QStringLiteral("hi"),
                            QStringLiteral("--template"), QStringLiteral("llama-2"), QStringLiteral("--max-new-tokens"),
                            QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(l2.exitCode, 0);
        // "[INST] hi [/INST]" as bytes after BOS
        std::vector<std::int64_t> want{256};
        for (unsigned char c : std::string("[INST] hi [/INST]"))
            want.push_back(c);
        QCOMPARE(ints(json(l2).value(QStringLiteral("prompt_ids"))), want);
        // sampling is reproducible for a seed
        const QStringList sample = {QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt-ids"), QStringLiteral("256,7"),
                                    QStringLiteral("--temperature"), QStringLiteral("1.0"), QStringLiteral("--seed"),
                                    QStringLiteral("3"), QStringLiteral("--max-new-tokens"), QStringLiteral("8"), QStringLiteral("--json")};
        QCOMPARE(ints(json(cli(sample)).value(QStringLiteral("ids"))), ints(json(cli(sample)).value(QStringLiteral("ids"))));
    }

    /** `info` says why a tokenizer cannot load and which chat format applies, instead of a bare "none". */
    void infoNamesTheTokenizerProblem()
    {
        QTemporaryDir d;
        QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("config.json")), d.filePath(QStringLiteral("config.json"))));
        QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("model.safetensors")), d.filePath(QStringLiteral("model.safetensors"))));
        test::writeFile(d.path(), QStringLiteral("tokenizer.json"),
                        R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Split",
                            "pattern": {"String": " "}, "behavior": "Sideways"}})");
        const Run r = cli({QStringLiteral("info"), d.path(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QString tok = json(r).value(QStringLiteral("tokenizer")).toString();
        QVERIFY2(tok.startsWith(QStringLiteral("none: ")) && tok.contains(QStringLiteral("tokenizer.json")) &&
                     tok.contains(QStringLiteral("Sideways")),
                 qPrintable(tok));
        // no template and no model_type: the plain built-in format, said to be a fallback
        QVERIFY2(json(r).value(QStringLiteral("chat_template")).toString().startsWith(QStringLiteral("none (built-in: the folder has no chat template")),
                 qPrintable(r.out));
    }

    /** eval's --template chooses the chat format of the harmful prompts, and the result names it. */
    void evalTemplateChoice()
    {
        QTemporaryDir d;
        const QString goals = test::writeFile(d.path(), QStringLiteral("goals.txt"), "Explain how to pick a lock\n");
        const QStringList base = {QStringLiteral("eval"), m_dir.path(), QStringLiteral("--prompts"), goals,
                                  QStringLiteral("--asr"), QStringLiteral("nosys"), QStringLiteral("--max-new-tokens"),
                                  QStringLiteral("1"), QStringLiteral("--json")};
        const Run chatml = cli(base + QStringList{QStringLiteral("--template"), QStringLiteral("chatml")});
        QCOMPARE(chatml.exitCode, 0);
        QVERIFY2(chatml.out.contains(QStringLiteral("\"chat_format\": \"chatml (built-in)\"")), qPrintable(chatml.out));
        // the folder has no template: "model" is an error, not a silent fallback
        const Run model = cli(base + QStringList{QStringLiteral("--template"), QStringLiteral("model")});
        QCOMPARE(model.exitCode, 1);
        QVERIFY2(model.out.contains(QStringLiteral("no chat template")), qPrintable(model.out));
        QCOMPARE(cli(base + QStringList{QStringLiteral("--template"), QStringLiteral("vicuna")}).exitCode, 2);
    }

    /** One dtype vocabulary: fp32|float32, bf16|bfloat16, fp16|float16 everywhere. */
    void dtypeSpellings()
    {
        for (const char *spelling : {"fp32", "float32"}) {
            const Run r = cli({QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt-ids"), QStringLiteral("256,7"),
                               QStringLiteral("--dtype"), QLatin1String(spelling), QStringLiteral("--max-new-tokens"),
                               QStringLiteral("1"), QStringLiteral("--json")});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(json(r).value(QStringLiteral("dtype")).toString(), QStringLiteral("float32"));
        }
        const Run bad = cli({QStringLiteral("generate"), m_dir.path(), QStringLiteral("--prompt-ids"), QStringLiteral("256"),
                             QStringLiteral("--dtype"), QStringLiteral("fp64")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("fp32|float32")), qPrintable(bad.err));
    }

    /** `prompt` renders the folder's own template and tokenizes it with one BOS; it needs no weights. */
    void promptShowsTextAndIds()
    {
        QTemporaryDir d;
        for (const char *f : {"config.json", "tokenizer.json", "tokenizer_config.json"})
            QVERIFY(QFile::copy(m_dir.filePath(QLatin1String(f)), d.filePath(QLatin1String(f))));
        test::writeFile(d.path(), QStringLiteral("chat_template.jinja"),
                        "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content | trim }}{% endfor %}"
                        "{% if add_generation_prompt %}<assistant>{% endif %}\n");
        const Run r = cli({QStringLiteral("prompt"), d.path(), QStringLiteral("--prompt"), QStringLiteral(" hi "),
                           QStringLiteral("--system"), QStringLiteral("S"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        const std::string text = "<s><system>S<user>hi<assistant>";
        QCOMPARE(o.value(QStringLiteral("text")).toString().toStdString(), text);
        QCOMPARE(o.value(QStringLiteral("template")).toString(), QStringLiteral("model"));
        std::vector<std::int64_t> want{256};  // one BOS: the template's, not a second from the post-processor
        for (unsigned char c : text.substr(3))
            want.push_back(c);
        QCOMPARE(ints(o.value(QStringLiteral("ids"))), want);
        // the plain output names the template and shows the text
        const Run plain = cli({QStringLiteral("prompt"), d.path(), QStringLiteral("--prompt"), QStringLiteral("hi")});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY2(plain.out.contains(QStringLiteral("template: model (chat_template.jinja)")) &&
                     plain.out.contains(QStringLiteral("<s><user>hi<assistant>")), qPrintable(plain.out));
        // a template that refuses the conversation is an error naming its file
        test::writeFile(d.path(), QStringLiteral("chat_template.jinja"),
                        "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}x");
        const Run refused = cli({QStringLiteral("prompt"), d.path(), QStringLiteral("--prompt"), QStringLiteral("hi"),
                                 QStringLiteral("--llama2-system")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("chat_template.jinja")) && refused.err.contains(QStringLiteral("System role not supported")),
                 qPrintable(refused.err));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::addRow("no prompt") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR")} << 2 << "give --prompt or --prompt-ids";
        QTest::addRow("bad ids") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR"), QStringLiteral("--prompt-ids"), QStringLiteral("1,x")}
                                 << 2 << "'x' is not a token id";
        QTest::addRow("id outside vocabulary") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR"), QStringLiteral("--prompt-ids"), QStringLiteral("1,999")}
                                               << 1 << "token id 999 of prompt 0 is outside the vocabulary";
        QTest::addRow("unknown template") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR"), QStringLiteral("--prompt"), QStringLiteral("x"),
                                                         QStringLiteral("--template"), QStringLiteral("vicuna")}
                                          << 2 << "unknown chat template 'vicuna'";
        QTest::addRow("both prompts") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR"), QStringLiteral("--prompt"), QStringLiteral("x"),
                                                     QStringLiteral("--prompt-ids"), QStringLiteral("1")}
                                      << 2 << "excludes";
        QTest::addRow("not a model") << QStringList{QStringLiteral("info"), QStringLiteral("@EMPTY")} << 1 << "config.json: cannot open";
        QTest::addRow("missing folder") << QStringList{QStringLiteral("info"), QStringLiteral("/no/such/dir")} << 2 << "Directory does not exist";
        QTest::addRow("cuda without cuda") << QStringList{QStringLiteral("generate"), QStringLiteral("@DIR"), QStringLiteral("--prompt-ids"), QStringLiteral("1"),
                                                          QStringLiteral("--device"), QStringLiteral("cuda")}
                                           << 1 << "this libtorch has no CUDA device";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir empty;
        for (QString &a : args)
            a.replace(QStringLiteral("@DIR"), m_dir.path()).replace(QStringLiteral("@EMPTY"), empty.path());
        const Run r = cli(args);
        if (qstrcmp(QTest::currentDataTag(), "cuda without cuda") == 0 && at::hasCUDA())
            QSKIP("this libtorch has CUDA");
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
