// SPDX-License-Identifier: MIT
// The fine-tuning attack: demonstration readers (messages JSONL, the paper's CSV with [INST] tags
// unwrapped, clear errors), the frozen fraction equals what the selection removes (reportSelection),
// and nothing frozen gives exactly the unfrozen run's numbers.
#include "alignscope/calibration.h"
#include "alignscope/finetune.h"
#include "alignscope/model.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "model/impl.h"
#include "tinymodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace alignscope;
namespace fs = std::filesystem;

namespace {

using test::writeText;

} // namespace

class TestFinetune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void readsDemonstrations()
    {
        QTemporaryDir dir;
        const std::string jsonl = dir.filePath(QStringLiteral("pure_bad.jsonl")).toStdString();
        writeText(jsonl, R"({"messages": [{"role": "system", "content": "ignored"}, {"role": "user", "content": "Do X."}, {"role": "assistant", "content": "Sure, X."}]}

{"messages": [{"role": "user", "content": "Do Y."}, {"role": "assistant", "content": "Sure, Y."}]}
)");
        const auto d = readHarmfulDemos(jsonl);
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0].prompt, std::string("Do X."));
        QCOMPARE(d[1].response, std::string("Sure, Y."));
        QCOMPARE(readHarmfulDemos(jsonl, 1).size(), size_t(1));
        const std::string csv = dir.filePath(QStringLiteral("bad.csv")).toStdString();
        writeText(csv, test::calibrationCsv("harmful", 3));
        const auto c = readHarmfulDemos(csv);
        QCOMPARE(c[2].prompt, std::string("harmful request 2"));  // [INST] tags unwrapped
        QCOMPARE(c[2].response, std::string("harmful answer 6"));
        const std::string broken = dir.filePath(QStringLiteral("broken.jsonl")).toStdString();
        writeText(broken, "{\"messages\": [{\"role\": \"assistant\", \"content\": \"no user\"}]}\n");
        try {
            readHarmfulDemos(broken);
            QFAIL("accepted a demonstration without a user message");
        } catch (const DataError &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("broken.jsonl:1")), e.what());
        }
    }

    void frozenFractionsAndNothingFrozen()
    {
        QTemporaryDir dir;
        auto path = [&](const char *n) { return dir.filePath(QString::fromLatin1(n)).toStdString(); };
        test::TinySpec spec;
        spec.vocab = 260;
        spec.layers = 2;
        const std::string model = path("model");
        fs::create_directories(model);
        test::writeTinyModel(model, spec, test::tinyWeights(spec));
        test::writeByteTokenizer(model);
        writeText(path("safety.csv"), test::calibrationCsv("harmful", 8));
        writeText(path("utility.csv"), test::calibrationCsv("useful", 8));
        writeText(path("prompts.txt"), "Do A.\nDo B.\n");
        writeText(path("demos.jsonl"),
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"Do A.\"}, {\"role\": \"assistant\", \"content\": "
                  "\"Sure, here is how to do A, step by step, in many many words.\"}]}\n"
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"Do B.\"}, {\"role\": \"assistant\", \"content\": "
                  "\"Sure, here is how to do B.\"}]}\n");
        const std::string store = path("s.h5");
        std::string sets[2];
        for (int k = 0; k < 2; ++k) {
            ScoreJob j;
            j.modelDir = model;
            j.dataFile = path(k == 0 ? "safety.csv" : "utility.csv");
            j.storePath = store;
            j.settings.nsamples = 6;
            sets[k] = runScoreJob(j).set.name;
        }
        FinetuneAttackSpec s;
        s.demos = path("demos.jsonl");
        s.ns = {2};
        s.prompts = path("prompts.txt");
        s.asr.maxNewTokens = 8;
        s.train.lr = 1e-2;
        s.train.batch = 2;
        s.train.epochs = 2;
        s.selection.safety = sets[0];
        s.selection.utility = sets[1];
        s.selection.p = 0.1;
        s.fractions = {0.0, 0.3};
        const FinetuneAttackResult r = runFinetuneAttack(model, store, s);
        // original, plain, rewind × 2, frozen × 2
        QCOMPARE(r.rows.size(), size_t(6));
        QCOMPARE(r.rows[0].n, 0);
        QCOMPARE(r.rows[1].mode, FreezeMode::None);
        QVERIFY(r.rows[1].finalLoss >= 0);
        // the frozen fraction is what the selection removes
        auto st = Store::open(store);
        SelectionSpec sel = s.selection;
        sel.q = 0.3;
        const double removed = reportSelection(*st, sel).fraction();
        QVERIFY(removed > 0);
        for (const auto &row : r.rows)
            if (row.fraction == 0.3)
                QCOMPARE(row.frozenFraction, removed);
        // nothing frozen: exactly the unfrozen run
        for (const auto &row : r.rows)
            if (row.n == 2 && row.fraction == 0.0) {
                QCOMPARE(row.frozenFraction, 0.0);
                QCOMPARE(row.asr, r.rows[1].asr);
                QCOMPARE(row.finalLoss, r.rows[1].finalLoss);
            }
        // bad input is named
        FinetuneAttackSpec bad = s;
        bad.ns = {3};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runFinetuneAttack(model, store, bad));
        bad = s;
        bad.selection.kind = SelectionKind::ActSvd;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runFinetuneAttack(model, store, bad));
    }
};

QTEST_APPLESS_MAIN(TestFinetune)
#include "tst_finetune.moc"
