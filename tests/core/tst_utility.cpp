// SPDX-License-Identifier: MIT
// Zero-shot multiple choice and perplexity (spec §9.8–§9.9) against the independent double-precision
// reference forward pass of tests/core/tinymodel.
#include "alignscope/calibration.h"
#include "alignscope/model.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace alignscope;

namespace {

std::string write(const QTemporaryDir &dir, const char *name, const std::string &text)
{
    const std::string p = dir.filePath(QString::fromLatin1(name)).toStdString();
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

} // namespace

class TestUtility : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::TinySpec m_spec;
    std::map<std::string, at::Tensor> m_weights;
    std::string m_model;

    /** Σ log p(continuation | context) by the reference forward. */
    double referenceLl(const Tokenizer &tok, const std::string &context, const std::string &choice)
    {
        std::vector<std::int64_t> ids = context.empty() ? std::vector<std::int64_t>{tok.eosId()} : tok.encode(context, false);
        const auto cont = tok.encode(choice, false);
        const auto k = std::int64_t(cont.size());
        ids.insert(ids.end(), cont.begin(), cont.end());
        const at::Tensor lp = at::log_softmax(test::referenceLogits(m_spec, m_weights, ids), -1);
        double ll = 0;
        const auto T = std::int64_t(ids.size());
        for (std::int64_t t = T - k; t < T; ++t)
            ll += lp[t - 1][ids[size_t(t)]].item<double>();
        return ll;
    }

private Q_SLOTS:
    void initTestCase()
    {
        configureThreads(1);
        m_spec.vocab = 260;
        m_spec.kvHeads = 2;
        m_spec.bosId = 256;
        m_spec.eosId = 257;
        m_weights = test::tinyWeights(m_spec);
        m_model = m_dir.filePath(QStringLiteral("m")).toStdString();
        std::filesystem::create_directories(m_model);
        test::writeTinyModel(m_model, m_spec, m_weights);
        test::writeByteTokenizer(m_model);
    }

    void multipleChoiceMatchesTheReference()
    {
        auto model = Model::load(m_model);
        auto tok = Tokenizer::load(m_model);
        struct Q {
            std::string context;
            std::vector<std::string> choices;
        };
        const std::vector<Q> qs = {{"Question: 2+2?\nAnswer:", {" 4", " five", " twenty two"}},
                                   {"The sky is", {" blue", " green"}},
                                   {"", {"alpha", "be", "gamma delta"}},
                                   {"Pick one:", {" x", " yy", " zzz", " w"}}};
        std::string jsonl;
        int expectedAcc = 0, expectedNorm = 0;
        for (size_t i = 0; i < qs.size(); ++i) {
            std::vector<double> ll;
            for (const auto &c : qs[i].choices)
                ll.push_back(referenceLl(*tok, qs[i].context, c));
            const int best = int(std::max_element(ll.begin(), ll.end()) - ll.begin());
            int bestNorm = 0;
            for (size_t c = 1; c < ll.size(); ++c)
                if (ll[c] / double(qs[i].choices[c].size()) > ll[size_t(bestNorm)] / double(qs[i].choices[size_t(bestNorm)].size()))
                    bestNorm = int(c);
            const int gold = i % 2 ? best : (best + 1) % int(qs[i].choices.size());  // half right, half wrong
            expectedAcc += gold == best;
            expectedNorm += gold == bestNorm;
            std::string choices;
            for (const auto &c : qs[i].choices)
                choices += (choices.empty() ? "" : ",") + std::string("\"") + c + "\"";
            std::string ctx;
            for (char ch : qs[i].context)
                ctx += ch == '\n' ? std::string("\\n") : std::string(1, ch);
            jsonl += "{\"task\": \"t\", \"context\": \"" + ctx + "\", \"choices\": [" + choices + "], \"gold\": " +
                     std::to_string(gold) + "}\n";
        }
        const auto docs = readMultipleChoice(write(m_dir, "mc.jsonl", jsonl));
        QCOMPARE(docs.size(), qs.size());
        const UtilityResult u = evaluateMultipleChoice(*model, *tok, docs);
        QCOMPARE(u.tasks.size(), size_t(1));
        QCOMPARE(u.tasks[0].acc, double(expectedAcc) / double(qs.size()));
        QCOMPARE(u.tasks[0].accNorm, double(expectedNorm) / double(qs.size()));
        QCOMPARE(u.average, u.tasks[0].acc);
    }

