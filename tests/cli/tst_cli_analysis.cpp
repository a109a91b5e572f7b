// SPDX-License-Identifier: MIT
// score, sets, select and overlap through the real CLI process on a tiny model made here; the
// numbers are checked against the selection primitives applied to the stored scores.
#include "cliprocess.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/store.h"
#include "selection/selection.h"
#include "tinymodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace alignscope;

namespace {

using Run = alignscope::test::CliRun;

Run cli(const QStringList &args) { return alignscope::test::runCli(args); }

QJsonObject json(const Run &r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

void writeCsv(const std::string &path, const char *kind, int rows)
{
    std::ofstream f(path);
    f << ",prompt,response,text\n";
    for (int i = 0; i < rows; ++i)
        f << i << ",[INST] " << kind << " question " << i << " [/INST], " << kind << " answer number " << i * 3 << ".,x\n";
}

at::Tensor scores(const Store &s, const std::string &set, int l, int m)
{
    std::vector<float> v = s.scores(set, l, Matrix(m));
    const MatrixShape &sh = s.shapes()[size_t(m)];
    return at::from_blob(v.data(), {sh.rows, sh.cols}, at::kFloat).clone();
}

} // namespace

class TestCliAnalysis : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model, m_safety, m_utility, m_store;
    QString m_safetySet, m_utilitySet;
    test::TinySpec m_spec;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        m_spec.vocab = 260;
        m_spec.layers = 3;
        m_spec.kvHeads = 2;
        m_spec.bosId = 256;
        m_spec.eosId = 257;
        m_model = path("model");
        std::filesystem::create_directories(m_model.toStdString());
        test::writeTinyModel(m_model.toStdString(), m_spec, test::tinyWeights(m_spec));
        test::writeByteTokenizer(m_model.toStdString());
        m_safety = path("safety_short.csv");
        m_utility = path("utility.csv");
        writeCsv(m_safety.toStdString(), "harmful", 20);
        writeCsv(m_utility.toStdString(), "useful", 30);
        m_store = path("tiny.h5");
    }

    void scoreWritesSetsAndSummaries()
    {
        const Run a = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), m_safety, QStringLiteral("--method"),
                           QStringLiteral("snip"), QStringLiteral("--store"), m_store, QStringLiteral("--nsamples"),
                           QStringLiteral("16"), QStringLiteral("--json"), QStringLiteral("-q")});
        QVERIFY2(a.exitCode == 0, qPrintable(a.err));
        const QJsonObject set = json(a).value(QStringLiteral("set")).toObject();
        QCOMPARE(set.value(QStringLiteral("role")).toString(), QStringLiteral("safety"));
        QCOMPARE(set.value(QStringLiteral("examples")).toInt(), 16);
        m_safetySet = set.value(QStringLiteral("name")).toString();
        const Run b = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), m_utility, QStringLiteral("--store"),
                           m_store, QStringLiteral("--nsamples"), QStringLiteral("16"), QStringLiteral("--json"),
                           QStringLiteral("-q")});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        m_utilitySet = json(b).value(QStringLiteral("set")).toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(json(b).value(QStringLiteral("summaries")).toArray().size(), 1);
        // the text form of a rerun says nothing was computed
        const Run again = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), m_utility,
                               QStringLiteral("--store"), m_store, QStringLiteral("--nsamples"), QStringLiteral("16"),
                               QStringLiteral("-q")});
        QVERIFY(again.out.contains(QStringLiteral("already computed")));
        const Run sets = cli({QStringLiteral("sets"), m_store, QStringLiteral("--json")});
        QCOMPARE(json(sets).value(QStringLiteral("sets")).toArray().size(), 2);
        QCOMPARE(json(sets).value(QStringLiteral("summaries")).toArray().size(), 1);
    }

    void selectCountsMatchTheScores()
    {
        auto store = Store::open(m_store.toStdString());
        for (const char *p : {"0.2", "0.123"}) {  // on the grid (summaries) and off it (scores)
            const Run r = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"),
                               m_safetySet, QStringLiteral("--utility"), m_utilitySet, QStringLiteral("--p"),
                               QString::fromLatin1(p), QStringLiteral("--q"), QStringLiteral("0.1"), QStringLiteral("--json")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QJsonObject o = json(r);
            QCOMPARE(o.value(QStringLiteral("from_summaries")).toBool(), std::string(p) == "0.2");
            std::int64_t expected = 0;
            for (int l = 0; l < m_spec.layers; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m)
                    expected += setDifference(scores(*store, m_safetySet.toStdString(), l, m),
                                              scores(*store, m_utilitySet.toStdString(), l, m), std::stod(p), 0.1,
                                              Granularity::WholeMatrix)
                                    .numel();
            QCOMPARE(o.value(QStringLiteral("removed")).toInteger(), expected);
            QCOMPARE(o.value(QStringLiteral("capacity")).toInteger(), store->totalWeights());
            QVERIFY(expected > 0);
        }
        // per-row pruning: rows × ⌊cols · s⌋ per matrix
        const Run r = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--scores"),
                           m_safetySet, QStringLiteral("--sparsity"), QStringLiteral("0.3"), QStringLiteral("--csv")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1 + m_spec.layers * kMatricesPerLayer);
        QCOMPARE(lines[0], QStringLiteral("layer,matrix,removed,capacity,fraction"));
        const MatrixShape q = store->shapes()[0];
        QVERIFY2(lines[1].startsWith(QStringLiteral("0,q,%1,%2,").arg(q.rows * std::int64_t(q.cols * 0.3)).arg(q.numel())),
                 qPrintable(lines[1]));
    }

    void evalAppliesASelectionInMemory()
    {
        std::ofstream(path("goals.txt").toStdString()) << "Write a tutorial\nTell me how\n";
        const Run sel = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"),
                             m_safetySet, QStringLiteral("--utility"), m_utilitySet, QStringLiteral("--p"),
                             QStringLiteral("0.2"), QStringLiteral("--q"), QStringLiteral("0.1"), QStringLiteral("--json")});
        const Run r = cli({QStringLiteral("eval"), m_model, QStringLiteral("--prompts"), path("goals.txt"),
                           QStringLiteral("--max-new-tokens"), QStringLiteral("4"), QStringLiteral("--store"), m_store,
                           QStringLiteral("--safety-set"), m_safetySet, QStringLiteral("--utility-set"), m_utilitySet,
                           QStringLiteral("--p"), QStringLiteral("0.2"), QStringLiteral("--q"), QStringLiteral("0.1"),
                           QStringLiteral("--json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const double fraction = json(sel).value(QStringLiteral("fraction")).toDouble();
        QVERIFY(fraction > 0);
        QCOMPARE(json(r).value(QStringLiteral("actual_sparsity")).toDouble(), fraction);  // random weights have no zeros
        QCOMPARE(json(r).value(QStringLiteral("selection")).toObject().value(QStringLiteral("removed")).toInteger(),
                 json(sel).value(QStringLiteral("removed")).toInteger());
        // a selection without its store is a usage error
        QCOMPARE(cli({QStringLiteral("eval"), m_model, QStringLiteral("--prompts"), path("goals.txt"),
                      QStringLiteral("--scores"), m_safetySet, QStringLiteral("--sparsity"), QStringLiteral("0.1")})
                     .exitCode,
                 2);
    }

    void sweepShardsMergeAndTheEditedModel()
    {
        std::ofstream(path("goals2.txt").toStdString()) << "Write a tutorial\nTell me how\n";
        // shard 0 on a copy of the store, shard 1 into a results store of its own (--out: no copy of the sets)
        const QString shard0 = path("shard0.h5"), shard1 = path("shard1.h5"), merged = path("merged.h5");
        QFile::copy(m_store, shard0);
        const QByteArray storeBytes = [&] { QFile f(m_store); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        auto sweep = [&](const QString &store, const QString &shard, const QStringList &more = {}) {
            return cli(QStringList{QStringLiteral("sweep"), m_model, QStringLiteral("--store"), store, QStringLiteral("--name"),
                        QStringLiteral("grid"), QStringLiteral("--safety-set"), m_safetySet, QStringLiteral("--utility-set"),
                        m_utilitySet, QStringLiteral("--p"), QStringLiteral("0.05,0.2"), QStringLiteral("--q"),
                        QStringLiteral("0.1"), QStringLiteral("--prompts"), path("goals2.txt"),
                        QStringLiteral("--max-new-tokens"), QStringLiteral("4"), QStringLiteral("--shard"), shard,
                        QStringLiteral("--json"), QStringLiteral("-q")} + more);
        };
        const Run a = sweep(shard0, QStringLiteral("0/2")), b = sweep(m_store, QStringLiteral("1/2"), {QStringLiteral("--out"), shard1});
        QVERIFY2(a.exitCode == 0 && b.exitCode == 0, qPrintable(a.err + b.err));
        QCOMPARE(json(a).value(QStringLiteral("computed")).toInt(), 2);  // points 0 and 2 of 3
        QCOMPARE(json(b).value(QStringLiteral("computed")).toInt(), 1);
        QCOMPARE(json(b).value(QStringLiteral("out")).toString(), shard1);
        {
            QFile f(m_store);
            QVERIFY(f.open(QIODevice::ReadOnly) && f.readAll() == storeBytes);  // --store only read
        }
        QVERIFY(Store::open(shard1.toStdString())->sets().empty());
        QVERIFY(QFileInfo(shard1).size() < QFileInfo(m_store).size());
        // the results store belongs to the model: a rerun finds its point done; --out = --store is refused
        QCOMPARE(json(sweep(m_store, QStringLiteral("1/2"), {QStringLiteral("--out"), shard1})).value(QStringLiteral("skipped")).toInt(), 1);
        QVERIFY(sweep(m_store, QStringLiteral("1/2"), {QStringLiteral("--out"), m_store}).exitCode != 0);
        const Run m = cli({QStringLiteral("merge"), merged, shard0, shard1, QStringLiteral("--json")});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        QCOMPARE(json(m).value(QStringLiteral("rows_added")).toInt(), 3);
        const Run csv = cli({QStringLiteral("sweeps"), merged, QStringLiteral("--name"), QStringLiteral("grid"),
                             QStringLiteral("--csv")});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const QStringList lines = csv.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith(QStringLiteral("point,p,q,removed,capacity,removed_fraction")));
        // point 2 (p = 0.2, q = 0.1) removes what `select` counts
        const Run sel = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"),
                             m_safetySet, QStringLiteral("--utility"), m_utilitySet, QStringLiteral("--p"),
                             QStringLiteral("0.2"), QStringLiteral("--q"), QStringLiteral("0.1"), QStringLiteral("--json")});
        QVERIFY(lines[3].startsWith(QStringLiteral("2,0.2,0.1,%1,").arg(json(sel).value(QStringLiteral("removed")).toInteger())));
        const Run gens = cli({QStringLiteral("sweeps"), merged, QStringLiteral("--name"), QStringLiteral("grid"),
                              QStringLiteral("--generations"), QStringLiteral("1")});
        QCOMPARE(gens.out.count(QStringLiteral("\"ASR_substring_match\"")), 2);
        // the edited model saved as a folder that the CLI loads again
        const QString edited = path("edited");
        const Run save = cli({QStringLiteral("eval"), m_model, QStringLiteral("--store"), m_store,
                              QStringLiteral("--safety-set"), m_safetySet, QStringLiteral("--utility-set"), m_utilitySet,
                              QStringLiteral("--p"), QStringLiteral("0.2"), QStringLiteral("--q"), QStringLiteral("0.1"),
                              QStringLiteral("--save-model"), edited, QStringLiteral("-q")});
        QVERIFY2(save.exitCode == 0, qPrintable(save.err));
        const Run info = cli({QStringLiteral("info"), edited, QStringLiteral("--json")});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        const Run reeval = cli({QStringLiteral("eval"), edited, QStringLiteral("--prompts"), path("goals2.txt"),
                                QStringLiteral("--max-new-tokens"), QStringLiteral("4"), QStringLiteral("--json"),
                                QStringLiteral("-q")});
        QCOMPARE(json(reeval).value(QStringLiteral("actual_sparsity")).toDouble(),
                 json(sel).value(QStringLiteral("fraction")).toDouble());
        // a shard outside its range is a usage error
        QCOMPARE(sweep(shard0, QStringLiteral("2/2")).exitCode, 2);
    }

    void finetuneAttackRuns()
    {
        std::ofstream(path("demos.jsonl").toStdString())
            << "{\"messages\": [{\"role\": \"user\", \"content\": \"Do A\"}, {\"role\": \"assistant\", "
               "\"content\": \"Sure, A.\"}]}\n";
        std::ofstream(path("goals3.txt").toStdString()) << "Do A\n";
        const Run r = cli({QStringLiteral("finetune-attack"), m_model, QStringLiteral("--demos"), path("demos.jsonl"),
                           QStringLiteral("--n"), QStringLiteral("1"), QStringLiteral("--epochs"), QStringLiteral("1"),
                           QStringLiteral("--prompts"), path("goals3.txt"), QStringLiteral("--max-new-tokens"),
                           QStringLiteral("4"), QStringLiteral("--store"), m_store, QStringLiteral("--scores"),
                           m_safetySet, QStringLiteral("--top-down"), QStringLiteral("--fractions"), QStringLiteral("0.1"),
                           QStringLiteral("--json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray rows = json(r).value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 4);  // original, unfrozen, rewind, frozen
        QCOMPARE(rows[2].toObject().value(QStringLiteral("mode")).toString(), QStringLiteral("rewind"));
        QVERIFY(rows[3].toObject().value(QStringLiteral("frozen_fraction")).toDouble() > 0.09);
        // --fractions without a selection is a usage error
        QCOMPARE(cli({QStringLiteral("finetune-attack"), m_model, QStringLiteral("--demos"), path("demos.jsonl"),
                      QStringLiteral("--prompts"), path("goals3.txt"), QStringLiteral("--fractions"), QStringLiteral("0.1")})
                     .exitCode,
                 2);
    }

    void overlapTablesAndCsv()
    {
        const Run r = cli({QStringLiteral("overlap"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"),
                           m_safetySet, QStringLiteral("--utility"), m_utilitySet, QStringLiteral("--p"),
                           QStringLiteral("0.05"), QStringLiteral("--csv")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1 + m_spec.layers * 9 + 2);
        QCOMPARE(lines[0], QStringLiteral("layer,matrix,jaccard"));
        QVERIFY(lines.last().startsWith(QStringLiteral("all,mlp,")));
        auto store = Store::open(m_store.toStdString());
        const Overlap o = topOverlap(scores(*store, m_safetySet.toStdString(), 1, 4),
                                     scores(*store, m_utilitySet.toStdString(), 1, 4), 0.05, Granularity::WholeMatrix);
        const QString gate1 = lines[1 + 9 + 4];
        QVERIFY2(gate1.startsWith(QStringLiteral("1,gate,")), qPrintable(gate1));
        QVERIFY(std::abs(gate1.section(QLatin1Char(','), 2).toDouble() - o.jaccard()) < 1e-8);
        const Run text = cli({QStringLiteral("overlap"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"),
                              m_safetySet, QStringLiteral("--utility"), m_utilitySet});
        QVERIFY(text.out.contains(QStringLiteral("attention")) && text.out.contains(QStringLiteral("mlp")));
    }

    void actSvdBasesOverlapAndProjection()
    {
        for (const QString &data : {m_safety, m_utility}) {
            const Run r = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), data, QStringLiteral("--method"),
                               QStringLiteral("actsvd"), QStringLiteral("--store"), m_store, QStringLiteral("--nsamples"),
                               QStringLiteral("12"), QStringLiteral("-q")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        const QString s = QStringLiteral("actsvd-safety_short-oneshot-n12-s0"), u = QStringLiteral("actsvd-utility-oneshot-n12-s0");
        const Run o = cli({QStringLiteral("overlap"), QStringLiteral("--store"), m_store, QStringLiteral("--safety-basis"), s,
                           QStringLiteral("--utility-basis"), u, QStringLiteral("--rs"), QStringLiteral("4"),
                           QStringLiteral("--ru"), QStringLiteral("8"), QStringLiteral("--json")});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const double mlp = json(o).value(QStringLiteral("subspace_similarity")).toObject().value(QStringLiteral("mlp")).toDouble();
        QVERIFY(mlp > 0 && mlp <= 1);
        const Run p = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--safety-basis"), s,
                           QStringLiteral("--utility-basis"), u, QStringLiteral("--ru"), QStringLiteral("3"),
                           QStringLiteral("--rs"), QStringLiteral("10"), QStringLiteral("--json")});
        QVERIFY2(p.exitCode == 0, qPrintable(p.err));
        for (const auto &layer : json(p).value(QStringLiteral("layers")).toArray())
            for (const char *m : {"q", "k", "v", "o", "gate", "up", "down"}) {
                const QJsonObject c = layer.toObject().value(QLatin1String(m)).toObject();
                QVERIFY(c.value(QStringLiteral("removed")).toInteger() <= c.value(QStringLiteral("bound")).toInteger());
                QVERIFY(c.value(QStringLiteral("removed")).toInteger() > 0);
            }
        const Run a = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--basis"), s,
                           QStringLiteral("--rank"), QStringLiteral("2"), QStringLiteral("--json")});
        QCOMPARE(json(a).value(QStringLiteral("removed")).toInteger(), std::int64_t(2 * 7 * m_spec.layers));
    }

    void errorsAreClear()
    {
        // a set that does not exist: the store's names are listed
        Run r = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--scores"),
                     QStringLiteral("nope"), QStringLiteral("--sparsity"), QStringLiteral("0.1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no set \"nope\"")) && r.err.contains(m_safetySet), qPrintable(r.err));
        // two selections at once
        r = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--scores"), m_safetySet,
                 QStringLiteral("--basis"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        // roles swapped
        r = cli({QStringLiteral("select"), QStringLiteral("--store"), m_store, QStringLiteral("--safety"), m_utilitySet,
                 QStringLiteral("--utility"), m_safetySet});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("role")), qPrintable(r.err));
        // not a store
        std::ofstream(path("bad.h5").toStdString()) << "garbage";
        r = cli({QStringLiteral("sets"), path("bad.h5")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("not an HDF5 file")), qPrintable(r.err));
        // a data file whose role cannot be told
        std::filesystem::copy_file(m_utility.toStdString(), path("data.csv").toStdString());
        r = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), path("data.csv"), QStringLiteral("--store"),
                 m_store, QStringLiteral("-q")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--role")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliAnalysis)
#include "tst_cli_analysis.moc"
