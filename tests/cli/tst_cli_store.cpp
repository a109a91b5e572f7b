// SPDX-License-Identifier: MIT
// The store through real CLI processes, as a user and a hostile machine treat it (issue 16's campaign at a
// size CI affords): a writer killed (SIGKILL) at every named point of a score job, a sweep and their
// commits; a file-size limit that makes every write fail with EFBIG, as a full disk does with ENOSPC; two
// writers at once. Afterwards the store is the old one or the new one, never anything else; nothing is
// left behind; and a rerun gives exactly what an uninterrupted run gives.
#include "cliprocess.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "tinymodel.h"

#include <hdf5.h>

#include <QFileInfo>
#include <QProcess>
#include <csignal>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace alignscope;
namespace fs = std::filesystem;

namespace {

using Run = alignscope::test::CliRun;

/** A CLI run with extra environment and, optionally, a file-size limit (ulimit -f, in KiB) with SIGXFSZ ignored. */
Run cli(const QStringList &args, const QString &crashAt = {}, int fileLimitKiB = 0)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!crashAt.isEmpty())
        env.insert(QStringLiteral("ALIGNSCOPE_CRASH_AT"), crashAt);
    p.setProcessEnvironment(env);
    if (fileLimitKiB > 0) {
        // an ignored signal stays ignored across exec: writes past the limit then fail with EFBIG
        QStringList all = {QStringLiteral("-c"),
                           QStringLiteral("ulimit -f %1; trap '' XFSZ; exec \"$0\" \"$@\"").arg(fileLimitKiB),
                           QStringLiteral(ALIGNSCOPE_CLI)};
        p.start(QStringLiteral("/bin/bash"), all + args);
    } else {
        p.start(QStringLiteral(ALIGNSCOPE_CLI), args);
    }
    if (!p.waitForFinished(600000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

/** Ctrl-C to a running process; nothing once it has ended (kill(0, …) would hit the test's own group). */
void interrupt(QProcess &p)
{
    const qint64 pid = p.processId();
    if (p.state() == QProcess::Running && pid > 0)
        ::kill(pid_t(pid), SIGINT);
}

/** A sequential Wanda job on the demo model: long enough to be stopped while it reports its layers. */
QStringList demoSequentialArgs(const QString &store)
{
    return {QStringLiteral("score"), QStringLiteral(ALIGNSCOPE_DEMO_MODEL), QStringLiteral("--data"),
            QStringLiteral(ALIGNSCOPE_DATASETS "/safety_short.csv"), QStringLiteral("--store"), store,
            QStringLiteral("--method"), QStringLiteral("wanda"), QStringLiteral("--mode"), QStringLiteral("sequential"),
            QStringLiteral("--sparsity"), QStringLiteral("0.3"), QStringLiteral("--nsamples"), QStringLiteral("32")};
}

/** `to` becomes a copy of `from`. */
bool replaceWith(const QString &to, const QString &from)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

std::string bytesOf(const QString &path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeCsv(const std::string &path, const char *kind, int rows)
{
    std::ofstream f(path);
    f << ",prompt,response,text\n";
    for (int i = 0; i < rows; ++i)
        f << i << ",[INST] " << kind << " question " << i << " [/INST], " << kind << " answer number " << i * 3 << ".,x\n";
}

/** What a sweep found, without its timings. */
std::vector<double> sweepValues(const QString &store)
{
    const SweepTable t = readSweep(store.toStdString(), "grid");
    std::vector<double> out;
    for (size_t c = 0; c < t.columns.size(); ++c)
        if (t.columns[c] != "seconds")
            for (double v : t.values[c])
                out.push_back(std::isnan(v) ? -1e300 : v);  // NaN (baseline p, q) compares equal to itself
    for (bool d : t.done)
        out.push_back(d);
    return out;
}

} // namespace

class TestCliStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model, m_safety, m_utility, m_goals;
    QString m_base, m_scored, m_reference;  // utility set only; both sets; both sets and the sweep
    QString m_safetySet, m_utilitySet;
    std::vector<double> m_want, m_wantSweep;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QStringList scoreArgs(const QString &store, bool utility = false) const
    {
        return {QStringLiteral("score"), m_model, QStringLiteral("--data"), utility ? m_utility : m_safety,
                QStringLiteral("--store"), store,
                QStringLiteral("--method"), QStringLiteral("wanda"), QStringLiteral("--mode"), QStringLiteral("sequential"),
                QStringLiteral("--sparsity"), QStringLiteral("0.3"), QStringLiteral("--nsamples"), QStringLiteral("8"),
                QStringLiteral("-q")};
    }
    QStringList sweepArgs(const QString &store) const
    {
        return {QStringLiteral("sweep"), m_model, QStringLiteral("--store"), store, QStringLiteral("--name"),
                QStringLiteral("grid"), QStringLiteral("--safety-set"), m_safetySet, QStringLiteral("--utility-set"),
                m_utilitySet, QStringLiteral("--p"),
                QStringLiteral("0.05,0.2"), QStringLiteral("--q"), QStringLiteral("0.1,0.3"), QStringLiteral("--prompts"),
                m_goals, QStringLiteral("--max-new-tokens"), QStringLiteral("3"), QStringLiteral("-q")};
    }
    /** The folder holds no lock, copy or side file. */
    void noLeftovers()
    {
        for (const auto &e : fs::directory_iterator(m_dir.path().toStdString())) {
            const std::string n = e.path().filename().string();
            QVERIFY2(n.find(".tmp-") == std::string::npos && n.find(".lock") == std::string::npos &&
                         n.find(".partial-") == std::string::npos,
                     n.c_str());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::TinySpec spec;
        spec.vocab = 260;
        spec.layers = 3;
        spec.kvHeads = 2;
        spec.bosId = 256;
        spec.eosId = 257;
        m_model = path(QStringLiteral("model"));
        fs::create_directories(m_model.toStdString());
        test::writeTinyModel(m_model.toStdString(), spec, test::tinyWeights(spec));
        test::writeByteTokenizer(m_model.toStdString());
        m_safety = path(QStringLiteral("safety_short.csv"));
        m_utility = path(QStringLiteral("utility.csv"));
        writeCsv(m_safety.toStdString(), "harmful", 12);
        writeCsv(m_utility.toStdString(), "useful", 12);
        m_goals = path(QStringLiteral("goals.txt"));
        std::ofstream(m_goals.toStdString()) << "Write a tutorial\nTell me how\n";
        m_base = path(QStringLiteral("base.h5"));
        const Run u = cli(scoreArgs(m_base, true));
        QVERIFY2(u.exitCode == 0, qPrintable(u.err));
        m_scored = path(QStringLiteral("scored.h5"));
        QVERIFY(QFile::copy(m_base, m_scored));
        const Run s = cli(scoreArgs(m_scored));
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        const auto scored = Store::open(m_scored.toStdString());
        for (const auto &set : scored->sets())
            (set.role == "safety" ? m_safetySet : m_utilitySet) = QString::fromStdString(set.name);
        m_reference = path(QStringLiteral("reference.h5"));
        QVERIFY(QFile::copy(m_scored, m_reference));
        const Run w = cli(sweepArgs(m_reference));
        QVERIFY2(w.exitCode == 0, qPrintable(w.err));
        m_want = test::storeContents(m_scored.toStdString());
        m_wantSweep = sweepValues(m_reference);
        QCOMPARE(Store::open(m_scored.toStdString())->summaryPairs().size(), size_t(1));
    }

    void aKilledScoreJobRecoversExactly_data()
    {
        QTest::addColumn<QString>("point");
        // every place a score job and its commit can die (core/src/store: crashPoint)
        for (const char *p : {"layer-marked:1", "layer-marked:2", "side-carried", "commit-locked", "commit-copied",
                              "commit-built", "commit-synced", "commit-renamed", "committed"})
            QTest::addRow("%s", p) << QString::fromLatin1(p);
    }

    void aKilledScoreJobRecoversExactly()
    {
        QFETCH(QString, point);
        const QString store = path(QStringLiteral("k.h5"));
        QVERIFY(replaceWith(store, m_base));
        const std::string before = bytesOf(store);
        const Run killed = cli(scoreArgs(store), point);
        QCOMPARE(killed.exitCode, -1);  // SIGKILL
        // the old store or the new one, nothing in between
        if (bytesOf(store) != before)
            QVERIFY(test::storeContents(store.toStdString()) == m_want);
        const Run again = cli(scoreArgs(store));
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(test::storeContents(store.toStdString()) == m_want);
        noLeftovers();
        QFile::remove(store);
    }

    void ctrlCAnywhereRecoversExactly()
    {
        // SIGINT at spread-out times: whatever the job was doing (loading, scoring, committing), it ends with
        // 130 (or 0 when it had finished), the store is the old or the new one, and the rerun is exact
        int interrupted = 0;
        for (int ms : {30, 200, 400, 600, 800, 1000, 1300}) {
            const QString store = path(QStringLiteral("int.h5"));
            QVERIFY(replaceWith(store, m_base));
            const std::string before = bytesOf(store);
            QProcess p;
            p.start(QStringLiteral(ALIGNSCOPE_CLI), scoreArgs(store));
            QVERIFY(p.waitForStarted());
            QTest::qWait(ms);
            interrupt(p);
            QVERIFY(p.state() == QProcess::NotRunning || p.waitForFinished(600000));
            if (p.exitStatus() == QProcess::CrashExit) {  // before the handler was installed: SIGINT's default
                QCOMPARE(p.exitCode(), SIGINT);
                QVERIFY(bytesOf(store) == before);
            } else {
                QVERIFY2(p.exitCode() == 130 || p.exitCode() == 0,
                         qPrintable(QStringLiteral("after %1 ms: exit %2: %3")
                                        .arg(ms)
                                        .arg(p.exitCode())
                                        .arg(QString::fromUtf8(p.readAllStandardError()))));
            }
            if (p.exitStatus() == QProcess::NormalExit && p.exitCode() == 130) {
                ++interrupted;
                if (bytesOf(store) != before)
                    QVERIFY(test::storeContents(store.toStdString()) == m_want);
            }
            const Run again = cli(scoreArgs(store));
            QVERIFY2(again.exitCode == 0, qPrintable(again.err));
            QVERIFY(test::storeContents(store.toStdString()) == m_want);
            noLeftovers();
        }
        // and once surely inside a job: the demo model's sequential job, when it reports its second layer
        const QString store = path(QStringLiteral("demo-int.h5"));
        const QStringList demo = demoSequentialArgs(store);
        QProcess p;
        p.start(QStringLiteral(ALIGNSCOPE_CLI), demo);
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("layer 1") || p.state() == QProcess::NotRunning,
                                 600000);
        QVERIFY(p.state() == QProcess::Running);
        interrupt(p);
        QVERIFY(p.waitForFinished(600000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(!QFile::exists(store));
        const Run resumed = cli(demo + QStringList{QStringLiteral("--json"), QStringLiteral("-q")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains(QStringLiteral("\"resumed_from_layer\": 1")) ||
                     resumed.out.contains(QStringLiteral("\"resumed_from_layer\": 2")),
                 qPrintable(resumed.out.left(300)));
        noLeftovers();
        qInfo("%d of 7 timed interrupts landed in the job", interrupted);
    }

    void sigtermStopsLikeCtrlC()
    {
        // what Slurm sends before a time limit or on preemption: the job stops at its next check, keeps the
        // finished layers, exits 143, and the rerun resumes
        const QString store = path(QStringLiteral("demo-term.h5"));
        const QStringList demo = demoSequentialArgs(store);
        QProcess p;
        p.start(QStringLiteral(ALIGNSCOPE_CLI), demo);
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("layer 1") || p.state() == QProcess::NotRunning,
                                 600000);
        QVERIFY(p.state() == QProcess::Running);
        ::kill(pid_t(p.processId()), SIGTERM);
        ::kill(pid_t(p.processId()), SIGTERM);  // Slurm and the batch script may both send it: still graceful
        QVERIFY(p.waitForFinished(600000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 143);
        err += p.readAllStandardError();
        QVERIFY2(err.contains("terminated (SIGTERM)"), err.constData());
        QVERIFY(!QFile::exists(store));
        const Run resumed = cli(demo + QStringList{QStringLiteral("--json"), QStringLiteral("-q")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(!resumed.out.contains(QStringLiteral("\"resumed_from_layer\": 0")), qPrintable(resumed.out.left(300)));
        noLeftovers();
    }

    void aKilledSweepRecoversExactly_data()
    {
        QTest::addColumn<QString>("point");
        for (const char *p : {"sweep-row:1", "sweep-row:3", "commit-copied", "commit-synced", "commit-renamed"})
            QTest::addRow("%s", p) << QString::fromLatin1(p);
    }

    void aKilledSweepRecoversExactly()
    {
        QFETCH(QString, point);
        const QString store = path(QStringLiteral("ks.h5"));
        QVERIFY(replaceWith(store, m_scored));
        const std::string before = bytesOf(store);
        QCOMPARE(cli(sweepArgs(store), point).exitCode, -1);
        if (bytesOf(store) != before)
            QVERIFY(sweepValues(store) == m_wantSweep);
        const Run again = cli(sweepArgs(store));
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(sweepValues(store) == m_wantSweep);
        QVERIFY(test::storeContents(store.toStdString()) == m_want);
        noLeftovers();
        QFile::remove(store);
    }

    void aFullDiskLeavesTheStoreAsItWas()
    {
        // EFBIG under `ulimit -f` takes the paths of ENOSPC (tests/campaign/disk-full.sh runs the real thing
        // on a small tmpfs): at every limit the job either finishes or fails with a message saying why, the
        // store unchanged and nothing left behind; the rerun is exact.
        const QString store = path(QStringLiteral("full.h5"));
        const qint64 baseKiB = QFileInfo(m_base).size() / 1024;
        int failed = 0;
        for (qint64 limit : {qint64(4), qint64(16), baseKiB / 2, baseKiB + 8, baseKiB + 64, 2 * baseKiB + 64}) {
            QVERIFY(replaceWith(store, m_base));
            const std::string before = bytesOf(store);
            const Run r = cli(scoreArgs(store), {}, int(std::max<qint64>(1, limit)));
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(QStringLiteral("limit %1 KiB: exit %2: %3")
                                                                        .arg(limit).arg(r.exitCode).arg(r.err)));
            if (r.exitCode == 1) {
                ++failed;
                QVERIFY2(r.err.contains(QStringLiteral("file too large")) || r.err.contains(QStringLiteral("File too large")),
                         qPrintable(r.err));
                QVERIFY(bytesOf(store) == before);
                const auto names = fs::directory_iterator(m_dir.path().toStdString());
                for (const auto &e : names)
                    QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
            }
            const Run again = cli(scoreArgs(store));
            QVERIFY2(again.exitCode == 0, qPrintable(again.err));
            QVERIFY(test::storeContents(store.toStdString()) == m_want);
            noLeftovers();
        }
        QVERIFY(failed >= 3);
    }

    void twoWritersAtOnceBothLand()
    {
        // before the store's lock, one of two concurrent commits was lost in 3 of 10 runs
        for (int round = 0; round < 3; ++round) {
            const QString store = path(QStringLiteral("two.h5"));
            QFile::remove(store);
            QProcess a, b;
            a.start(QStringLiteral(ALIGNSCOPE_CLI), scoreArgs(store));
            b.start(QStringLiteral(ALIGNSCOPE_CLI), scoreArgs(store, true));
            QVERIFY(a.waitForFinished(600000) && b.waitForFinished(600000));
            QVERIFY2(a.exitCode() == 0 && b.exitCode() == 0, QByteArray(a.readAllStandardError() + b.readAllStandardError()).constData());
            QVERIFY(test::storeContents(store.toStdString()) == m_want);
            noLeftovers();
        }
    }

    void inputsThatMisledAreRefused()
    {
        // a calibration row longer than the model's context (a 10 MB row ran on with a 513 TiB estimate)
        const QString longCsv = path(QStringLiteral("safety_long.csv"));
        {
            std::ofstream f(longCsv.toStdString());
            f << ",prompt,response\n0,[INST] hi [/INST], fine\n1,[INST] " << std::string(3000, 'a') << " [/INST], no\n";
        }
        Run r = cli({QStringLiteral("score"), m_model, QStringLiteral("--data"), longCsv, QStringLiteral("--store"),
                     path(QStringLiteral("long.h5")), QStringLiteral("--nsamples"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("safety_long.csv: example 2 is ")) &&
                     r.err.contains(QStringLiteral("more than the model's context of 2048 tokens")),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(path(QStringLiteral("long.h5"))));
        // a prompt longer than the context (a 100 KB prompt grew to 23.8 GB before the kernel killed it)
        const QString goals = path(QStringLiteral("long-goals.txt"));
        std::ofstream(goals.toStdString()) << "short one\n" << std::string(5000, 'b') << "\n";
        r = cli({QStringLiteral("eval"), m_model, QStringLiteral("--prompts"), goals, QStringLiteral("--max-new-tokens"),
                 QStringLiteral("2")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("harmful prompt 2 (\"bbbb")) && r.err.contains(QStringLiteral("context")),
                 qPrintable(r.err));
        // a folder given as a utility file said "no tasks in the file"
        r = cli({QStringLiteral("eval"), m_model, QStringLiteral("--utility"), m_dir.path()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("a folder, not a data file")), qPrintable(r.err));
        // one flipped bit in the sweep table changed `sweeps` output with exit 0; now it names the dataset
        const QString corrupt = path(QStringLiteral("corrupt.h5"));
        QVERIFY(QFile::copy(m_reference, corrupt));
        const std::string table = "/sweeps/grid/table";
        {
            const hid_t f = H5Fopen(corrupt.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
            const hid_t d = H5Dopen2(f, table.c_str(), H5P_DEFAULT);
            const hid_t space = H5Dget_space(d);
            hsize_t offset[2] = {};
            unsigned mask = 0;
            haddr_t addr = 0;
            hsize_t size = 0;
            QVERIFY(H5Dget_chunk_info(d, space, 0, offset, &mask, &addr, &size) >= 0);
            H5Sclose(space);
            H5Dclose(d);
            H5Fclose(f);
            std::fstream io(corrupt.toStdString(), std::ios::in | std::ios::out | std::ios::binary);
            io.seekg(std::streamoff(addr + size / 3));
            char c = 0;
            io.read(&c, 1);
            c = char(c ^ 0x04);
            io.seekp(std::streamoff(addr + size / 3));
            io.write(&c, 1);
        }
        r = cli({QStringLiteral("sweeps"), corrupt, QStringLiteral("--name"), QStringLiteral("grid"), QStringLiteral("--csv")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QString::fromStdString(table)) && r.err.contains(QStringLiteral("checksum")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "tst_cli_store.moc"