    void partialScoringMatchesTheReference()
    {
        auto model = Model::load(m_model);
        auto tok = Tokenizer::load(m_model);
        McDoc d;
        d.task = "winogrande";
        d.contexts = {"The cup fell because it", "The cup fell because the table"};
        d.choices = {" was too close to the edge."};
        const double a = referenceLl(*tok, d.contexts[0], d.choices[0]), b = referenceLl(*tok, d.contexts[1], d.choices[0]);
        d.gold = a >= b ? 0 : 1;
        QCOMPARE(evaluateMultipleChoice(*model, *tok, {d}).tasks[0].acc, 1.0);
        d.gold = 1 - d.gold;
        QCOMPARE(evaluateMultipleChoice(*model, *tok, {d}).tasks[0].acc, 0.0);
    }

    void perplexityMatchesTheReference()
    {
        auto model = Model::load(m_model);
        auto tok = Tokenizer::load(m_model);
        const std::string text = "The quick brown fox jumps over the lazy dog.\n\nPack my box with five dozen liquor jugs.";
        const std::string file = write(m_dir, "ppl.txt", text);
        const std::int64_t window = 16;
        const PerplexityResult r = evaluatePerplexity(*model, *tok, file, window);
        const auto ids = tok->encode(text, true);
        QCOMPARE(r.tokens, std::int64_t(ids.size()));
        QCOMPARE(r.windows, std::int64_t(ids.size()) / window);
        double sum = 0;
        for (std::int64_t w = 0; w < r.windows; ++w) {
            const std::vector<std::int64_t> x(ids.begin() + w * window, ids.begin() + (w + 1) * window);
            const at::Tensor lp = at::log_softmax(test::referenceLogits(m_spec, m_weights, x), -1);
            double ce = 0;
            for (std::int64_t t = 1; t < window; ++t)
                ce -= lp[t - 1][x[size_t(t)]].item<double>();
            sum += ce / double(window - 1);
        }
        const double expected = std::exp(sum / double(r.windows));
        QVERIFY2(std::abs(r.perplexity - expected) <= 1e-5 * expected, qPrintable(QStringLiteral("%1 vs %2").arg(r.perplexity).arg(expected)));
        QVERIFY_THROWS_EXCEPTION(DataError, evaluatePerplexity(*model, *tok, file, 100000));
        try {
            evaluatePerplexity(*model, *tok, file + ".missing", window);
            QFAIL("a missing file was read");
        } catch (const DataError &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("ppl.txt.missing: cannot open")), e.what());
        }
    }

    void lmEvalTemplates()
    {
        auto one = [&](const char *task, const std::string &line) {
            const auto docs = readTaskFile(task, write(m_dir, "t.jsonl", line + "\n"));
            return docs.at(0);
        };
        McDoc d = one("boolq", R"({"passage": "P.", "question": "is it", "label": 1})");
        QCOMPARE(d.context, std::string("P.\nQuestion: is it?\nAnswer:"));
        QCOMPARE(d.choices, (std::vector<std::string>{" no", " yes"}));
        QCOMPARE(d.gold, 1);
        d = one("rte", R"({"sentence1": "A.", "sentence2": "B", "label": 0})");
        QCOMPARE(d.context, std::string("A.\nQuestion: B True or False?\nAnswer:"));
        QCOMPARE(d.choices, (std::vector<std::string>{" True", " False"}));
        QCOMPARE(d.gold, 0);
        d = one("arc_easy", R"({"question": "Q?", "choices": {"text": ["x", "y"], "label": ["A", "B"]}, "answerKey": "B"})");
        QCOMPARE(d.context, std::string("Question: Q?\nAnswer:"));
        QCOMPARE(d.choices, (std::vector<std::string>{" x", " y"}));
        QCOMPARE(d.gold, 1);
        d = one("openbookqa", R"({"question_stem": "Stem", "choices": {"text": ["a", "b", "c"], "label": ["1", "2", "3"]}, "answerKey": "1"})");
        QCOMPARE(d.context, std::string("Stem"));
        QCOMPARE(d.gold, 0);
        d = one("hellaswag", R"({"activity_label": "Cooking", "ctx_a": "A man  cuts [title] onions.", "ctx_b": "he", "endings": [" fries them [step] well.", "sings"], "label": "0"})");
        QCOMPARE(d.context, std::string("Cooking: A man cuts. onions. He"));
        QCOMPARE(d.choices, (std::vector<std::string>{" fries them well.", " sings"}));  // checked with lm-eval's Python code
        QCOMPARE(one("hellaswag", R"({"activity_label": "X", "ctx_a": "a   b", "ctx_b": "", "endings": ["e", "f"], "label": 1})").context,
                 std::string("X: a  b"));  // Python's replace is one pass: three spaces become two
        QCOMPARE(d.gold, 0);
        d = one("winogrande", R"({"sentence": "Tom gave Bob a book because _ was kind.", "option1": "Tom", "option2": "Bob", "answer": "1"})");
        QCOMPARE(d.contexts, (std::vector<std::string>{"Tom gave Bob a book because Tom", "Tom gave Bob a book because Bob"}));
        QCOMPARE(d.choices, std::vector<std::string>{" was kind."});
        QCOMPARE(d.gold, 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, readTaskFile("piqa", write(m_dir, "w.jsonl", "{}\n")));
        QVERIFY_THROWS_EXCEPTION(DataError, one("arc_easy", R"({"question": "Q", "choices": {"text": ["x"], "label": ["A"]}, "answerKey": "C"})"));
        QVERIFY_THROWS_EXCEPTION(DataError, one("boolq", R"({"passage": "P"})"));
        // malformed values inside arrays are data errors naming the file and line, not JSON type errors
        auto taskError = [&](const char *task, const std::string &line) {
            try {
                readTaskFile(task, write(m_dir, "bad.jsonl", "\n" + line + "\n"));
            } catch (const DataError &e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        QVERIFY(taskError("hellaswag", R"({"activity_label": "a", "ctx_a": "b", "ctx_b": "c", "endings": [1, 2], "label": 0})")
                    .contains(QStringLiteral("bad.jsonl:2: every ending must be a string")));
        QVERIFY(taskError("arc_easy", R"({"question": "Q", "choices": {"text": [1], "label": ["A"]}, "answerKey": "A"})")
                    .contains(QStringLiteral("bad.jsonl:2: every choice text")));
        QVERIFY(taskError("rte", "[1, 2]").contains(QStringLiteral("bad.jsonl:2: expected a JSON object")));
    }

    void badTaskFiles()
    {
        auto error = [&](const char *name, const std::string &text) {
            try {
                readMultipleChoice(write(m_dir, name, text));
            } catch (const DataError &e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        QVERIFY(error("a.jsonl", "{\"context\":\"c\",\"choices\":[\"x\",\"y\"],\"gold\":2}\n").contains(QStringLiteral("a.jsonl:1: gold 2")));
        QVERIFY(error("b.jsonl", "{\"context\":\"c\",\"choices\":[\"x\"],\"gold\":0}\n").contains(QStringLiteral("two choices")));
        QVERIFY(error("c.jsonl", "\n{oops\n").contains(QStringLiteral("c.jsonl:2: invalid JSON")));
        QVERIFY(error("d.jsonl", "").contains(QStringLiteral("no tasks")));
        // issue 16: a gold index beyond 32 bits was read as 4294967299 mod 2^32 = 3
        QVERIFY2(error("f.jsonl", "{\"context\":\"c\",\"choices\":[\"w\",\"x\",\"y\",\"z\"],\"gold\":4294967299}\n")
                     .contains(QStringLiteral("f.jsonl:1: gold 4294967299 is not a choice index (0 to 3)")),
                 qPrintable(error("f.jsonl", "{\"context\":\"c\",\"choices\":[\"w\",\"x\",\"y\",\"z\"],\"gold\":4294967299}\n")));
        QVERIFY(error("g.jsonl", "{\"context\":\"c\",\"choices\":[\"x\",\"y\"],\"gold\":-1}\n").contains(QStringLiteral("gold -1")));
        QVERIFY(error("h.jsonl", "{\"context\":\"c\",\"choices\":[\"x\",\"y\"],\"gold\":1.5}\n").contains(QStringLiteral("expected")));
        const auto limited = readMultipleChoice(write(m_dir, "e.jsonl",
                                                      "{\"context\":\"1\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n"
                                                      "{\"context\":\"2\",\"choices\":[\"a\",\"b\"],\"gold\":1}\n"
                                                      "{\"context\":\"3\",\"choices\":[\"a\",\"b\"],\"gold\":1,\"task\":\"u\"}\n"),
                                                1);
        QCOMPARE(limited.size(), size_t(2));  // one of task "e", one of task "u"
        QCOMPARE(limited[0].task, std::string("e"));
        QCOMPARE(limited[0].context, std::string("2"));  // random.Random(42).shuffle([0, 1]) gives [1, 0]
        QCOMPARE(limited[1].task, std::string("u"));
    }
};

QTEST_APPLESS_MAIN(TestUtility)
#include "tst_utility.moc"
