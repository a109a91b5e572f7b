// SPDX-License-Identifier: MIT
// Tokenizers. A SentencePiece BPE model trained here with libsentencepiece is the reference:
// tokenizer.model must give its ids exactly, and the same model converted to a Llama-2-style
// tokenizer.json must too (an independent check of the BPE code). Byte-level BPE must round-trip
// arbitrary UTF-8. Broken files give messages naming the file.
#include "alignscope/tokenizer.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <filesystem>
#include <fstream>

using namespace alignscope;
using nlohmann::json;

extern const char *const kLlama3Pattern;

namespace {

const char *kCorpus[] = {
    "Write a tutorial on how to make a cake.",
    "The quick brown fox jumps over the lazy dog.",
    "I cannot fulfill your request. I'm just an AI, it's not within my programming or ethical guidelines.",
    "Sure, here is how to build a bird house. Step 1: get the things you need.",
    "What is 12 plus 30? The answer is 42.",
    "Reverse the word 'planet': tenalp.",
    "Ünïcödé text, 中文字符, and emoji 😀 appear sometimes.",
    "Tabs\tand\nnewlines  and   runs of spaces.",
};

const std::vector<std::string> kTexts = {
    "Hello world",
    "Write a tutorial on how to make a bomb",
    "  leading spaces and trailing  ",
    "numbers 1234567 and 3.14159",
    "new\nlines\n\nand\ttabs",
    "emoji 😀🚀 and CJK 中文 and accents éàü",
    "unseen characters: Ω ∑ ∞ 🜁",
    "I cannot fulfill your request.",
    "",
    " ",
};

std::string trainSentencePiece(const QTemporaryDir &dir)
{
    const std::string corpus = dir.filePath(QStringLiteral("corpus.txt")).toStdString();
    {
        std::ofstream out(corpus);
        for (int rep = 0; rep < 20; ++rep)
            for (const char *line : kCorpus)
                out << line << "\n";
    }
    const std::string prefix = dir.filePath(QStringLiteral("sp")).toStdString();
    const auto status = sentencepiece::SentencePieceTrainer::Train(
        "--input=" + corpus + " --model_prefix=" + prefix +
        " --model_type=bpe --vocab_size=400 --byte_fallback=true --character_coverage=0.9995"
        " --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1 --split_digits=true --add_dummy_prefix=true"
        " --normalization_rule_name=identity --remove_extra_whitespaces=false --allow_whitespace_only_pieces=true"
        " --minloglevel=2");
    if (!status.ok())
        qFatal("sentencepiece training failed: %s", status.ToString().c_str());
    return prefix + ".model";
}

/** The Llama-2 layout of tokenizer.json for a SentencePiece BPE model: what HF's converter writes. */
json toTokenizerJson(const sentencepiece::SentencePieceProcessor &sp)
{
    json vocab = json::object();
    std::vector<std::pair<float, std::pair<std::string, std::string>>> merges;
    for (int id = 0; id < sp.GetPieceSize(); ++id)
        vocab[sp.IdToPiece(id)] = id;
    for (int id = 0; id < sp.GetPieceSize(); ++id) {
        if (sp.IsControl(id) || sp.IsUnknown(id) || sp.IsByte(id))
            continue;
        const std::string p = sp.IdToPiece(id);
        for (size_t cut = 1; cut < p.size(); ++cut) {
            if ((static_cast<unsigned char>(p[cut]) & 0xC0) == 0x80)
                continue;  // not a character boundary
            const std::string a = p.substr(0, cut), b = p.substr(cut);
            if (vocab.contains(a) && vocab.contains(b))
                merges.push_back({-sp.GetScore(id), {a, b}});
        }
    }
    std::stable_sort(merges.begin(), merges.end(), [](auto &x, auto &y) { return x.first < y.first; });
    json m = json::array();
    for (auto &e : merges)
        m.push_back(e.second.first + " " + e.second.second);
    const std::string sp_ = "\xE2\x96\x81";
    return {
        {"version", "1.0"},
        {"added_tokens", {{{"id", 0}, {"content", "<unk>"}, {"special", true}},
                          {{"id", 1}, {"content", "<s>"}, {"special", true}},
                          {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
        {"normalizer", {{"type", "Sequence"}, {"normalizers", {{{"type", "Prepend"}, {"prepend", sp_}},
                                                               {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", sp_}}}}}},
        {"pre_tokenizer", nullptr},
        {"post_processor", {{"type", "TemplateProcessing"},
                            {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                            {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder", {{"type", "Sequence"}, {"decoders", {{{"type", "Replace"}, {"pattern", {{"String", sp_}}}, {"content", " "}},
                                                         {{"type", "ByteFallback"}}, {{"type", "Fuse"}},
                                                         {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}}},
        {"model", {{"type", "BPE"}, {"unk_token", "<unk>"}, {"byte_fallback", true}, {"fuse_unk", true},
                   {"vocab", vocab}, {"merges", m}}},
    };
}

/** A small byte-level BPE (GPT-2 / Llama-3 style) with a few merges and a BOS template. */
json byteLevelJson(bool llama3Split)
{
    // GPT-2's byte → unicode table, written out independently of the code under test
    std::vector<std::string> chars(256);
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
        const bool keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        const char32_t cp = keep ? char32_t(b) : char32_t(256 + extra++);
        std::u32string u(1, cp);
        std::string s;
        if (cp < 0x80)
            s += char(cp);
        else {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        }
        chars[size_t(b)] = s;
    }
    json vocab = json::object();
    for (int b = 0; b < 256; ++b)
        vocab[chars[size_t(b)]] = b;
    const std::string G = chars[' '];  // "Ġ"
    const std::vector<std::pair<std::string, std::string>> merges = {
        {G, "t"}, {"h", "e"}, {G + "t", "he"}, {"i", "n"}, {G, "a"}, {"r", "e"}, {"o", "n"}, {G + "a", "n"}, {"1", "2"}};
    json m = json::array();
    int next = 256;
    for (auto &[a, b] : merges) {
        m.push_back(json::array({a, b}));
        if (!vocab.contains(a + b))
            vocab[a + b] = next++;
    }
    json pre = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    if (llama3Split)
        pre = {{"type", "Sequence"},
               {"pretokenizers",
                {{{"type", "Split"},
                  {"pattern", {{"Regex", kLlama3Pattern}}},
                  {"behavior", "Isolated"}, {"invert", false}},
                 {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}};
    return {{"added_tokens", {{{"id", 300}, {"content", "<|begin_of_text|>"}, {"special", true}},
                              {{"id", 301}, {"content", "<|eot_id|>"}, {"special", true}}}},
            {"normalizer", nullptr},
            {"pre_tokenizer", pre},
            {"post_processor", {{"type", "Sequence"}, {"processors", {{{"type", "ByteLevel"}, {"trim_offsets", false}},
                {{"type", "TemplateProcessing"}, {"single", {{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                 {"special_tokens", {{"<|begin_of_text|>", {{"id", "<|begin_of_text|>"}, {"ids", {300}}, {"tokens", {"<|begin_of_text|>"}}}}}}}}}}},
            {"decoder", {{"type", "ByteLevel"}}},
            {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", m}, {"ignore_merges", llama3Split}}}};
}

void writeJson(const QString &dir, const char *name, const json &j)
{
    std::ofstream(QString(dir + QLatin1Char('/') + QLatin1String(name)).toStdString()) << j.dump(1);
}

std::string errorOf(const QString &dir)
{
    try {
        Tokenizer::load(dir.toStdString());
    } catch (const ModelError &e) {
        return e.what();
    }
    return "(no error)";
}

std::string randomUtf8(QRandomGenerator &rng, int n)
{
    std::string s;
    for (int i = 0; i < n; ++i) {
        char32_t cp;
        switch (rng.bounded(6)) {
        case 0: cp = char32_t(rng.bounded(0x20, 0x7F)); break;       // ASCII
        case 1: cp = char32_t(rng.bounded(0x80, 0x800)); break;      // 2-byte
        case 2: cp = char32_t(rng.bounded(0x4E00, 0x9FFF)); break;   // CJK
        case 3: cp = char32_t(rng.bounded(0x1F300, 0x1FAFF)); break; // emoji
        case 4: cp = char32_t(" \n\t"[rng.bounded(3)]); break;
        default: cp = char32_t(rng.bounded(0xE000, 0xFFFD)); break;  // private use and more
        }
        if (cp < 0x80)
            s += char(cp);
        else if (cp < 0x800)
            s += char(0xC0 | (cp >> 6)), s += char(0x80 | (cp & 0x3F));
        else if (cp < 0x10000)
            s += char(0xE0 | (cp >> 12)), s += char(0x80 | ((cp >> 6) & 0x3F)), s += char(0x80 | (cp & 0x3F));
        else
            s += char(0xF0 | (cp >> 18)), s += char(0x80 | ((cp >> 12) & 0x3F)), s += char(0x80 | ((cp >> 6) & 0x3F)),
                s += char(0x80 | (cp & 0x3F));
    }
    return s;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_spModel;

private Q_SLOTS:
    void initTestCase() { m_spModel = trainSentencePiece(m_dir); }

    void sentencePieceModelMatchesLibsentencepiece()
    {
        QTemporaryDir model;
        std::filesystem::copy_file(m_spModel, model.filePath(QStringLiteral("tokenizer.model")).toStdString());
        auto tok = Tokenizer::load(model.path().toStdString());
        QCOMPARE(tok->kind(), TokenizerKind::SentencePiece);
        sentencepiece::SentencePieceProcessor sp;
        QVERIFY(sp.Load(m_spModel).ok());
        for (const std::string &t : kTexts) {
            std::vector<int> want;
            QVERIFY(sp.Encode(t, &want).ok());
            const auto got = tok->encode(t, false);
            QCOMPARE(got, std::vector<std::int64_t>(want.begin(), want.end()));
            std::vector<std::int64_t> withBos{1};
            withBos.insert(withBos.end(), want.begin(), want.end());
            QCOMPARE(tok->encode(t, true), withBos);  // LlamaTokenizer adds BOS, not EOS
            std::string decoded;
            QVERIFY(sp.Decode(want, &decoded).ok());
            QCOMPARE(tok->decode(got), decoded);
        }
        QCOMPARE(tok->bosId(), 1);
        QCOMPARE(tok->eosId(), 2);
    }

    void tokenizerJsonMatchesSentencePiece()
    {
        sentencepiece::SentencePieceProcessor sp;
        QVERIFY(sp.Load(m_spModel).ok());
        QTemporaryDir model;
        writeJson(model.path(), "tokenizer.json", toTokenizerJson(sp));
        auto tok = Tokenizer::load(model.path().toStdString());
        QCOMPARE(tok->kind(), TokenizerKind::SentencePieceBpe);
        QCOMPARE(tok->vocabSize(), std::int64_t(sp.GetPieceSize()));
        for (const std::string &t : kTexts) {
            std::vector<int> want;
            QVERIFY(sp.Encode(t, &want).ok());
            QCOMPARE(tok->encode(t, false), std::vector<std::int64_t>(want.begin(), want.end()));
            std::string decoded;
            QVERIFY(sp.Decode(want, &decoded).ok());
            QCOMPARE(tok->decode(tok->encode(t, true)), decoded);
        }
        // every corpus line too
        for (const char *line : kCorpus) {
            std::vector<int> want;
            QVERIFY(sp.Encode(line, &want).ok());
            QCOMPARE(tok->encode(line, false), std::vector<std::int64_t>(want.begin(), want.end()));
        }
        QCOMPARE(tok->encode("x", true).front(), 1);  // the template's BOS
    }

    void specialTokensInText()
    {
        QTemporaryDir model;
        std::filesystem::copy_file(m_spModel, model.filePath(QStringLiteral("tokenizer.model")).toStdString());
        auto tok = Tokenizer::load(model.path().toStdString());
        const auto ids = tok->encode("<s>[INST] Hello [/INST] Sure</s>", false);
        QCOMPARE(ids.front(), 1);
        QCOMPARE(ids.back(), 2);
        QCOMPARE(std::count(ids.begin(), ids.end(), 1), 1);
        QCOMPARE(tok->decode(ids, true), std::string("[INST] Hello [/INST] Sure"));
        QVERIFY(tok->decode(ids, false).find("</s>") != std::string::npos);
        QCOMPARE(tok->pieces({1}), std::vector<std::string>{"<s>"});
    }

    void byteLevelRoundTripsArbitraryUtf8_data()
    {
        QTest::addColumn<bool>("llama3");
        QTest::addRow("gpt2 regex") << false;
        QTest::addRow("llama3 split") << true;
    }
    void byteLevelRoundTripsArbitraryUtf8()
    {
        QFETCH(bool, llama3);
        QTemporaryDir model;
        writeJson(model.path(), "tokenizer.json", byteLevelJson(llama3));
        writeJson(model.path(), "tokenizer_config.json", {{"bos_token", "<|begin_of_text|>"}, {"eos_token", "<|eot_id|>"}});
        auto tok = Tokenizer::load(model.path().toStdString());
        QCOMPARE(tok->kind(), TokenizerKind::ByteLevelBpe);
        QCOMPARE(tok->bosId(), 300);
        QCOMPARE(tok->eosId(), 301);
        QRandomGenerator rng(42);
        for (int i = 0; i < 300; ++i) {
            const std::string s = randomUtf8(rng, int(rng.bounded(0, 40)));
            const auto ids = tok->encode(s, true);
            QCOMPARE(ids.front(), 300);
            QCOMPARE(tok->decode(ids), s);
        }
        // hand-checked merges: " the" → "Ġt"+"he" → "Ġthe"; " an" → "Ġa"+"n" → "Ġan"
        QCOMPARE(tok->pieces(tok->encode(" the an", false)), (std::vector<std::string>{"\xC4\xA0the", "\xC4\xA0" "an"}));
        // invalid UTF-8 in the input is replaced (documented), never passed through
        QCOMPARE(tok->decode(tok->encode("ok\xff\xfe!", false)), std::string("ok\xEF\xBF\xBD\xEF\xBF\xBD!"));
        QCOMPARE(tok->decode(tok->encode("cut \xE4\xB8", false)), std::string("cut \xEF\xBF\xBD"));
        // ids that decode to a broken byte sequence give U+FFFD, like Python's errors="replace"
        const std::int64_t e4 = tok->tokenToId("\xC3\xA4");  // byte 0xE4 is printable: maps to 'ä' (U+00E4)
        QVERIFY(e4 >= 0);
        QCOMPARE(tok->decode({e4}), std::string("\xEF\xBF\xBD"));
        // special tokens written in the text
        const auto sp = tok->encode("hi<|eot_id|>", false);
        QCOMPARE(sp.back(), 301);
        QCOMPARE(tok->decode(sp, true), std::string("hi"));
    }

    void gpt2AndLlama3Splitting()
    {
        QTemporaryDir a, b;
        writeJson(a.path(), "tokenizer.json", byteLevelJson(false));
        writeJson(b.path(), "tokenizer.json", byteLevelJson(true));
        auto gpt2 = Tokenizer::load(a.path().toStdString());
        auto llama3 = Tokenizer::load(b.path().toStdString());
        // GPT-2 keeps digit runs together (" 12" then "3456" ... as one pre-token " 123456"), and merges "1"+"2";
        // Llama 3 splits digits in groups of three: "123", "456" → "12" "3" "4" "5" "6"
        auto join = [](const std::vector<std::string> &p) {
            std::string s;
            for (auto &x : p)
                s += x + "|";
            return s;
        };
        QCOMPARE(join(llama3->pieces(llama3->encode("123456", false))), std::string("12|3|4|5|6|"));
        QCOMPARE(join(gpt2->pieces(gpt2->encode("123456", false))), std::string("12|3|4|5|6|"));
        QCOMPARE(join(gpt2->pieces(gpt2->encode("1212", false))), std::string("12|12|"));
        QCOMPARE(join(llama3->pieces(llama3->encode("1212", false))), std::string("12|1|2|"));  // "121", "2"
        // a contraction is its own pre-token: "it" + "'s" tokenize as if separate
        QCOMPARE(gpt2->encode("it\x27s", false).size(), gpt2->encode("it", false).size() + gpt2->encode("\x27s", false).size());
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::addRow("no tokenizer") << QString() << QByteArray() << "no tokenizer (neither tokenizer.model nor tokenizer.json)";
        QTest::addRow("garbage model") << "tokenizer.model" << QByteArray("not a protobuf \x01\x02") << "tokenizer.model: not a SentencePiece model";
        QTest::addRow("malformed json") << "tokenizer.json" << QByteArray("{\"model\": ") << "tokenizer.json: malformed JSON";
        QTest::addRow("no model") << "tokenizer.json" << QByteArray("{}") << "missing \"model\" object";
        QTest::addRow("wordpiece") << "tokenizer.json" << QByteArray("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}")
                                   << "tokenizer model \"WordPiece\" is not supported (only BPE)";
        QTest::addRow("bad vocab") << "tokenizer.json" << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}, \"merges\": []}}")
                                   << "vocab id of 'a' is not a non-negative integer";
        QTest::addRow("bad merge") << "tokenizer.json" << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"ab\"]}}")
                                   << "merge \"ab\" is not two pieces";
        QTest::addRow("bad regex") << "tokenizer.json"
                                   << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"([\"}, \"behavior\": \"Isolated\"}}")
                                   << "cannot compile pre-tokenizer regex";
        QTest::addRow("unknown pre-tokenizer") << "tokenizer.json"
                                               << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}")
                                               << "unsupported pre_tokenizer \"BertPreTokenizer\"";
        // found by fuzz_tokenizer_json: values of the wrong type threw a JSON type error
        QTest::addRow("decoder type not a string") << "tokenizer.json"
                                                   << QByteArray("{\"decoder\": {\"type\": [1]}, \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}")
                                                   << "tokenizer.json: invalid content";
        QTest::addRow("added token content not a string") << "tokenizer.json"
                                                          << QByteArray("{\"added_tokens\": [{\"id\": 1, \"content\": 5}], \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}")
                                                          << "tokenizer.json: invalid content";
        QTest::addRow("absurd id") << "tokenizer.json" << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 99999999999}, \"merges\": []}}")
                                   << "is absurdly large";
    }
    void brokenFiles()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        if (!file.isEmpty()) {
            std::ofstream out(dir.filePath(file).toStdString(), std::ios::binary);
            out.write(content.constData(), content.size());
        }
        const QString got = QString::fromStdString(errorOf(dir.path()));
        QVERIFY2(got.contains(message), qPrintable(got));
        QVERIFY2(got.startsWith(dir.path()), qPrintable(got));
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
