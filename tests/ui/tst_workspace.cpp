// SPDX-License-Identifier: MIT
// The workspace and its views, driven without a window as the headless figures drive them: what the
// views draw equals what the store answers; a live ASR point equals a direct evaluation and the same
// point of a sweep (one evaluator); points are objects (one per edit, selected by a click, saved in
// the workspace file with their generations); stale evaluations are superseded; the slow reads
// (mean scores, bases, a matrix) and the score job run in the background.
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/resources.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"
#include "fixtures.h"
#include "plot/qcp.h"
#include "uitestmain.h"
#include "viewset.h"
#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"
#include "workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cmath>

using namespace alignscope;
using namespace alignscope::ui;

namespace {

const std::string &data()
{
    static const std::string d = resourcesDir() + "/datasets/";
    return d;
}

/** A store of the demo model with SNIP (and optionally ActSVD) sets for the safety and utility datasets. */
struct DemoStore {
    QTemporaryDir dir;
    std::string path, snip[2], svd[2];
    explicit DemoStore(bool withBases = false)
    {
        path = QDir(dir.path()).filePath(QStringLiteral("demo.h5")).toStdString();
        for (ScoreMethod method : {ScoreMethod::Snip, ScoreMethod::ActSvd}) {
            if (method == ScoreMethod::ActSvd && !withBases)
                break;
            for (int k = 0; k < 2; ++k) {
                ScoreJob j;
                j.modelDir = defaultModelDir();
                j.dataFile = data() + (k == 0 ? "safety_full.csv" : "utility.csv");
                j.storePath = path;
                j.settings.method = method;
                j.settings.nsamples = 8;
                (method == ScoreMethod::Snip ? snip : svd)[k] = runScoreJob(j).set.name;
            }
        }
    }
    SelectionSpec setDifference(double p, double q) const
    {
        SelectionSpec s;
        s.safety = snip[0];
        s.utility = snip[1];
        s.p = p;
        s.q = q;
        return s;
    }
};

SliderValues at(double p, double q)
{
    SliderValues v;
    v.p = p;
    v.q = q;
    return v;
}

const AsrPoint *currentOf(const Workspace &ws) { return ws.points().find(ws.currentPoint()); }

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Settings::instance()->resetToDefaults(); }

    void drawsFromAStore()
    {
        DemoStore demo;
        SweepSpec sweep;
        sweep.name = "sd";
        sweep.selection = demo.setDifference(0, 0);
        sweep.ps = {0.2};
        sweep.qs = {0.1};
        sweep.prompts = data() + "harmful_eval.txt";
        sweep.limit = 4;
        sweep.asr.settings = {AsrSetting::Vanilla};
        sweep.asr.maxNewTokens = 8;
        runSweep(defaultModelDir(), demo.path, sweep);

        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY(!ws.openStore(demo.dir.filePath(QStringLiteral("missing.h5")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.h5")), qPrintable(error));
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        QCOMPARE(ws.modelDir(), QDir(QString::fromStdString(defaultModelDir())).absolutePath());  // its model opened
        ws.setSelection(at(0.2, 0.1));
        const int pi = nearestFractionIndex(0.2), qi = nearestFractionIndex(0.1);
        const SliderAnswer a = ws.store()->query(demo.snip[0], demo.snip[1], pi, qi, Granularity::WholeMatrix);
        QCOMPARE(views.layerMap()->layerCount(), 8);  // demo-chat's layers
        for (int l = 0; l < 8; ++l)
            for (int m = 0; m < 7; ++m) {
                const SliderCell &c = a.cells[size_t(l * 7 + m)];
                QCOMPARE(views.layerMap()->valueAt(l, m), double(c.removed) / double(c.numel));
            }
        QString text;
        QCOMPARE(ws.removed(text), a.actualSparsity());
        // the overlap view plots the Jaccard indices of the top p, as `overlap` reports them
        OverlapSpec o;
        o.safety = demo.snip[0];
        o.utility = demo.snip[1];
        o.p = fractionGrid()[size_t(pi)];
        const OverlapReport r = reportOverlap(*ws.store(), o);
        const auto &series = views.overlap()->series();
        QCOMPARE(series.size(), 9);
        for (int l = 0; l < 4; ++l) {
            QCOMPARE(series[6].y[l], r.jaccard[size_t(l * 7 + 6)]);  // down
            QCOMPARE(series[8].y[l], r.jaccardMlp[size_t(l)]);
        }
        // the layer map can show the Jaccard indices instead
        ws.setMapQuantity(MapQuantity::Jaccard);
        for (int l = 0; l < 4; ++l)
            QCOMPARE(views.layerMap()->valueAt(l, 6), r.jaccard[size_t(l * 7 + 6)]);
        ws.setMapQuantity(MapQuantity::Removed);
        // a matrix up close, read in the background, as matrixDetail computes it
        QSignalSpy matrixReady(&ws, &Workspace::matrixReady);
        QVERIFY2(ws.showMatrix(2, int(Matrix::Up), &error), qPrintable(error));
        ws.waitForIdle();
        QCOMPARE(matrixReady.count(), 1);
        const MatrixDetail md = matrixDetail(*ws.store(), demo.setDifference(fractionGrid()[size_t(pi)], fractionGrid()[size_t(qi)]), 2, Matrix::Up);
        QCOMPARE(views.matrix()->detail().removed, md.removed);
        QCOMPARE(views.matrix()->detail().removed, a.cells[2 * 7 + 5].removed);  // = the layer map's count
        QCOMPARE(views.matrix()->detail().removedFraction, md.removedFraction);
        QVERIFY(views.matrix()->figureTitle().contains(QStringLiteral("Layer 2, up")));
        QVERIFY(!ws.showMatrix(9, 0, &error));
        // a move of the controls redraws: a larger q removes more
        ws.setSelection(at(0.2, 0.2));
        const SliderAnswer b = ws.store()->query(demo.snip[0], demo.snip[1], pi, nearestFractionIndex(0.2), Granularity::WholeMatrix);
        QVERIFY(b.removed > a.removed);
        QCOMPARE(views.layerMap()->valueAt(3, 6), double(b.cells[27].removed) / double(b.cells[27].numel));
        // the sweep's points in the tradeoff view (CSV rows with their p, q); the ring at the sweep's (p, q)
        const SweepTable t = readSweep(demo.path, "sd");
        DataTable rows = views.tradeoff()->exportTable();
        QCOMPARE(rows.rowCount(), 2);  // baseline and (0.2, 0.1)
        const int y = int(rows.columns.indexOf(QStringLiteral("y"))), pc = int(rows.columns.indexOf(QStringLiteral("p")));
        QCOMPARE(rows.values[y][1], t.column("asr_vanilla")[1]);
        QCOMPARE(rows.values[pc][1], 0.2);
        QVERIFY(!views.tradeoff()->series().back().name.contains(QStringLiteral("current")));  // q = 0.2 was not evaluated
        ws.setSelection(at(0.2, 0.1));
        bool ringed = false;
        for (const Series &s : views.tradeoff()->series())
            ringed |= s.marker == Marker::Ring && s.x.value(0) == t.column("actual_sparsity")[1];
        QVERIFY(ringed);
        // clicking a sweep point moves the controls to it
        Q_EMIT views.tradeoff()->sweepPointClicked(at(0.05, 0.02));
        QCOMPARE(ws.selection().p, snapToGrid(0.05));
        QCOMPARE(ws.selection().q, snapToGrid(0.02));
        {
            // a copy whose sweep table lost a row: the store still opens, its scores drawn, the problem named
            const QString broken = demo.dir.filePath(QStringLiteral("broken-sweep.h5"));
            QVERIFY(QFile::copy(QString::fromStdString(demo.path), broken));
            QProcess py;
            py.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys, h5py\nf = h5py.File(sys.argv[1], 'r+')\ng = f['sweeps/sd']\n"
                                     "d = g['done'][:]\ndel g['done']\ng['done'] = d[:-1]\nf.close()"),
                      broken});
            QVERIFY(py.waitForFinished(60000));
            QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
            Workspace other;
            ViewSet otherViews(&other, nullptr);
            QSignalSpy said(&other, &Workspace::statusMessage);
            QVERIFY2(other.openStore(broken, &error), qPrintable(error));
            QVERIFY2(other.lastResult().contains(QStringLiteral("broken-sweep.h5")) && other.lastResult().contains(QStringLiteral("does not match")),
                     qPrintable(other.lastResult()));
            QVERIFY(!otherViews.layerMap()->isEmptyState());
            QCOMPARE(otherViews.tradeoff()->exportTable().rowCount(), 0);
        }
    }

    void followsAStoreThatShardsFill()
    {
        // the shards of a cluster run each merge their results into the store when they end (slurm submit):
        // an open store is read again by itself as they do, or on demand when the watch is off
        DemoStore demo;
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        QVERIFY(ws.watchesStore());
        QVERIFY(ws.session()->sweeps().empty());
        SweepSpec sweep;
        sweep.name = "grid";
        sweep.selection = demo.setDifference(0, 0);
        sweep.ps = {0.05, 0.2};
        sweep.qs = {0.1};
        sweep.prompts = data() + "harmful_eval.txt";
        sweep.limit = 4;
        sweep.asr.settings = {AsrSetting::Vanilla};
        sweep.asr.maxNewTokens = 8;
        auto doneIn = [&] {
            for (const SweepTable &t : ws.session()->sweeps())
                if (t.name == "grid")
                    return t.doneCount();
            return 0;
        };
        const std::string shard[3] = {QDir(demo.dir.path()).filePath(QStringLiteral("s0.h5")).toStdString(),
                                      QDir(demo.dir.path()).filePath(QStringLiteral("s1.h5")).toStdString(),
                                      QDir(demo.dir.path()).filePath(QStringLiteral("s2.h5")).toStdString()};
        for (int k = 0; k < 3; ++k)
            runSweep(defaultModelDir(), demo.path, sweep, SweepShard{k, 3}, nullptr, shard[k]);
        mergeStores(demo.path, {shard[0]});
        QTRY_COMPARE_WITH_TIMEOUT(doneIn(), 1, 20000);
        QVERIFY2(ws.lastResult().contains(QStringLiteral("grid 1/3 points")), qPrintable(ws.lastResult()));
        mergeStores(demo.path, {shard[1]});
        QTRY_COMPARE_WITH_TIMEOUT(doneIn(), 2, 20000);
        // not watched: unchanged until reloaded
        ws.setWatchStore(false);
        mergeStores(demo.path, {shard[2]});
        QTest::qWait(2500);
        QCOMPARE(doneIn(), 2);
        QVERIFY2(ws.reloadStore(&error), qPrintable(error));
        QCOMPARE(doneIn(), 3);
        // the tradeoff view draws the sweep's points
        bool drawn = false;
        for (const Series &s : views.tradeoff()->series())
            drawn |= s.x.size() >= 2;
        QVERIFY(drawn);
    }

    void aLivePointIsTheSweepsPoint()
    {
        // one evaluator: the point evaluated live at (p, q) and the same point of a sweep that measures what a
        // live point measures (written here as a user writes it on the command line) are the same numbers
        DemoStore demo;
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        ws.setSelection(at(0.1, 0.2));  // an edit where every number is above 0 (ASR, incoherent, utility loss)
        QSignalSpy evaluated(&ws, &Workspace::pointEvaluated);
        ws.evaluateCurrent();
        ws.waitForIdle();
        QCOMPARE(evaluated.count(), 2);  // the ASR as soon as it is known, then the rest
        const AsrPoint *pt = currentOf(ws);
        QVERIFY(pt && pt->complete);
        QCOMPARE(ws.points().points().size(), 1);
        SweepSpec sweep;  // `sweep --prompts harmful_eval.txt --limit 100 --asr vanilla --judge keyword,prefix --prefix
        sweep.name = "live";  //  "Sure, here is" --coherence --utility utility_mc.jsonl --utility-limit 10 --p 0.2 --q 0.1`
        sweep.selection = demo.setDifference(0, 0);
        sweep.ps = {fractionGrid()[size_t(nearestFractionIndex(0.1))]};
        sweep.qs = {fractionGrid()[size_t(nearestFractionIndex(0.2))]};
        sweep.prompts = data() + "harmful_eval.txt";
        sweep.limit = 100;
        sweep.asr.settings = {AsrSetting::Vanilla};
        sweep.judges = "keyword,prefix";
        sweep.prefix.any = {"Sure, here is"};
        sweep.coherence = true;
        sweep.utility = {data() + "utility_mc.jsonl"};
        sweep.utilityLimit = 10;
        sweep.baseline = false;
        const SweepTable t = runSweep(defaultModelDir(), demo.path, sweep).table;
        QCOMPARE(pt->asr, t.column("asr_vanilla")[0]);
        QCOMPARE(pt->prefixAsr, t.column("asr_vanilla_prefix")[0]);
        QCOMPARE(pt->incoherent, t.column("incoherent_vanilla")[0]);
        QCOMPARE(pt->incoherentSuccess, t.column("incoherent_success_vanilla")[0]);
        QCOMPARE(pt->coherenceThreshold, t.column("coherence_threshold")[0]);
        QCOMPARE(pt->utility, t.column("utility")[0]);
        QCOMPARE(pt->actualSparsity, t.column("actual_sparsity")[0]);
        qInfo("live point = sweep point: ASR %.2f, prefix %.2f, incoherent %.2f, utility %.3f", pt->asr, pt->prefixAsr,
              pt->incoherent, pt->utility);

        // and both equal a direct evaluation of the edited model (keyword ASR), with the unedited model's whole
        // responses beside the edited ones
        auto model = Model::load(defaultModelDir());
        auto tok = Tokenizer::load(defaultModelDir());
        const auto goals = readHarmfulPrompts(data() + "harmful_eval.txt", {}, 100);
        AsrOptions vanilla;
        vanilla.settings = {AsrSetting::Vanilla};
        vanilla.earlyStop = false;
        const AsrResult unedited = evaluateAsr(*model, *tok, goals, vanilla).front();
        {
            ModelEdit edit(*model);
            edit.apply(*ws.store(), demo.setDifference(sweep.ps[0], sweep.qs[0]));
            QCOMPARE(pt->asr, evaluateAsr(*model, *tok, goals, vanilla).front().asr);
        }
        QCOMPARE(pt->rows.size(), 100);
        for (int row = 0; row < 100; ++row)
            QCOMPARE(pt->rows[row].unedited, QString::fromStdString(unedited.generations[size_t(row)].response));
        QVERIFY(pt->rows[0].judges.contains(QStringLiteral("prefix: ")));
        QCOMPARE(views.generations()->model()->rowCount(), 100);
        QVERIFY(views.generations()->caption().contains(QStringLiteral("p = 10 %, q = 20 %")));
        // the point is drawn and ringed as the current edit
        bool drawn = false, ringed = false;
        for (const Series &s : views.tradeoff()->series()) {
            drawn |= s.marker == Marker::Disc && s.x.contains(pt->actualSparsity) && s.y.contains(pt->asr);
            ringed |= s.marker == Marker::Ring && s.x.value(0) == pt->actualSparsity && s.y.value(0) == pt->asr;
        }
        QVERIFY(drawn && ringed);
        QVERIFY(ws.activity().text.isEmpty());  // the job ended, so did its status; the result stays
        QVERIFY2(ws.lastResult().contains(QStringLiteral("ASR")), qPrintable(ws.lastResult()));
    }

    void pointsAreObjects()
    {
        DemoStore demo;
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        // a newer position supersedes a stale evaluation: the stale one stops, the newest is measured
        ws.setSelection(at(0.1, 0.05));
        ws.evaluateCurrent();
        ws.setSelection(at(0.2, 0.05));
        ws.evaluateCurrent();
        ws.waitForIdle();
        QVERIFY(currentOf(ws) && currentOf(ws)->complete);
        const AsrPoint b = *currentOf(ws);  // a copy: the set may move its points as it grows
        QCOMPARE(b.edit.p, snapToGrid(0.2));
        QVERIFY(ws.points().points().size() <= 2);
        // evaluating an edit that is measured does nothing: no job, no second point
        const int before = int(ws.points().points().size());
        ws.evaluateCurrent();
        QVERIFY(ws.engineLane()->isIdle());
        QCOMPARE(int(ws.points().points().size()), before);
        // one line per q: a second q is a second line, and the first line keeps its colour
        ws.setSelection(at(0.1, 0.05));
        ws.evaluateCurrent();
        ws.waitForIdle();
        const TradeoffOptions byQ;
        const int firstColor = ws.colors().indexOf(AsrPointSet::seriesKey(b, byQ.seriesBy));
        auto liveLines = [&] {
            int n = 0;
            for (const Series &s : views.tradeoff()->series())
                n += s.marker == Marker::Disc;
            return n;
        };
        QCOMPARE(liveLines(), 1);
        ws.setSelection(at(0.2, 0.1));
        ws.evaluateCurrent();
        ws.waitForIdle();
        QCOMPARE(liveLines(), 2);
        QCOMPARE(ws.colors().indexOf(AsrPointSet::seriesKey(*ws.points().find(b.id), byQ.seriesBy)), firstColor);
        // selecting a point (a click in the tradeoff) makes its edit the current one: controls, views, generations
        const int bId = b.id;
        Q_EMIT views.tradeoff()->pointClicked(bId);
        QCOMPARE(ws.currentPoint(), bId);
        QCOMPARE(ws.selection().p, snapToGrid(0.2));
        QCOMPARE(ws.selection().q, snapToGrid(0.05));
        QVERIFY(views.generations()->caption().startsWith(QStringLiteral("p = 20 %, q = 5 %")));
        QCOMPARE(views.generations()->model()->rowCount(), 100);
        const SliderAnswer a = ws.store()->query(demo.snip[0], demo.snip[1], nearestFractionIndex(0.2), nearestFractionIndex(0.05),
                                                 Granularity::WholeMatrix);
        QCOMPARE(views.layerMap()->valueAt(1, 2), double(a.cells[9].removed) / double(a.cells[9].numel));
        // the hover text names the edit and every number measured there
        views.tradeoff()->resize(600, 400);
        views.tradeoff()->show();
        QVERIFY(QTest::qWaitForWindowExposed(views.tradeoff()));
        QCustomPlot *p = views.tradeoff()->plot();
        p->replot();
        const AsrPoint *sel = ws.points().find(bId);
        const QPoint pixel(int(p->xAxis->coordToPixel(sel->actualSparsity)), int(p->yAxis->coordToPixel(sel->asr)));
        QCOMPARE(views.tradeoff()->markerAt(pixel), bId);
        const QString tip = views.tradeoff()->toolTipAt(pixel);
        for (const QString &part : {QStringLiteral("p = 20 %, q = 5 %"), QStringLiteral("actual sparsity"),
                                    QStringLiteral("keyword judge"), QStringLiteral("prefix judge"), QStringLiteral("utility")})
            QVERIFY2(tip.contains(part), qPrintable(tip));
        // a list of edits queues behind each other; moving the controls supersedes only the controls' own evaluation
        const int listed = int(ws.points().points().size());
        ws.evaluate(at(0.05, 0.02), false);
        ws.evaluate(at(0.3, 0.02), false);
        ws.setSelection(at(0.5, 0.02));
        ws.evaluateCurrent();
        ws.setSelection(at(0.5, 0.05));
        ws.evaluateCurrent();
        ws.waitForIdle();
        for (const SliderValues &v : {at(0.05, 0.02), at(0.3, 0.02), at(0.5, 0.05)}) {
            AsrPoint key = b;
            key.edit.p = snapToGrid(v.p);
            key.edit.q = snapToGrid(v.q);
            const AsrPoint *measured = ws.points().find(ws.points().idOf(key.key()));
            QVERIFY2(measured && measured->complete, qPrintable(key.key()));
        }
        QVERIFY(int(ws.points().points().size()) >= listed + 3);
        // log x keeps every point (all sparsities are > 0)
        TradeoffOptions o = views.tradeoff()->options();
        o.logX = true;
        views.tradeoff()->setOptions(o);
        QCOMPARE(ws.viewOptions().tradeoff.logX, true);
        QCOMPARE(views.tradeoff()->plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(views.tradeoff()->exportTable().rowCount(), int(ws.points().points().size()));
    }

    void workspaceFilesKeepEverything()
    {
        DemoStore demo;
        QString error;
        const QString file = demo.dir.filePath(QStringLiteral("w.alignscope.json"));
        AsrPoint saved;
        {
            Workspace ws;
            QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
            SliderValues v = at(0.2, 0.05);
            v.setting = AsrSetting::NoSys;
            ws.setSelection(v);
            ws.evaluateCurrent();
            ws.waitForIdle();
            saved = *currentOf(ws);
            ViewOptions o = ws.viewOptions();
            o.tradeoff.logX = true;
            o.tradeoff.seriesBy = SeriesBy::FixedP;
            o.mapScale = ColorScale{true, 0.25, true};
            o.view = 1;
            ws.setViewOptions(o);
            ws.colors().indexOf(QStringLiteral("some/other/series"));
            QVERIFY2(ws.save(file, &error), qPrintable(error));
        }
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QVERIFY2(ws.load(file, &error), qPrintable(error));
        QCOMPARE(QString::fromStdString(ws.store()->path()), QString::fromStdString(demo.path));
        QCOMPARE(ws.selection().setting, AsrSetting::NoSys);
        QCOMPARE(ws.selection().q, snapToGrid(0.05));
        QCOMPARE(ws.points().points().size(), 1);
        const AsrPoint *pt = currentOf(ws);  // the point is the current edit again, ringed, with its generations
        QVERIFY(pt);
        QCOMPARE(pt->asr, saved.asr);
        QCOMPARE(pt->utility, saved.utility);
        QCOMPARE(pt->incoherentSuccess, saved.incoherentSuccess);
        QCOMPARE(pt->rows.size(), saved.rows.size());
        QCOMPARE(pt->rows[3].response, saved.rows[3].response);
        QCOMPARE(pt->rows[3].unedited, saved.rows[3].unedited);
        QCOMPARE(ws.viewOptions().tradeoff.logX, true);
        QCOMPARE(ws.viewOptions().tradeoff.seriesBy, SeriesBy::FixedP);
        QCOMPARE(ws.viewOptions().mapScale.max, 0.25);
        QCOMPARE(ws.viewOptions().view, 1);
        QCOMPARE(views.layerMap()->colorRange(), std::make_pair(0.0, 0.25));
        QCOMPARE(ws.colors().indexOf(QStringLiteral("some/other/series")), 0);  // colours kept
        QCOMPARE(ws.colors().indexOf(AsrPointSet::seriesKey(*pt, SeriesBy::FixedP)), 1);
        QCOMPARE(views.generations()->model()->rowCount(), int(saved.rows.size()));
        ws.waitForIdle();
        QVERIFY(ws.engineLane()->isIdle());  // measured: not evaluated again
        // bad files are named, and nothing opens
        using alignscope::test::writeFile;
        const QString dir = demo.dir.path();
        struct Bad {
            const char *name, *json, *why;
        } bad[] = {{"bad.json", "{\"format\": \"other\"}", "not an AlignScope workspace"},
                   {"setting.json", "{\"format\": \"alignscope-workspace\", \"asr_setting\": \"bogus\"}", "bogus"},
                   {"probing.json", "{\"format\": \"alignscope-workspace\", \"probing\": \"/nonexistent/p.json\"}", "/nonexistent/p.json"},
                   {"points.json", "{\"format\": \"alignscope-workspace\", \"asr_points\": [{\"edit\": \"set_difference\", \"setting\": \"vanilla\", \"asr\": 0.5}]}",
                    "ASR point 1: a set difference needs p and q"},
                   {"newer.json", "{\"format\": \"alignscope-workspace\", \"version\": 99}", "newer"},
                   {"broken.json", "{\"format\": ", "not JSON"}};
        for (const Bad &b : bad) {
            Workspace other;
            const QString path = writeFile(dir, QString::fromLatin1(b.name), b.json);
            QVERIFY(!other.load(path, &error));
            QVERIFY2(error.contains(QString::fromLatin1(b.name)) && error.contains(QString::fromLatin1(b.why)), qPrintable(error));
            QVERIFY(!other.store());
        }
    }

    void editKindsQuantitiesAndHeads()
    {
        DemoStore demo(true);
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        auto store = Store::open(demo.path);
        const auto &shapes = store->shapes();
        // the estimate of a score job for the demo's two datasets, computed in the background
        ws.waitForIdle();
        QVERIFY2(ws.estimate().contains(QStringLiteral("256 examples")), qPrintable(ws.estimate()));
        ScoreJobSettings job = ws.scoreJob();
        job.nsamples = 16;
        ws.setScoreJob(job);
        QTRY_VERIFY2(ws.estimate().contains(QStringLiteral("32 examples")), qPrintable(ws.estimate()));
        job.maxLength = 8;  // shorter than every demo prompt: no response token would be left (issue 16: an error)
        ws.setScoreJob(job);
        QTRY_VERIFY2(ws.estimate().contains(QStringLiteral("leaves none of its response")), qPrintable(ws.estimate()));
        job.maxLength = 60;  // cuts the long examples: at most 32 × 60 tokens
        ws.setScoreJob(job);
        QTRY_VERIFY2(ws.estimate().contains(QStringLiteral("32 examples")), qPrintable(ws.estimate()));
        const QRegularExpressionMatch tokens = QRegularExpression(QStringLiteral("32 examples, ([0-9,]+) tokens")).match(ws.estimate());
        QVERIFY2(tokens.hasMatch() && QString(tokens.captured(1)).remove(QLatin1Char(',')).toInt() <= 32 * 60, qPrintable(ws.estimate()));
        job.maxLength = 0;
        job.safety = demo.dir.filePath(QStringLiteral("none.csv"));
        ws.setScoreJob(job);
        QTRY_VERIFY2(ws.estimate().contains(QStringLiteral("none.csv")), qPrintable(ws.estimate()));
        job.safety = QString::fromStdString(data() + "safety_full.csv");
        ws.setScoreJob(job);

        // mean safety score: read in the background, then log10 of a plain average of the stored scores
        ws.setMapQuantity(MapQuantity::MeanScore);
        QVERIFY(views.layerMap()->isEmptyState());
        QVERIFY2(views.layerMap()->emptyText().startsWith(QStringLiteral("Reading")), qPrintable(views.layerMap()->emptyText()));
        ws.waitForIdle();
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m) {
                double sum = 0;
                const std::vector<float> v = store->scores(demo.snip[0], l, Matrix(m));
                for (float x : v)
                    sum += x;
                QVERIFY(std::abs(views.layerMap()->valueAt(l, m) - std::log10(sum / double(v.size()))) < 1e-9);
            }
        // pruning at s: every row loses floor(s · d_in) weights
        ws.setMapQuantity(MapQuantity::Removed);
        SliderValues v = ws.selection();
        v.kind = EditKind::PruneTopDown;
        v.s = 0.3;
        ws.setSelection(v);
        for (int m = 0; m < 7; ++m) {
            const MatrixShape &sh = shapes[size_t(m)];
            QCOMPARE(views.layerMap()->valueAt(1, m), double(sh.rows * std::int64_t(0.3 * double(sh.cols))) / double(sh.numel()));
        }
        // the projection: the §7 bound min(d_out − d_u, d_s) until evaluated, then the exact ranks
        QCOMPARE(v.ru, 112);  // 7/8 and 15/16 of m = 128
        QCOMPARE(v.rs, 120);
        v.kind = EditKind::Orthogonal;
        v.setting = AsrSetting::NoSys;
        ws.setSelection(v);
        for (int m = 0; m < 7; ++m) {
            const MatrixShape &sh = shapes[size_t(m)];
            const std::int64_t full = std::min(sh.rows, sh.cols), du = full - 112, ds = full - 120;
            QCOMPARE(views.layerMap()->valueAt(2, m), double(std::min(sh.rows - du, ds)) / double(full));
        }
        ws.evaluateCurrent();
        ws.waitForIdle();
        SelectionSpec proj;
        proj.kind = SelectionKind::Orthogonal;
        proj.safetyBasis = demo.svd[0];
        proj.utilityBasis = demo.svd[1];
        proj.ru = 112;
        proj.rs = 120;
        const SelectionReport exact = reportSelection(*store, proj);  // loads the model itself
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m)
                QCOMPARE(views.layerMap()->valueAt(l, m), double(exact.removed[size_t(l * 7 + m)]) / double(exact.capacity[size_t(l * 7 + m)]));
        const AsrPoint *pt = currentOf(ws);
        QVERIFY(pt);
        QCOMPARE(pt->edit.setting, AsrSetting::NoSys);
        QCOMPARE(pt->rankFraction, exact.fraction());
        auto model = Model::load(defaultModelDir());
        auto tok = Tokenizer::load(defaultModelDir());
        const auto goals = readHarmfulPrompts(data() + "harmful_eval.txt", {}, 100);
        AsrOptions nosys;
        nosys.settings = {AsrSetting::NoSys};
        {
            ModelEdit edit(*model);
            edit.apply(*store, proj);
            QCOMPARE(pt->asr, evaluateAsr(*model, *tok, goals, nosys).front().asr);
        }
        QString text;
        ws.removed(text);
        QVERIFY2(text.contains(QLocale().toString(qlonglong(exact.removedTotal))) || text.contains(QString::number(exact.removedTotal)),
                 qPrintable(text));
        // subspace similarity of the two subspaces the projection uses, as `overlap` reports it (read in the background)
        ws.setMapQuantity(MapQuantity::Subspace);
        ws.waitForIdle();
        OverlapSpec sub;
        sub.safetyBasis = demo.svd[0];
        sub.utilityBasis = demo.svd[1];
        sub.rs = 8;
        sub.ru = 16;
        const OverlapReport o = reportOverlap(*store, sub);
        QCOMPARE(views.layerMap()->valueAt(3, 4), o.subspace[size_t(3 * 7 + 4)]);
        // and the overlap view plots them per layer, one line per matrix, attention and MLP pooled
        views.overlap()->setSubspace(true);
        ws.waitForIdle();
        const auto &lines = views.overlap()->series();
        QCOMPARE(lines.size(), 9);
        for (int l = 0; l < 4; ++l) {
            QCOMPARE(lines[4].y[l], o.subspace[size_t(l * 7 + 4)]);
            QCOMPARE(lines[7].y[l], o.subspaceAttention[size_t(l)]);
            QCOMPARE(lines[8].y[l], o.subspaceMlp[size_t(l)]);
        }
        views.overlap()->setSubspace(false);

        // heads: a probing file of the reference's form; the ablation's ASR is a direct evaluation's
        HeadsView *heads = views.heads();
        const QString badProbing = alignscope::test::writeFile(demo.dir.path(), QStringLiteral("bad.json"),
                                                               R"({"layer-0-head-0": 0.9, "layer-0-head-1": 0.8})");
        QVERIFY(!ws.openProbing(badProbing, &error));
        QVERIFY2(error.contains(QStringLiteral("bad.json")) && error.contains(QStringLiteral("1 layers")), qPrintable(error));
        QString json = QStringLiteral("{");
        for (int l = 0; l < 8; ++l)
            for (int h = 0; h < 4; ++h)
                json += QStringLiteral("%1\"layer-%2-head-%3\": %4").arg(l || h ? QStringLiteral(",") : QString()).arg(l).arg(h).arg((l * 4 + h) % 5 / 4.0);
        json += QLatin1Char('}');
        const QString good = alignscope::test::writeFile(demo.dir.path(), QStringLiteral("probing.json"), json.toUtf8());
        QVERIFY2(ws.openProbing(good, &error), qPrintable(error));
        QCOMPARE(heads->valueAt(2, 1), double(9 % 5) / 4.0);
        QCOMPARE(heads->columns().size(), 4);
        heads->setHeadCount(3);
        const std::vector<HeadRef> chosen = heads->chosenHeads();  // the three at accuracy 1
        QCOMPARE(chosen.size(), size_t(3));
        for (const HeadRef &h : chosen)
            QCOMPARE((h.layer * 4 + h.head) % 5, 4);
        QVERIFY2(ws.evaluateAblation(chosen, HeadAblation::Reference, QStringLiteral("3 heads"), &error), qPrintable(error));
        ws.waitForIdle();
        {
            ModelEdit edit(*model);
            const std::int64_t zeroed = edit.ablateHeads(chosen, HeadAblation::Reference);
            const double asr = evaluateAsr(*model, *tok, goals, nosys).front().asr;
            const QString expected = QStringLiteral("%1 weights zeroed. ASR %2").arg(QLocale().toString(qlonglong(zeroed)), numberText(asr, 2));
            QVERIFY2(heads->result().contains(expected), qPrintable(heads->result() + QStringLiteral(" / ") + expected));
        }
        // probing the demo here: 8 × 4 accuracies in [0, 1]
        QVERIFY2(ws.probeHeads(&error), qPrintable(error));
        ws.waitForIdle();
        QCOMPARE(heads->probing().layers, 8);
        for (double a : heads->probing().accuracy)
            QVERIFY(a >= 0 && a <= 1);
        QVERIFY(!heads->isEmptyState());
    }

    void computesScoresInTheBackgroundAndCancels()
    {
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openModel(QString::fromStdString(defaultModelDir()), &error), qPrintable(error));
        // the demo's datasets are filled in; no store yet in the (temporary) data folder
        QVERIFY(ws.scoreJob().safety.endsWith(QStringLiteral("safety_full.csv")));
        QVERIFY(!ws.store());
        const QString storePath = Workspace::defaultStorePath(ws.modelDir());
        QVERIFY(!storePath.isEmpty() && !QFileInfo::exists(storePath));
        ScoreJobSettings job = ws.scoreJob();
        job.nsamples = 6;
        ws.setScoreJob(job);
        QVERIFY(views.layerMap()->emptyText().startsWith(QStringLiteral("No scores computed")));
        // cancelled at once: nothing committed, the views say where to compute scores again
        QVERIFY2(ws.computeScores(&error), qPrintable(error));
        QVERIFY(ws.isScoring());
        QVERIFY2(views.layerMap()->emptyText().contains(QStringLiteral("Computing SNIP scores")), qPrintable(views.layerMap()->emptyText()));
        QVERIFY(!ws.computeScores(&error));  // one score job at a time
        ws.engineLane()->cancelKind(JobKind::Score);
        ws.waitForIdle();
        QVERIFY(!ws.isScoring());
        QVERIFY(!ws.store() || ws.store()->sets().empty());
        QVERIFY2(ws.lastResult().contains(QStringLiteral("cancelled")), qPrintable(ws.lastResult()));
        QVERIFY2(views.layerMap()->emptyText().startsWith(QStringLiteral("No scores computed")), qPrintable(views.layerMap()->emptyText()));
        // run to the end: both sets in the store, which is open and drawn; the activity ends with the job
        QSignalSpy progress(ws.engineLane(), &JobLane::progress);
        QVERIFY2(ws.computeScores(&error), qPrintable(error));
        ws.waitForIdle();
        QVERIFY(progress.count() > 0);
        QVERIFY(ws.store());
        QCOMPARE(ws.store()->sets().size(), size_t(2));
        QCOMPARE(QString::fromStdString(ws.store()->path()), storePath);
        QVERIFY(!views.layerMap()->isEmptyState());
        QVERIFY(!ws.activity().busy);
        QVERIFY2(ws.lastResult().contains(QStringLiteral("done")), qPrintable(ws.lastResult()));
        // opened again, the model finds its scores
        Workspace again;
        QVERIFY(again.openModel(QString::fromStdString(defaultModelDir()), &error));
        QVERIFY(again.store());
        QCOMPARE(again.store()->sets().size(), size_t(2));
        // a missing dataset is named
        job.utility = QStringLiteral("/nonexistent/utility.csv");
        ws.setScoreJob(job);
        QVERIFY(!ws.computeScores(&error));
        QVERIFY2(error.contains(QStringLiteral("utility.csv")), qPrintable(error));
        QFile::remove(storePath);
    }

    void theFigureSetIsTheCommandLines()
    {
        // File ▸ Export figures (the figure set) and `alignscope-figures store` write the same files
        DemoStore demo;
        Workspace ws;
        ViewSet views(&ws, nullptr);
        QString error;
        QVERIFY2(ws.openStore(QString::fromStdString(demo.path), &error), qPrintable(error));
        QVERIFY(ws.showMatrix(0, 0, &error));
        ws.waitForIdle();
        FigureStyle style = *FigureStyle::preset(QStringLiteral("single"));
        style.dpi = 600;
        const QString mine = demo.dir.filePath(QStringLiteral("app")), theirs = demo.dir.filePath(QStringLiteral("cli"));
        const QStringList files = views.exportFigureSet(mine, style, &error);
        QVERIFY2(!files.isEmpty(), qPrintable(error));
        QProcess p;
        p.start(QStringLiteral(ALIGNSCOPE_FIGURES), {QStringLiteral("store"), QStringLiteral("--store"), QString::fromStdString(demo.path),
                                                     QStringLiteral("--size"), QStringLiteral("single"), QStringLiteral("--out"), theirs});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        for (const char *name : {"layer-map", "overlap"}) {
            const QString a = mine + QLatin1Char('/') + QLatin1String(name), b = theirs + QLatin1Char('/') + QLatin1String(name);
            QFile fa(a + QStringLiteral(".csv")), fb(b + QStringLiteral(".csv"));
            QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
            QCOMPARE(fa.readAll(), fb.readAll());
            QCOMPARE(QImage(a + QStringLiteral(".png")).size(), QImage(b + QStringLiteral(".png")).size());
        }
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
