// SPDX-License-Identifier: MIT
// The CLI as a user runs it: a real process, its exit status, stdout and stderr.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(QStringLiteral(ALIGNSCOPE_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject parseObject(const QString &text)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(text.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError || !d.isObject())
        qWarning("not one JSON object: %s\n%s", qPrintable(e.errorString()), qPrintable(text));
    return d.object();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void help()
    {
        const Run r = cli({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("doctor")));
        QVERIFY(r.out.contains(QStringLiteral("--json")));
        QVERIFY(r.out.contains(QStringLiteral("Exit codes: 0 ok, 1 failure, 2 usage error, 130 cancelled")));
    }

    void version()
    {
        const Run r = cli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^alignscope-cli \\d+\\.\\d+\\.\\d+\n")).match(r.out).hasMatch(),
                 qPrintable(r.out));
        QVERIFY2(QRegularExpression(QStringLiteral("\nlibtorch \\d+\\.\\d+\\.\\d+")).match(r.out).hasMatch(),
                 qPrintable(r.out));
        QVERIFY2(QRegularExpression(QStringLiteral("\nHDF5 \\d+\\.\\d+\\.\\d+")).match(r.out).hasMatch(), qPrintable(r.out));
    }

    void versionJson()
    {
        const Run r = cli({QStringLiteral("--version"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = parseObject(r.out);
        QCOMPARE(o.value(QStringLiteral("version")).toString(), QStringLiteral(ALIGNSCOPE_VERSION));
        QVERIFY(o.value(QStringLiteral("libtorch")).toString().contains(QLatin1Char('.')));
        QVERIFY(o.value(QStringLiteral("hdf5")).toString().contains(QLatin1Char('.')));
        // the text form and the JSON form report the same libtorch
        const Run t = cli({QStringLiteral("--version")});
        QVERIFY(t.out.contains(QStringLiteral("libtorch ") + o.value(QStringLiteral("libtorch")).toString()));
    }

    void unknownSubcommand()
    {
        const Run r = cli({QStringLiteral("frobnicate"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("unknown subcommand 'frobnicate'")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown option") << QStringList{QStringLiteral("--frob")} << "--frob";
        QTest::addRow("no subcommand") << QStringList{} << "no subcommand";
        QTest::addRow("size out of range") << QStringList{QStringLiteral("doctor"), QStringLiteral("--size"), QStringLiteral("3")}
                                           << "--size";
        QTest::addRow("threads negative") << QStringList{QStringLiteral("--threads"), QStringLiteral("-1"), QStringLiteral("doctor")}
                                          << "--threads";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void doctorJson()
    {
        // global flags before and after the subcommand
        for (const QStringList &args : {QStringList{QStringLiteral("doctor"), QStringLiteral("--json"), QStringLiteral("--size"), QStringLiteral("128")},
                                        QStringList{QStringLiteral("--json"), QStringLiteral("--threads"), QStringLiteral("1"),
                                                    QStringLiteral("doctor"), QStringLiteral("--size"), QStringLiteral("128")}}) {
            const Run r = cli(args);
            QCOMPARE(r.exitCode, 0);
            const QJsonObject o = parseObject(r.out);
            const QJsonObject mm = o.value(QStringLiteral("matmul")).toObject();
            QCOMPARE(mm.value(QStringLiteral("n")).toInt(), 128);
            const double s = mm.value(QStringLiteral("seconds")).toDouble();
            QVERIFY(s > 0);
            QVERIFY(qAbs(mm.value(QStringLiteral("gflops")).toDouble() - 2.0 * 128 * 128 * 128 / s / 1e9) < 1e-6 * (1 / s));
            QVERIFY(o.contains(QStringLiteral("slow_blas")));
        }
        const Run one = cli({QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("doctor"), QStringLiteral("--json"),
                             QStringLiteral("--size"), QStringLiteral("64")});
        QCOMPARE(parseObject(one.out).value(QStringLiteral("threads")).toInt(), 1);
        // progress goes to stderr, never into the JSON on stdout
        QVERIFY(one.err.contains(QStringLiteral("matmul probe")));
    }

    void quietHasNoProgress()
    {
        const Run r = cli({QStringLiteral("-q"), QStringLiteral("doctor"), QStringLiteral("--size"), QStringLiteral("64")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("GFLOP/s")));
    }

    void ctrlCCancels()
    {
        QProcess p;
        p.start(QStringLiteral(ALIGNSCOPE_CLI),
                {QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("doctor"), QStringLiteral("--json"),
                 QStringLiteral("--size"), QStringLiteral("4096")});
        QVERIFY(p.waitForStarted());
        // wait until the job reports progress, i.e. it is inside the cancellable loop
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("matmul probe") ||
                                     p.state() == QProcess::NotRunning,
                                 60000);
        QVERIFY(p.state() == QProcess::Running);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        const QJsonObject o = parseObject(QString::fromUtf8(p.readAllStandardOutput()));
        QCOMPARE(o.value(QStringLiteral("error")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), 130);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
