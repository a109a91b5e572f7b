// SPDX-License-Identifier: MIT
// The widget-free pieces of the application: ASR points (one per edit, replaced not duplicated,
// grouped in lines of a fixed q or p, JSON round trip and its errors), colours that stay with their
// series, locale-correct numbers, and the job lanes (order, ids, cancellation of queued and running
// jobs, continuations dropped with their context) and the latest-wins tracker.
#include "asrpoints.h"
#include "jobs.h"
#include "selection.h"
#include "uitestmain.h"

#include <QJsonObject>
#include <QSignalSpy>

#include <atomic>
#include <thread>

using namespace alignscope;
using namespace alignscope::ui;

namespace {
AsrPoint point(double p, double q, double asr, AsrSetting setting = AsrSetting::Vanilla)
{
    AsrPoint pt;
    pt.edit.p = p;
    pt.edit.q = q;
    pt.edit.setting = setting;
    pt.safetySet = QStringLiteral("snip-safety");
    pt.utilitySet = QStringLiteral("snip-utility");
    pt.asr = asr;
    pt.actualSparsity = p * q;
    return pt;
}
} // namespace

class TestPresenter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void onePointPerEdit()
    {
        AsrPointSet set;
        const int a = set.upsert(point(0.2, 0.1, 0.3));
        const int b = set.upsert(point(0.2, 0.05, 0.1));
        QVERIFY(a != b);
        // the same edit again replaces the point and keeps its id
        AsrPoint again = point(0.2, 0.1, 0.35);
        again.complete = true;
        QCOMPARE(set.upsert(again), a);
        QCOMPARE(set.points().size(), 2);
        QCOMPARE(set.find(a)->asr, 0.35);
        QVERIFY(set.find(a)->complete);
        // another setting, another score pair or another kind is another edit
        QVERIFY(set.upsert(point(0.2, 0.1, 0.5, AsrSetting::NoSys)) != a);
        AsrPoint pair = point(0.2, 0.1, 0.5);
        pair.safetySet = QStringLiteral("wanda-safety");
        QVERIFY(set.upsert(pair) != a);
        AsrPoint prune = point(0.2, 0.1, 0.5);
        prune.edit.kind = EditKind::PruneTopDown;
        prune.edit.s = 0.3;
        const int pr = set.upsert(prune);
        // a pruning's identity is its s, not the p, q it never uses
        AsrPoint prune2 = prune;
        prune2.edit.p = 0.7;
        QCOMPARE(set.upsert(prune2), pr);
        QCOMPARE(set.points().size(), 5);
        QCOMPARE(set.idOf(point(0.2, 0.05, 0).key()), b);
        QVERIFY(set.remove(b));
        QCOMPARE(set.idOf(point(0.2, 0.05, 0).key()), 0);
        QCOMPARE(set.upsert(point(0.2, 0.05, 0.1)) > pr, true);  // ids are never reused
    }

    void linesOfAFixedQOrP()
    {
        const AsrPoint a = point(0.1, 0.05, 0), b = point(0.2, 0.05, 0), c = point(0.2, 0.1, 0);
        QCOMPARE(AsrPointSet::seriesKey(a, SeriesBy::FixedQ), AsrPointSet::seriesKey(b, SeriesBy::FixedQ));
        QVERIFY(AsrPointSet::seriesKey(b, SeriesBy::FixedQ) != AsrPointSet::seriesKey(c, SeriesBy::FixedQ));
        QCOMPARE(AsrPointSet::seriesKey(b, SeriesBy::FixedP), AsrPointSet::seriesKey(c, SeriesBy::FixedP));
        QVERIFY(AsrPointSet::seriesKey(a, SeriesBy::FixedP) != AsrPointSet::seriesKey(b, SeriesBy::FixedP));
        QCOMPARE(AsrPointSet::seriesName(a, SeriesBy::FixedQ), QStringLiteral("q = 5 %"));
        QCOMPARE(AsrPointSet::seriesName(c, SeriesBy::FixedP), QStringLiteral("p = 20 %"));
        AsrPoint proj = point(0, 0, 0);
        proj.edit.kind = EditKind::Orthogonal;
        proj.edit.ru = 112;
        proj.edit.rs = 120;
        QCOMPARE(AsrPointSet::seriesName(proj, SeriesBy::FixedQ), QStringLiteral("projection, r_s = 120"));
    }

    void coloursStayWithTheirSeries()
    {
        SeriesColors colors;
        QCOMPARE(colors.indexOf(QStringLiteral("q=0.1")), 0);
        QCOMPARE(colors.indexOf(QStringLiteral("q=0.05")), 1);
        QCOMPARE(colors.indexOf(QStringLiteral("sweep:grid")), 2);
        QCOMPARE(colors.indexOf(QStringLiteral("q=0.1")), 0);  // asked again, in any order
        SeriesColors read;
        read.fromJson(colors.toJson());
        QCOMPARE(read.indexOf(QStringLiteral("q=0.05")), 1);
        QCOMPARE(read.indexOf(QStringLiteral("new")), 3);  // never an index in use
        QJsonObject gap{{QStringLiteral("a"), 0}, {QStringLiteral("b"), 5}};
        read.fromJson(gap);
        QCOMPARE(read.indexOf(QStringLiteral("c")), 6);
    }

    void pointsSurviveJson()
    {
        AsrPointSet set;
        AsrPoint a = point(0.2, 0.1, 0.3);
        a.prefixAsr = 0.55;
        a.utility = 0.97;
        a.incoherent = 0.01;
        a.incoherentSuccess = 0.0;
        a.prompts = 100;
        a.complete = true;
        a.rows = {GenerationRow{QStringLiteral("inst_basic"), QStringLiteral("How do I…"), QStringLiteral("Sure, here is"), true,
                                QStringLiteral("I cannot"), QStringLiteral("prefix: yes"), 0,
                                QStringLiteral("[llama-2]\n[INST] How do I… [/INST]")}};
        set.upsert(a);
        AsrPoint proj;
        proj.edit.kind = EditKind::Orthogonal;
        proj.edit.ru = 3;
        proj.edit.rs = 4;
        proj.asr = 1;
        proj.rankFraction = 0.02;
        set.upsert(proj);
        AsrPointSet back;
        QString error;
        QVERIFY2(back.fromJson(set.toJson(), &error), qPrintable(error));
        QCOMPARE(back.points().size(), 2);
        const AsrPoint &b = back.points()[0];
        QCOMPARE(b.key(), a.key());
        QCOMPARE(b.prefixAsr, 0.55);
        QCOMPARE(b.utility, 0.97);
        QVERIFY(std::isnan(back.points()[1].utility));  // unknown stays unknown
        QCOMPARE(b.rows.size(), 1);
        QCOMPARE(b.rows[0].unedited, QStringLiteral("I cannot"));
        QCOMPARE(b.rows[0].formatted, QStringLiteral("[llama-2]\n[INST] How do I… [/INST]"));
        QCOMPARE(back.points()[1].edit.rs, 4);
        // malformed entries are named
        QJsonArray bad = set.toJson();
        QJsonObject o = bad[0].toObject();
        o.insert(QStringLiteral("edit"), QStringLiteral("magic"));
        bad[0] = o;
        QVERIFY(!back.fromJson(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("ASR point 1")) && error.contains(QStringLiteral("magic")), qPrintable(error));
        QCOMPARE(back.points().size(), 2);  // unchanged on error
        o = set.toJson()[1].toObject();
        o.insert(QStringLiteral("setting"), QStringLiteral("sideways"));
        QVERIFY(!back.fromJson(QJsonArray{set.toJson()[0], o}, &error));
        QVERIFY2(error.contains(QStringLiteral("ASR point 2")) && error.contains(QStringLiteral("sideways")), qPrintable(error));
    }

    void numbersInTheUsersLocale()
    {
        QLocale::setDefault(QLocale(QLocale::German));
        QCOMPARE(percentText(0.125), QStringLiteral("12,5 %"));
        QCOMPARE(numberText(0.25), QStringLiteral("0,25"));
        SliderValues v;
        v.p = 0.25;
        v.q = 0.015;
        QCOMPARE(editText(v), QStringLiteral("p = 25 %, q = 1,5 %"));
        QLocale::setDefault(QLocale::c());
        QCOMPARE(percentText(0.125), QStringLiteral("12.5 %"));
        QCOMPARE(percentText(std::nan("")), QStringLiteral("—"));
        QCOMPARE(snapToGrid(0.1003), 0.1);
    }

    void jobsRunInOrderOnOneThread()
    {
        JobLane lane(QStringLiteral("test"));
        QObject context;
        std::vector<int> order;
        std::vector<std::thread::id> threads;
        QVector<JobId> ids;
        for (int i = 0; i < 4; ++i)
            ids << lane.run<int>(
                JobKind::Read, QStringLiteral("job %1").arg(i),
                [i, &threads](JobContext &) {
                    threads.push_back(std::this_thread::get_id());
                    return i * i;
                },
                &context, [&order](JobId, int r) { order.push_back(r); });
        QVERIFY(ids[0] < ids[1] && ids[1] < ids[2]);
        lane.waitForIdle();
        QCOMPARE(order, (std::vector<int>{0, 1, 4, 9}));
        QCOMPARE(threads.size(), size_t(4));
        for (const auto &t : threads)  // one long-lived worker, not the GUI thread
            QVERIFY(t == threads.front() && t != std::this_thread::get_id());
        QVERIFY(lane.isIdle());
    }

    void cancellingQueuedAndRunningJobs()
    {
        JobLane lane(QStringLiteral("test"));
        QObject context;
        std::atomic<bool> started{false};
        QVector<JobOutcome> outcomes(3, JobOutcome::Failed);
        QSignalSpy ended(&lane, &JobLane::ended);
        const JobId running = lane.post(
            JobKind::Evaluate, QStringLiteral("long"),
            [&started](JobContext &ctx) {
                started = true;
                for (;;) {
                    ctx.checkCancelled();
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            },
            &context, [&](JobId, JobOutcome o, const QString &) { outcomes[0] = o; });
        const JobId queued = lane.post(JobKind::Evaluate, QStringLiteral("queued"), [](JobContext &) {}, &context,
                                       [&](JobId, JobOutcome o, const QString &) { outcomes[1] = o; });
        lane.post(JobKind::Read, QStringLiteral("fails"), [](JobContext &) { throw std::runtime_error("the file is gone"); }, &context,
                  [&](JobId, JobOutcome o, const QString &m) {
                      outcomes[2] = o;
                      QCOMPARE(m, QStringLiteral("the file is gone"));
                  });
        QTRY_VERIFY(started);
        QVERIFY(lane.hasPending(JobKind::Evaluate));
        QCOMPARE(lane.runningId(), running);
        lane.cancelKind(JobKind::Evaluate);  // the running one stops at its next check, the queued one never starts
        Q_UNUSED(queued)
        lane.waitForIdle();
        QCOMPARE(outcomes[0], JobOutcome::Cancelled);
        QCOMPARE(outcomes[1], JobOutcome::Cancelled);
        QCOMPARE(outcomes[2], JobOutcome::Failed);
        QCOMPARE(ended.count(), 3);
        QVERIFY(!lane.hasPending(JobKind::Evaluate));
    }

    void aContinuationDiesWithItsContext()
    {
        JobLane lane(QStringLiteral("test"));
        bool ran = false;
        {
            QObject context;
            lane.post(JobKind::Read, QStringLiteral("late"), [](JobContext &) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); },
                      &context, [&ran](JobId, JobOutcome, const QString &) { ran = true; });
        }  // the window that asked is gone before the result arrives
        lane.waitForIdle();
        QVERIFY(!ran);
    }

    void theLatestRequestWins()
    {
        JobTracker t;
        const quint64 a = t.next(), b = t.next();
        QVERIFY(!t.isCurrent(a));
        QVERIFY(t.isCurrent(b));
        const quint64 epoch = t.current();
        t.invalidate();
        QVERIFY(!t.isCurrent(epoch));
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestPresenter)
#include "tst_presenter.moc"
