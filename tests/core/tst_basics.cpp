// SPDX-License-Identifier: MIT
// Engine basics: versions, progress throttling and ETA, cancellation, runtime settings, the fraction grid.
#include "alignscope/fraction_grid.h"
#include "alignscope/jobs.h"
#include "alignscope/runtime.h"
#include "alignscope/version.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>
#include <thread>

using namespace alignscope;

class TestBasics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versions()
    {
        const VersionInfo v = versionInfo();
        QCOMPARE(QString::fromStdString(v.program), QStringLiteral(ALIGNSCOPE_VERSION));
        const QRegularExpression semver(QStringLiteral("^\\d+\\.\\d+\\.\\d+"));
        QVERIFY2(semver.match(QString::fromStdString(v.libtorch)).hasMatch(), v.libtorch.c_str());
        QVERIFY2(semver.match(QString::fromStdString(v.hdf5)).hasMatch(), v.hdf5.c_str());
    }

    void progressIsThrottledButKeepsStageEdges()
    {
        std::vector<ProgressEvent> events;
        JobContext ctx([&](const ProgressEvent &e) { events.push_back(e); }, nullptr, /*minInterval=*/60.0);
        for (int i = 0; i <= 1000; ++i)
            ctx.report(i, 1000, "scoring");
        for (int i = 0; i <= 10; ++i)
            ctx.report(i, 10, "writing");
        // first report of each stage and each completion; everything in between is throttled away
        QCOMPARE(int(events.size()), 4);
        QCOMPARE(events[0].done, 0);
        QCOMPARE(events[1].done, 1000);
        QCOMPARE(events[2].stage, std::string("writing"));
        QCOMPARE(events[3].done, 10);
    }

    void aRepeatedStageRestartsItsClock()
    {
        std::vector<ProgressEvent> events;
        JobContext ctx([&](const ProgressEvent &e) { events.push_back(e); }, nullptr, 60.0);
        ctx.report(0, 10, "training");
        ctx.report(10, 10, "training");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ctx.report(0, 4, "training");  // a second run of the same stage (new total)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ctx.report(0, 10, "training");  // and one that starts over with the first total
        QCOMPARE(int(events.size()), 4);
        QCOMPARE(events[2].done, 0);
        QCOMPARE(events[3].total, 10);
    }

    void etaExtrapolatesTheStageRate()
    {
        std::vector<ProgressEvent> events;
        JobContext ctx([&](const ProgressEvent &e) { events.push_back(e); }, nullptr, 0.0);
        ctx.report(0, 4, "work");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        ctx.report(1, 4, "work");
        QCOMPARE(int(events.size()), 2);
        QCOMPARE(events[0].etaSeconds, -1.0);  // nothing done yet: unknown
        // 1 unit took ~0.2 s, 3 remain: ~0.6 s (generous bounds for a loaded machine)
        QVERIFY2(events[1].etaSeconds > 0.55 && events[1].etaSeconds < 1.5, std::to_string(events[1].etaSeconds).c_str());
        QVERIFY(events[1].elapsedSeconds >= 0.2);
    }

    void cancellation()
    {
        CancellationToken token;
        JobContext ctx({}, &token);
        ctx.checkCancelled();  // not cancelled: no throw
        token.cancel();
        QVERIFY(ctx.isCancelled());
        QVERIFY_THROWS_EXCEPTION(Cancelled, ctx.checkCancelled());
        token.reset();
        QVERIFY(!ctx.isCancelled());
    }

    void cancelledProbeStopsEarly()
    {
        CancellationToken token;
        token.cancel();
        JobContext ctx({}, &token);
        QVERIFY_THROWS_EXCEPTION(Cancelled, probeMatmul(64, 3, &ctx));
    }

    void formatDuration_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << 0.0 << "0s";
        QTest::addRow("under a second") << 0.3 << "<1s";
        QTest::addRow("about a second") << 0.96 << "1s";
        QTest::addRow("rounds") << 12.6 << "13s";
        QTest::addRow("minutes") << 185.0 << "3m05s";
        QTest::addRow("hours") << 3720.0 << "1h02m";
        QTest::addRow("unknown") << -1.0 << "?";
        QTest::addRow("nan") << std::nan("") << "?";
    }
    void formatDuration()
    {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(alignscope::formatDuration(seconds)), text);
    }

    void threads()
    {
        QCOMPARE(configureThreads(1), 1);
        QCOMPARE(runtimeInfo().threads, 1);
        const int all = configureThreads(0);
        QCOMPARE(all, runtimeInfo().hardwareThreads);
        configureThreads(1);
    }

    void matmulProbeMeasures()
    {
        const MatmulProbe p = probeMatmul(128, 2);
        QCOMPARE(p.n, 128);
        QVERIFY(p.seconds > 0);
        QCOMPARE(p.gflops, 2.0 * 128 * 128 * 128 / p.seconds / 1e9);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, probeMatmul(0, 1));
    }

    void fractionGrid()
    {
        const auto &g = alignscope::fractionGrid();
        QCOMPARE(int(g.size()), 49);
        QCOMPARE(g.front(), 1e-4);
        QCOMPARE(g.back(), 1.0);
        for (size_t i = 1; i < g.size(); ++i)
            QVERIFY(g[i] > g[i - 1]);
        // the values papers use are on the grid, as the exact doubles a user would type
        for (double v : {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.025, 0.0001})
            QCOMPARE(g[nearestFractionIndex(v)], v);
        // near-logarithmic: neighbours differ by a factor between 1.1 and 1.34
        for (size_t i = 1; i < g.size(); ++i) {
            const double r = g[i] / g[i - 1];
            QVERIFY2(r > 1.1 && r < 1.34, std::to_string(r).c_str());
        }
        QCOMPARE(nearestFractionIndex(0.0), 0);
        QCOMPARE(nearestFractionIndex(-3.0), 0);
        QCOMPARE(nearestFractionIndex(7.0), 48);
        QCOMPARE(nearestFractionIndex(std::nan("")), 0);
        QCOMPARE(g[nearestFractionIndex(0.105)], 0.1);
        QCOMPARE(g[nearestFractionIndex(0.11)], 0.12);  // log-nearest: ln(0.11/0.1) > ln(0.12/0.11)
    }
};

QTEST_APPLESS_MAIN(TestBasics)
#include "tst_basics.moc"
