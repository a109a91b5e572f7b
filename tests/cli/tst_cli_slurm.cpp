// SPDX-License-Identifier: MIT
// `slurm submit|status|finish` on a real one-node Slurm cluster (Debian's slurm-wlm and munge, started
// here by tests/support/slurm-cluster.sh): a plan of two score lines and a sweep in 4 shards runs as
// job arrays plus the merge job, and the merged table equals the sweep run unsharded here; a shard that
// Slurm warns before its time limit stops, requeues itself and resumes. Where the daemons cannot start,
// those functions are skipped with the reason (ctest reports the suite as skipped). Plan errors and the
// scripts' contents are checked without a cluster.
#include "cliprocess.h"
#include "alignscope/sweep.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace alignscope;

namespace {

using Run = alignscope::test::CliRun;

Run cli(const QStringList &args) { return alignscope::test::runCli(args); }

QJsonObject json(const Run &r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/** The table of a sweep without its timings, row by row ("-" for a point not done). */
QStringList values(const QString &store, const QString &name)
{
    const SweepTable t = readSweep(store.toStdString(), name.toStdString());
    QStringList rows;
    for (int i = 0; i < t.points(); ++i) {
        QString row = QString::number(i);
        for (size_t c = 0; c < t.columns.size(); ++c)
            if (t.columns[c] != "seconds")
                row += QLatin1Char(' ') + QString::fromStdString(t.columns[c]) + QLatin1Char('=') +
                       (t.done[size_t(i)] ? QString::number(t.values[c][size_t(i)], 'g', 17) : QStringLiteral("-"));
        rows << row;
    }
    return rows;
}

} // namespace

class TestCliSlurm : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_cluster, m_skip;
    const QString m_data = QStringLiteral(ALIGNSCOPE_DATASETS);

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /** A plan file of these lines. */
    QString plan(const QString &name, const QStringList &lines) const
    {
        const QString p = path(name);
        std::ofstream(p.toStdString()) << lines.join(QLatin1Char('\n')).toStdString() << "\n";
        return p;
    }

    QString scoreLine(const QString &file, const QString &set) const
    {
        return QStringLiteral("score --method snip --data %1/%2 --nsamples 32 --name %3").arg(m_data, file, set);
    }

    QStringList sweepArgs(const QString &name, const QString &limit, const QString &tokens) const
    {
        return {QStringLiteral("sweep"), QStringLiteral("--name"), name, QStringLiteral("--safety-set"),
                QStringLiteral("safety"), QStringLiteral("--utility-set"), QStringLiteral("utility"),
                QStringLiteral("--p"), QStringLiteral("0.05,0.2,0.5"), QStringLiteral("--q"), QStringLiteral("0.05,0.3"),
                QStringLiteral("--prompts"), m_data + QStringLiteral("/harmful_eval.txt"), QStringLiteral("--limit"),
                limit, QStringLiteral("--max-new-tokens"), tokens, QStringLiteral("--asr"), QStringLiteral("vanilla"),
                QStringLiteral("--compliance-prefix"), QStringLiteral("Sure, here is")};
    }

    /** A plan's sweep line from its words, quoted for the plan's shell-like syntax. */
    static QString line(const QStringList &words)
    {
        QStringList q;
        for (const auto &w : words)
            q << (w.contains(QLatin1Char(' ')) ? QLatin1Char('"') + w + QLatin1Char('"') : w);
        return q.join(QLatin1Char(' '));
    }

    /** Waits until none of the run's jobs is in squeue any more. */
    bool waitForRun(const QJsonObject &jobs, int timeoutMs)
    {
        QStringList ids;
        for (const auto &v : jobs)
            ids << v.toString();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            QProcess q;
            q.start(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-j"), ids.join(QLatin1Char(','))});
            if (q.waitForFinished(30000) && q.exitCode() == 0 && q.readAllStandardOutput().trimmed().isEmpty())
                return true;
            QTest::qWait(500);
        }
        return false;
    }

