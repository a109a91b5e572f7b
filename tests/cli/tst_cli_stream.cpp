// SPDX-License-Identifier: MIT
// score --stream: Wanda and ActSVD with one decoder layer in memory at a time, read from the weight files.
// The scores equal the in-memory job's bit for bit; a model whose fp32 weights exceed a memory cgroup's limit
// (tests/support/memory-limit.sh, as a Slurm job's --mem) is killed in memory and scored streamed — chosen by
// itself, since the memory available is the cgroup's. Where no memory cgroup can be made (not root), that
// function is skipped with the reason and CTest reports the suite as skipped.
#include "cliprocess.h"
#include "tinymodel.h"

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

/** Runs the CLI in a memory cgroup of `bytes` (memory-limit.sh; 77 when none can be made). */
Run limited(qint64 bytes, const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("bash"), QStringList{QStringLiteral(ALIGNSCOPE_MEMORY_LIMIT), QString::number(bytes),
                                                QStringLiteral(ALIGNSCOPE_CLI)} +
                                        args);
    if (!p.waitForFinished(600000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestCliStream : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    QString model(const char *name, const test::TinySpec &spec) const
    {
        const QString dir = path(name);
        std::filesystem::create_directories(dir.toStdString());
        test::writeTinyModel(dir.toStdString(), spec, test::tinyWeights(spec));
        test::writeByteTokenizer(dir.toStdString());
        return dir;
    }

    QStringList score(const QString &dir, const QString &store, const char *method, const char *stream) const
    {
        return {QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("score"), dir, QStringLiteral("--data"),
                path("calibration.csv"), QStringLiteral("--method"), QString::fromLatin1(method),
                QStringLiteral("--nsamples"), QStringLiteral("12"), QStringLiteral("--role"), QStringLiteral("safety"),
                QStringLiteral("--store"), store,
                QStringLiteral("--store-dtype"), QStringLiteral("fp32"), QStringLiteral("--stream"),
                QString::fromLatin1(stream), QStringLiteral("--json")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::writeText(path("calibration.csv").toStdString(), test::calibrationCsv("harmful", 20));
    }

    void streamedScoresEqualInMemory()
    {
        test::TinySpec spec;
        spec.vocab = 300;
        spec.layers = 3;
        spec.hidden = 64;
        spec.inter = 160;
        spec.kvHeads = 2;
        spec.bosId = 256;
        spec.eosId = 257;
        spec.fileDtype = at::kBFloat16;  // converted to fp32 layer by layer
        const QString dir = model("small", spec);
        for (const char *method : {"wanda", "actsvd"}) {
            const QString a = path("small-memory.h5"), b = path("small-streamed.h5");
            const Run x = cli(score(dir, a, method, "off")), y = cli(score(dir, b, method, "on"));
            QVERIFY2(x.exitCode == 0 && y.exitCode == 0, qPrintable(x.err + y.err));
            QCOMPARE(json(x).value(QStringLiteral("streamed")).toBool(), false);
            QCOMPARE(json(y).value(QStringLiteral("streamed")).toBool(), true);
            QVERIFY(y.err.contains(QStringLiteral("streaming the layers")));
            const std::vector<double> want = test::storeContents(a.toStdString());
            QVERIFY(!want.empty());
            QVERIFY(test::storeContents(b.toStdString()) == want);
            QFile::remove(a);
            QFile::remove(b);
        }
        // SNIP's backward pass needs every layer: a usage error that says so
        const Run s = cli(score(dir, path("snip.h5"), "snip", "on"));
        QCOMPARE(s.exitCode, 2);
        QVERIFY2(s.err.contains(QStringLiteral("not SNIP")), qPrintable(s.err));
    }

    void aModelLargerThanTheMemoryLimitIsScored()
    {
        // bf16 weight files of 222 MB: 445 MB in fp32, more than the 400 MB the cgroup allows (the CLI itself
        // takes about 160 MB); streamed, one fp32 layer (51 MB) at a time
        test::TinySpec spec;
        spec.vocab = 4096;
        spec.layers = 8;
        spec.hidden = 1024;
        spec.inter = 2816;
        spec.heads = 16;
        spec.kvHeads = 16;
        spec.bosId = 256;
        spec.eosId = 257;
        spec.fileDtype = at::kBFloat16;
        const QString dir = model("large", spec);
        constexpr qint64 limit = 400ll << 20;
        const QString inMemory = path("large-memory.h5"), streamed = path("large-streamed.h5");
        const Run reference = cli(score(dir, inMemory, "wanda", "off"));  // no limit
        QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
        const QJsonObject estimate = json(reference).value(QStringLiteral("estimate")).toObject();
        QVERIFY(estimate.value(QStringLiteral("memory_bytes")).toDouble() > double(limit));
        QVERIFY(estimate.value(QStringLiteral("streaming_bytes")).toDouble() < double(limit) / 2);

        // in memory under the limit: refused by the estimate (the memory available is the cgroup's) …
        const Run refused = limited(limit, score(dir, path("refused.h5"), "wanda", "off"));
        if (refused.exitCode == 77)
            QSKIP(qPrintable(refused.err.trimmed()));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("streaming the layers (--stream on) would need")), qPrintable(refused.err));
        // … and killed by the kernel when forced: the model does not fit
        const Run killed = limited(limit, score(dir, path("killed.h5"), "wanda", "off") << QStringLiteral("--force"));
        QVERIFY2(killed.exitCode == 137, qPrintable(QString::number(killed.exitCode) + killed.err.right(300)));
        // streamed (chosen by itself), it is scored, and the scores are the in-memory job's
        const Run r = limited(limit, score(dir, streamed, "wanda", "auto"));
        QVERIFY2(r.exitCode == 0, qPrintable(QString::number(r.exitCode) + r.err.right(500)));
        QCOMPARE(json(r).value(QStringLiteral("streamed")).toBool(), true);
        QVERIFY2(r.err.contains(QStringLiteral("does not fit")), qPrintable(r.err.left(500)));
        QVERIFY(test::storeContents(streamed.toStdString()) == test::storeContents(inMemory.toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestCliStream)
#include "tst_cli_stream.moc"
