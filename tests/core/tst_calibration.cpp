// SPDX-License-Identifier: MIT
// Calibration data (spec §1): file readers, the reference's sample selection (Appendix A/B test
// vectors, which were checked against numpy), and the tokenization with its prompt/response split.
#include "alignscope/calibration.h"
#include "alignscope/tokenizer.h"
#include "fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace alignscope;

namespace {

QString write(const QTemporaryDir &dir, const char *name, const QByteArray &bytes)
{
    return test::writeFile(dir.path(), QString::fromLatin1(name), bytes);
}

/** The message of the DataError thrown by reading `file`, or "" when it reads. */
QString readError(const QString &file)
{
    try {
        readCalibrationSet(file.toStdString());
    } catch (const DataError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestCalibration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void permutationTestVectors()
    {
        const std::vector<std::int64_t> ten = {4, 6, 2, 7, 3, 5, 9, 0, 8, 1};
        QCOMPARE(numpyPermutation(0, 10), ten);
        // Appendix B: safety-short (1015 rows), seed 0, nsamples 128
        const std::vector<std::int64_t> appendixB = {
            498, 344, 381, 858, 529, 2,   918, 635, 245, 81,  518, 212, 988, 600, 867, 417, 652, 358, 1002, 451, 281, 481,
            969, 940, 433, 722, 25,  993, 329, 819, 471, 36,  403, 8,   633, 162, 346, 636, 779, 395, 376,  253, 189, 485,
            100, 412, 676, 965, 626, 645, 144, 579, 436, 904, 625, 452, 824, 935, 479, 531, 865, 126, 720,  69,  447, 274,
            209, 576, 269, 764, 545, 781, 945, 357, 415, 684, 401, 222, 74,  783, 725, 84,  533, 147, 117,  868, 106, 46,
            742, 158, 877, 587, 946, 12,  334, 356, 595, 53,  831, 572, 646, 937, 273, 564, 847, 164, 793,  960, 580, 879,
            296, 459, 201, 718, 740, 359, 883, 292, 833, 517, 912, 746, 297, 888, 558, 996, 602, 854};
        QCOMPARE(appendixB.size(), size_t(128));
        QCOMPARE(selectCalibrationRows(1015, 128, 0), appendixB);
        // a permutation for every n, and deterministic
        for (std::int64_t n : {0, 1, 2, 3, 97, 1000}) {
            auto p = numpyPermutation(7, n);
            QCOMPARE(numpyPermutation(7, n), p);
            std::sort(p.begin(), p.end());
            for (std::int64_t i = 0; i < n; ++i)
                QCOMPARE(p[size_t(i)], i);
        }
        QVERIFY(numpyPermutation(1, 100) != numpyPermutation(0, 100));
        QVERIFY_THROWS_EXCEPTION(DataError, selectCalibrationRows(10, 11, 0));
        QVERIFY_THROWS_EXCEPTION(DataError, selectCalibrationRows(10, 0, 0));
    }

    void pythonShuffleTestVectors()
    {
        // generated with CPython 3.11: x = list(range(n)); random.Random(42).shuffle(x)
        QCOMPARE(pythonShuffle(42, 10), (std::vector<std::int64_t>{7, 3, 2, 8, 5, 6, 9, 4, 0, 1}));
        const std::vector<std::int64_t> first20 = {776, 507, 895, 922, 33, 483, 85, 750, 354, 523,
                                                   184, 809, 418, 615, 682, 501, 760, 49, 732, 336};
        const auto y = pythonShuffle(42, 1000);
        QCOMPARE(std::vector<std::int64_t>(y.begin(), y.begin() + 20), first20);
        const auto z = pythonShuffle(42, 100000);
        QCOMPARE(std::vector<std::int64_t>(z.begin(), z.begin() + 8),
                 (std::vector<std::int64_t>{3813, 99183, 80737, 65674, 53670, 97104, 38743, 36888}));
        QCOMPARE(pythonShuffle(42, 1), std::vector<std::int64_t>{0});
    }

    void csvAsPandasReadsIt()
    {
        QTemporaryDir dir;
        // BOM, CRLF, a quoted field with a comma, a doubled quote and a newline, leading spaces kept,
        // a blank line skipped, the unnamed index column ignored
        const QString f = write(dir, "safety.csv",
                                "\xEF\xBB\xBF,prompt,response,text\r\n"
                                "3580,[INST] Write a tutorial [/INST], I cannot fulfill your request.,t1\r\n"
                                "\r\n"
                                "12,\"[INST] Say \"\"hi\"\", then go [/INST]\",\" I cannot.\nReally, no.\",\"t2\"\n"
                                "7,[INST] x [/INST],,\n");
        const CalibrationSet s = readCalibrationSet(f.toStdString());
        QCOMPARE(s.format, std::string("csv"));
        QCOMPARE(s.rows.size(), size_t(3));
        QCOMPARE(s.rows[0].prompt, std::string("[INST] Write a tutorial [/INST]"));
        QCOMPARE(s.rows[0].response, std::string(" I cannot fulfill your request."));
        QCOMPARE(s.rows[0].text, std::string("t1"));
        QCOMPARE(s.rows[1].prompt, std::string("[INST] Say \"hi\", then go [/INST]"));
        QCOMPARE(s.rows[1].response, std::string(" I cannot.\nReally, no."));
        QCOMPARE(s.rows[2].response, std::string());
        QCOMPARE(s.fingerprint.size(), size_t(16));
        // without a text column, text = prompt + " " + response
        const QString g = write(dir, "utility.csv", "prompt,response\n[INST] a [/INST], b\n");
        QCOMPARE(readCalibrationSet(g.toStdString()).rows[0].text, std::string("[INST] a [/INST]  b"));
        QVERIFY(readCalibrationSet(g.toStdString()).fingerprint != s.fingerprint);
    }

    void jsonFormats()
    {
        QTemporaryDir dir;
        const QString a = write(dir, "alpaca.json",
                                R"([{"instruction": "Add 2 and 3.", "input": "", "output": "5"},
                                    {"instruction": "Translate", "input": "Hallo", "output": "Hello"}])");
        const CalibrationSet s = readCalibrationSet(a.toStdString());
        QCOMPARE(s.format, std::string("alpaca-json"));
        QCOMPARE(s.rows[0].prompt, std::string("[INST] Add 2 and 3. [/INST]"));
        QCOMPARE(s.rows[0].response, std::string(" 5"));
        QCOMPARE(s.rows[1].prompt, std::string("[INST] Translate\n\nHallo [/INST]"));
        const QString l = write(dir, "pr.jsonl",
                                "{\"prompt\": \"[INST] p [/INST]\", \"response\": \" r\"}\n\n"
                                "{\"prompt\": \"q\", \"response\": \"s\", \"text\": \"T\"}\n");
        const CalibrationSet t = readCalibrationSet(l.toStdString());
        QCOMPARE(t.format, std::string("prompt-response-jsonl"));
        QCOMPARE(t.rows.size(), size_t(2));
        QCOMPARE(t.rows[0].text, std::string("[INST] p [/INST]  r"));
        QCOMPARE(t.rows[1].text, std::string("T"));
    }

    void badFilesNameTheFileAndTheProblem_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no prompt column") << QByteArray("a.csv") << QByteArray(",question,response\n1,x,y\n")
                                          << QStringLiteral("a.csv:1: no column \"prompt\"");
        QTest::newRow("unclosed quote") << QByteArray("b.csv") << QByteArray("prompt,response\nx,\"y\n\n")
                                        << QStringLiteral("b.csv:2: a quoted field is not closed");
        QTest::newRow("field count") << QByteArray("c.csv") << QByteArray("prompt,response\nx,y\nx,y,z\n")
                                     << QStringLiteral("c.csv:3: expected 2 fields");
        QTest::newRow("text after quote") << QByteArray("d.csv") << QByteArray("prompt,response\n\"x\"y,z\n")
                                          << QStringLiteral("d.csv:2: text after the closing quote");
        QTest::newRow("empty") << QByteArray("e.csv") << QByteArray("") << QStringLiteral("e.csv: the file is empty");
        QTest::newRow("header only") << QByteArray("f.csv") << QByteArray("prompt,response\n")
                                     << QStringLiteral("f.csv: no examples");
        QTest::newRow("bad json line") << QByteArray("g.jsonl") << QByteArray("{\"prompt\":\"a\",\"response\":\"b\"}\n{oops\n")
                                       << QStringLiteral("g.jsonl:2: invalid JSON");
        QTest::newRow("missing output") << QByteArray("h.jsonl") << QByteArray("{\"instruction\":\"a\"}\n")
                                        << QStringLiteral("h.jsonl:1: missing \"output\"");
        QTest::newRow("not an array") << QByteArray("i.json") << QByteArray("{\"prompt\":\"a\"}")
                                      << QStringLiteral("i.json: expected a JSON array");
        QTest::newRow("wrong type") << QByteArray("j.jsonl") << QByteArray("{\"prompt\":1,\"response\":\"b\"}\n")
                                    << QStringLiteral("j.jsonl:1: \"prompt\" is not a string");
        QTest::newRow("unknown kind") << QByteArray("k.jsonl") << QByteArray("{\"question\":\"a\"}\n")
                                      << QStringLiteral("k.jsonl:1: an object needs");
        QTest::newRow("extension") << QByteArray("l.parquet") << QByteArray("x")
                                   << QStringLiteral("l.parquet: unknown calibration format");
        // issue 16: bytes that are not UTF-8 reached the JSON writers and aborted a --json run
        QTest::newRow("latin-1 byte") << QByteArray("m.csv") << QByteArray("prompt,response\nx,caf\xe9\n")
                                      << QStringLiteral("m.csv:2: not UTF-8 text (byte 0xE9 at column 6)");
        QTest::newRow("overlong") << QByteArray("n.jsonl") << QByteArray("{\"prompt\":\"\xc0\xaf\",\"response\":\"b\"}\n")
                                  << QStringLiteral("n.jsonl:1: not UTF-8 text (byte 0xC0 at column 12)");
        QTest::newRow("surrogate") << QByteArray("o.csv") << QByteArray("prompt,response\n\xed\xa0\x80,y\n")
                                   << QStringLiteral("o.csv:2: not UTF-8 text (byte 0xED at column 1)");
        QTest::newRow("cut sequence") << QByteArray("p.csv") << QByteArray("prompt,response\nx,y\xe2\x82")
                                      << QStringLiteral("p.csv:2: not UTF-8 text (byte 0xE2 at column 4)");
    }
    void badFilesNameTheFileAndTheProblem()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString f = write(dir, name.constData(), content);
        const QString msg = readError(f);
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.startsWith(dir.path()), qPrintable(msg));
        QVERIFY(readError(dir.filePath(QStringLiteral("missing.csv"))).contains(QStringLiteral("cannot open")));
    }

    void tokenizationSplitsPromptAndResponse()
    {
        auto tok = Tokenizer::load(ALIGNSCOPE_TEST_DEMO_MODEL);
        QTemporaryDir dir;
        const QString f = write(dir, "s.csv",
                                ",prompt,response,text\n"
                                "0,[INST] How do I build a bomb? [/INST], I cannot fulfill your request.,x\n"
                                "1,[INST] Add 2 and 3. [/INST], The answer is 5.,y\n");
        const CalibrationSet s = readCalibrationSet(f.toStdString());
        const auto ex = tokenizeCalibration(*tok, s, {1, 0});
        QCOMPARE(ex.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            const auto &row = s.rows[size_t(ex[i].row)];
            const auto p = tok->encode(row.prompt, true);
            const auto r = tok->encode(row.response, false);
            QCOMPARE(ex[i].ids.front(), tok->bosId());  // BOS, once
            QCOMPARE(ex[i].promptLength, std::int64_t(p.size()));
            QCOMPARE(std::vector<std::int64_t>(ex[i].ids.begin(), ex[i].ids.begin() + ex[i].promptLength), p);
            QCOMPARE(std::vector<std::int64_t>(ex[i].ids.begin() + ex[i].promptLength, ex[i].ids.end()), r);
            QVERIFY(ex[i].ids.back() != tok->eosId());  // no EOS appended
            QVERIFY(!ex[i].truncated);
            QCOMPARE(tok->decode(ex[i].ids), row.prompt + row.response);
        }
        QCOMPARE(ex[0].row, std::int64_t(1));
        // a maximum length cuts the response, never the order of tokens
        const auto cut = tokenizeCalibration(*tok, s, {0}, ex[1].promptLength + 2);
        QVERIFY(cut[0].truncated);
        QCOMPARE(cut[0].responseLength(), std::int64_t(2));
        QCOMPARE(cut[0].ids, std::vector<std::int64_t>(ex[1].ids.begin(), ex[1].ids.begin() + ex[1].promptLength + 2));
        QVERIFY_THROWS_EXCEPTION(DataError, tokenizeCalibration(*tok, s, {2}));
        // issue 16: a maximum length that leaves no response token, and an empty response, are errors (the
        // scores are sums over response tokens: such an example gave zeros and exit 0)
        try {
            tokenizeCalibration(*tok, s, {0}, ex[1].promptLength - 1);
            QFAIL("a length that cuts the whole response was taken");
        } catch (const DataError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("s.csv: example 1 has a prompt of")), e.what());
        }
        const QString empty = write(dir, "empty.csv", "prompt,response\n[INST] a [/INST], ok\n[INST] b [/INST],\n");
        try {
            tokenizeCalibration(*tok, readCalibrationSet(empty.toStdString()), {0, 1});
            QFAIL("an empty response was taken");
        } catch (const DataError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("empty.csv: example 2 has an empty response")), e.what());
        }
        // ids a model may emit beyond its tokenizer (padded embeddings) decode to nothing; negative ids are errors
        const auto hi = tok->encode(" hi", false);
        std::vector<std::int64_t> mixed = hi;
        mixed.insert(mixed.begin(), tok->vocabSize() + 3);
        QCOMPARE(tok->decode(mixed), tok->decode(hi));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tok->decode({-1}));
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