    /** The logs of a run, for failure messages. */
    QString logs(const QString &runDir) const
    {
        QString all;
        const QDir d(runDir + QStringLiteral("/logs"));
        for (const auto &f : d.entryList(QDir::Files))
            all += QStringLiteral("== %1\n%2").arg(f, readText(d.filePath(f)).right(1500));
        return all;
    }

    /** The unsharded sweep on the sets the run's score tasks computed. */
    QStringList reference(const QString &runDir, const QStringList &sweep, const QString &name)
    {
        const QString ref = path(name + QStringLiteral("-reference.h5"));
        const Run m = cli({QStringLiteral("merge"), ref, runDir + QStringLiteral("/stores/score-0.h5"),
                           runDir + QStringLiteral("/stores/score-1.h5")});
        if (m.exitCode != 0)
            return {m.err};
        const Run r = cli(QStringList{QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("-q")} + sweep +
                          QStringList{QStringLiteral("--store"), ref});
        if (r.exitCode != 0)
            return {r.err};
        return values(ref, name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cluster = path(QStringLiteral("cluster"));
        QProcess p;
        p.start(QStringLiteral("bash"), {QStringLiteral(ALIGNSCOPE_SLURM_CLUSTER), QStringLiteral("start"), m_cluster});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
        if (p.exitCode() == 77) {
            m_skip = err;  // e.g. "slurm-cluster: munged is not installed …"
            qWarning("%s", qPrintable(m_skip));
            return;
        }
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        qputenv("SLURM_CONF", (m_cluster + QStringLiteral("/slurm.conf")).toUtf8());
    }

    void cleanupTestCase()
    {
        if (m_skip.isEmpty() && !m_cluster.isEmpty()) {
            QProcess p;
            p.start(QStringLiteral("bash"), {QStringLiteral(ALIGNSCOPE_SLURM_CLUSTER), QStringLiteral("stop"), m_cluster});
            p.waitForFinished(120000);
        }
    }

    void planErrorsNameTheLine()
    {
        const QString store = path(QStringLiteral("never.h5"));
        auto submit = [&](const QString &planFile, const QStringList &more = {}) {
            return cli(QStringList{QStringLiteral("slurm"), QStringLiteral("submit"), planFile, QStringLiteral("--store"),
                                   store, QStringLiteral("--run-dir"), path(QStringLiteral("bad-run")),
                                   QStringLiteral("--dry-run")} +
                       more);
        };
        struct Case {
            QStringList lines;
            QString want;
        };
        const QList<Case> cases = {
            {{QStringLiteral("# nothing")}, QStringLiteral("no score or sweep command")},
            {{QStringLiteral("eval --prompts x")}, QStringLiteral(":1: a plan holds score and sweep commands, not \"eval\"")},
            {{scoreLine(QStringLiteral("safety_short.csv"), QStringLiteral("a")) + QStringLiteral(" --store x.h5")},
             QStringLiteral(":1: --store is not for a plan's line")},
            {{QString(), scoreLine(QStringLiteral("safety_short.csv"), QStringLiteral("a")) + QStringLiteral(" --shard 0/2")},
             QStringLiteral(":2: --shard is not")},
            {{QStringLiteral("score --data 'open")}, QStringLiteral(":1: a quote is not closed")},
            {{QStringLiteral("score --method snap --data %1/utility.csv").arg(m_data)}, QStringLiteral(":1: --method")},
            {{QStringLiteral("# first"), QStringLiteral("score --method snip \\"),
              QStringLiteral("   --data %1/no-such.csv").arg(m_data)},
             QStringLiteral(":2: --data: File does not exist")},
            {{QStringLiteral("sweep --name x --scores a --sparsity 0.1 --prompts %1/harmful_eval.txt").arg(m_data),
              QStringLiteral("sweep --name x --scores a --sparsity 0.2 --prompts %1/harmful_eval.txt").arg(m_data)},
             QStringLiteral(":2: a second sweep named \"x\"")},
        };
        int n = 0;
        for (const Case &c : cases) {
            const QString p = plan(QStringLiteral("bad%1.txt").arg(n++), c.lines);
            const Run r = submit(p);
            QVERIFY2(r.exitCode != 0 && r.err.contains(c.want), qPrintable(r.err + QStringLiteral(" (want: ") + c.want));
            QVERIFY(r.err.contains(QFileInfo(p).fileName()) || c.want.startsWith(QLatin1Char('n')));
            QVERIFY(!QFile::exists(path(QStringLiteral("bad-run/run.json"))));  // nothing written
        }
        // a warning longer than half the time limit would stop every task at its start
        const QString good = plan(QStringLiteral("good.txt"), {scoreLine(QStringLiteral("utility.csv"), QStringLiteral("u"))});
        const Run t = submit(good, {QStringLiteral("--time"), QStringLiteral("5"), QStringLiteral("--warn-before"),
                                    QStringLiteral("200")});
        QCOMPARE(t.exitCode, 2);
        QVERIFY2(t.err.contains(QStringLiteral("--warn-before")), qPrintable(t.err));
        QCOMPARE(submit(good, {QStringLiteral("--time"), QStringLiteral("1:2:3:4")}).exitCode, 2);
    }

    void scriptsSayWhatTheTasksRun()
    {
        const QString runDir = path(QStringLiteral("dry"));
        const QString p = plan(QStringLiteral("dry.txt"),
                               {scoreLine(QStringLiteral("safety_full.csv"), QStringLiteral("safety")),
                                line(sweepArgs(QStringLiteral("pq"), QStringLiteral("4"), QStringLiteral("8")))});
        // (a repeatable option before the plan takes one value: the plan is not swallowed)
        const Run r = cli({QStringLiteral("slurm"), QStringLiteral("submit"), QStringLiteral("--sbatch=--exclusive"), p,
                           QStringLiteral("--store"), path(QStringLiteral("dry.h5")), QStringLiteral("--run-dir"), runDir, QStringLiteral("--shards"),
                           QStringLiteral("3"), QStringLiteral("--partition"), QStringLiteral("gpu"), QStringLiteral("--time"),
                           QStringLiteral("2:00:00"), QStringLiteral("--gpus"), QStringLiteral("1"), QStringLiteral("--mem"),
                           QStringLiteral("64G"), QStringLiteral("--max-parallel"), QStringLiteral("2"),
                           QStringLiteral("--sbatch=--constraint=a100"), QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(json(r).value(QStringLiteral("tasks")).toArray().size(), 1 + 3);
        QCOMPARE(json(r).value(QStringLiteral("submitted")).toBool(), false);
        const QString sweeps = readText(runDir + QStringLiteral("/sweeps.sbatch"));
        for (const QString &want :
             {QStringLiteral("#SBATCH --array=0-2%2\n"), QStringLiteral("#SBATCH --partition=gpu\n"),
              QStringLiteral("#SBATCH --time=2:00:00\n"), QStringLiteral("#SBATCH --gres=gpu:1\n"),
              QStringLiteral("#SBATCH --mem=64G\n"), QStringLiteral("#SBATCH --constraint=a100\n"),
              QStringLiteral("#SBATCH --exclusive\n"),
              QStringLiteral("#SBATCH --requeue\n"), QStringLiteral("#SBATCH --signal=B:USR1@300\n"),
              QStringLiteral("#SBATCH --job-name=alignscope-dry-sweep\n"), QStringLiteral("--shard 2/3 --out "),
              QStringLiteral("'Sure, here is'"), QStringLiteral("--device cuda")})
            QVERIFY2(sweeps.contains(want), qPrintable(want + QStringLiteral(" not in:\n") + sweeps));
        QVERIFY(readText(runDir + QStringLiteral("/merge.sbatch")).contains(QStringLiteral(" slurm finish ")));
        QVERIFY(!readText(runDir + QStringLiteral("/merge.sbatch")).contains(QStringLiteral("--gres")));
        const QString submit = readText(runDir + QStringLiteral("/submit.sh"));
        QVERIFY(submit.contains(QStringLiteral("--dependency=afterok:")));
        QVERIFY(submit.contains(QStringLiteral("--dependency=afterany:")));
        // bash reads the scripts
        for (const char *s : {"scores.sbatch", "sweeps.sbatch", "merge.sbatch", "submit.sh"}) {
            QProcess b;
            b.start(QStringLiteral("bash"), {QStringLiteral("-n"), runDir + QLatin1Char('/') + QLatin1String(s)});
            QVERIFY(b.waitForFinished());
            QVERIFY2(b.exitCode() == 0, s);
        }
        // a second submit into the same folder is refused; finish names the stores that are missing
        QCOMPARE(cli({QStringLiteral("slurm"), QStringLiteral("submit"), p, QStringLiteral("--store"),
                      path(QStringLiteral("dry.h5")), QStringLiteral("--run-dir"), runDir, QStringLiteral("--dry-run")})
                     .exitCode,
                 1);
        // a folder that is not a run, or a damaged run.json: an error naming the file
        QDir().mkpath(path(QStringLiteral("not-a-run")));
        for (const char *cmd : {"status", "finish"}) {
            const Run n = cli({QStringLiteral("slurm"), QString::fromLatin1(cmd), path(QStringLiteral("not-a-run"))});
            QVERIFY2(n.exitCode == 1 && n.err.contains(QStringLiteral("not-a-run/run.json: not found")), qPrintable(n.err));
        }
        for (const char *text : {"{\"store\": \"x\",", "{\"store\": 3, \"tasks\": [], \"jobs\": {}}",
                                 "{\"store\": \"x\", \"tasks\": [{\"kind\": \"sweep\", \"store\": \"y\"}], \"jobs\": {}}"}) {
            std::ofstream(path(QStringLiteral("not-a-run/run.json")).toStdString()) << text;
            for (const char *cmd : {"status", "finish"}) {
                const Run damaged = cli({QStringLiteral("slurm"), QString::fromLatin1(cmd), path(QStringLiteral("not-a-run"))});
                QVERIFY2(damaged.exitCode == 1 && damaged.err.contains(QStringLiteral("run.json: not a run description")),
                         qPrintable(damaged.err));
            }
        }
        const Run f = cli({QStringLiteral("slurm"), QStringLiteral("finish"), runDir});
        QCOMPARE(f.exitCode, 1);
        QVERIFY2(f.err.contains(QStringLiteral("no store: ")) && f.err.contains(QStringLiteral("sweep-pq-2of3.h5")) &&
                     f.err.contains(QStringLiteral("incomplete sweep: pq")),
                 qPrintable(f.err));
    }

    void shardedSweepEqualsUnsharded()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString runDir = path(QStringLiteral("run"));
        const QString store = path(QStringLiteral("store.h5"));
        const QStringList sweep = sweepArgs(QStringLiteral("pq"), QStringLiteral("16"), QStringLiteral("24"));
        const QString p = plan(QStringLiteral("plan.txt"),
                               {QStringLiteral("# the paper's set difference on the demo model"),
                                scoreLine(QStringLiteral("safety_full.csv"), QStringLiteral("safety")),
                                scoreLine(QStringLiteral("utility.csv"), QStringLiteral("utility")), line(sweep)});
        const Run r = cli({QStringLiteral("slurm"), QStringLiteral("submit"), p, QStringLiteral("--store"), store,
                           QStringLiteral("--run-dir"), runDir, QStringLiteral("--cpus-per-task"), QStringLiteral("1"),
                           QStringLiteral("--name"), QStringLiteral("as-test"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject jobs = json(r).value(QStringLiteral("jobs")).toObject();
        QCOMPARE(jobs.keys(), (QStringList{QStringLiteral("merge"), QStringLiteral("score"), QStringLiteral("sweep")}));
        QVERIFY2(waitForRun(jobs, 600000), qPrintable(logs(runDir)));
        // the merge job ran and found the run complete
        const QString mergeLog = readText(runDir + QStringLiteral("/logs/as-test-merge-%1.log").arg(jobs[QStringLiteral("merge")].toString()));
        QVERIFY2(mergeLog.contains(QStringLiteral("sweep pq: 7/7 points")), qPrintable(logs(runDir)));
        // every task's log names its job and array index (sacct-friendly names)
        for (int k = 0; k < 4; ++k)
            QVERIFY(QFile::exists(runDir + QStringLiteral("/logs/as-test-sweep-%1_%2.log").arg(jobs[QStringLiteral("sweep")].toString()).arg(k)));
        const QStringList got = values(store, QStringLiteral("pq"));
        QCOMPARE(got.size(), 7);
        QCOMPARE(got, reference(runDir, sweep, QStringLiteral("pq")));
        // status reads every shard's store
        const Run s = cli({QStringLiteral("slurm"), QStringLiteral("status"), runDir, QStringLiteral("--json")});
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        int done = 0;
        for (const auto &t : json(s).value(QStringLiteral("tasks")).toArray())
            done += t.toObject().value(QStringLiteral("done")).toInt();
        QCOMPARE(done, 7);
    }

    void warnedShardRequeuesAndResumes()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        // the sets of the first run's score tasks; a slower sweep in 2 shards
        const QString store = path(QStringLiteral("store2.h5"));
        const Run m = cli({QStringLiteral("merge"), store, path(QStringLiteral("run/stores/score-0.h5")),
                           path(QStringLiteral("run/stores/score-1.h5"))});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const QString runDir = path(QStringLiteral("run2"));
        const QStringList sweep = sweepArgs(QStringLiteral("slow"), QStringLiteral("96"), QStringLiteral("64"));
        const Run r = cli({QStringLiteral("slurm"), QStringLiteral("submit"), plan(QStringLiteral("plan2.txt"), {line(sweep)}),
                           QStringLiteral("--store"), store, QStringLiteral("--run-dir"), runDir, QStringLiteral("--shards"),
                           QStringLiteral("2"), QStringLiteral("--cpus-per-task"), QStringLiteral("1"), QStringLiteral("--name"),
                           QStringLiteral("as-test2"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject jobs = json(r).value(QStringLiteral("jobs")).toObject();
        const QString array = jobs[QStringLiteral("sweep")].toString();
        const QString log = runDir + QStringLiteral("/logs/as-test2-sweep-%1_0.log").arg(array);
        // once task 0 has finished a point, Slurm's warning before the time limit (what --signal sends)
        QTRY_VERIFY2_WITH_TIMEOUT(readText(log).contains(QStringLiteral("% sweep slow")), qPrintable(logs(runDir)), 300000);
        QProcess warn;
        warn.start(QStringLiteral("scancel"), {QStringLiteral("--signal=USR1"), QStringLiteral("--batch"), array + QStringLiteral("_0")});
        QVERIFY(warn.waitForFinished(30000));
        QVERIFY2(warn.exitCode() == 0, qPrintable(QString::fromUtf8(warn.readAllStandardError())));
        QVERIFY2(waitForRun(jobs, 600000), qPrintable(logs(runDir)));
        const QString text = readText(log);
        QVERIFY2(text.contains(QStringLiteral("terminated (SIGTERM)")) && text.contains(QStringLiteral("requeued")) &&
                     text.contains(QStringLiteral("(run 2)")),
                 qPrintable(text));
        // the second run resumed: the points of the first are not computed again
        const QRegularExpressionMatch resumed =
            QRegularExpression(QStringLiteral("shard 0/2: (\\d+) points, (\\d+) computed, (\\d+) already done")).match(text);
        QVERIFY2(resumed.hasMatch(), qPrintable(text));
        QVERIFY2(resumed.captured(3).toInt() >= 1, qPrintable(resumed.captured(0)));
        QCOMPARE(resumed.captured(2).toInt() + resumed.captured(3).toInt(), resumed.captured(1).toInt());
        QCOMPARE(values(store, QStringLiteral("slow")), reference(path(QStringLiteral("run")), sweep, QStringLiteral("slow")));
    }
};

QTEST_GUILESS_MAIN(TestCliSlurm)
#include "tst_cli_slurm.moc"
