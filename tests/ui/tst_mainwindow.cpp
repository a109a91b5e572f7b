// SPDX-License-Identifier: MIT
// The main window: it opens with every panel, menu and empty state, opens a model folder, draws
// the layer map, overlap and tradeoff views from a store exactly as the store answers,
// reports a broken one, persists its geometry, and closes cleanly.
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/tokenizer.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/resources.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "fixtures.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "plot/plotview.h"
#include "settings.h"
#include "uitestmain.h"
#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"

#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>

#include "plot/qcp.h"

using namespace alignscope::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Settings::instance()->resetToDefaults(); }

    void hasItsPanels()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (const char *name : {"modelDock", "sliderDock"}) {
            auto *dock = w.findChild<QDockWidget *>(QLatin1String(name));
            QVERIFY2(dock && dock->isVisible(), name);
        }
        QVERIFY(w.findChild<ModelPanel *>(QStringLiteral("modelPanel")));
        QVERIFY(w.findChild<SliderPanel *>(QStringLiteral("sliderPanel")));
        auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("views"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 6);
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names << tabs->widget(i)->objectName();
        QCOMPARE(names, (QStringList{QStringLiteral("layerMapView"), QStringLiteral("overlapView"),
                                     QStringLiteral("tradeoffView"), QStringLiteral("generationsView"),
                                     QStringLiteral("matrixView"), QStringLiteral("headsView")}));
        auto *progress = w.findChild<QProgressBar *>(QStringLiteral("progressBar"));
        auto *cancel = w.findChild<QToolButton *>(QStringLiteral("cancelButton"));
        QVERIFY(progress && progress->isVisible());
        QVERIFY(cancel && cancel->isVisible());
        QVERIFY(!cancel->isEnabled());  // no job running
        for (const char *name : {"pSlider", "qSlider", "sSlider"})
            QVERIFY2(w.findChild<QSlider *>(QLatin1String(name)), name);
        for (const char *name : {"ruSpin", "rsSpin"})
            QVERIFY2(w.findChild<QSpinBox *>(QLatin1String(name)), name);
    }

    void hasItsMenus()
    {
        MainWindow w;
        for (const char *name : {"actionOpenModel", "actionOpenStore", "actionExportFigure", "actionQuit", "actionAbout"})
            QVERIFY2(w.findChild<QAction *>(QLatin1String(name)), name);
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuRecent")));
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuLanguage")));
        QCOMPARE(w.findChild<QAction *>(QStringLiteral("actionOpenModel"))->shortcut(), QKeySequence(QKeySequence::Open));
        // Open store has no store format to read yet: it must not pretend to work
        QVERIFY(w.findChild<QAction *>(QStringLiteral("actionOpenStore"))->isEnabled());
        // export works on plot views, not on the generations table
        auto *exportAction = w.findChild<QAction *>(QStringLiteral("actionExportFigure"));
        w.views()->setCurrentIndex(0);
        QVERIFY(exportAction->isEnabled());
        w.views()->setCurrentIndex(3);
        QVERIFY(!exportAction->isEnabled());
        QVERIFY(!w.currentPlotView());
    }

    void honestEmptyStates()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (PlotView *v : {static_cast<PlotView *>(w.layerMap()), static_cast<PlotView *>(w.overlap()),
                            static_cast<PlotView *>(w.tradeoff())}) {
            QVERIFY(v->isEmptyState());
            QCOMPARE(v->findChild<QLabel *>(QStringLiteral("emptyState"))->text(), QStringLiteral("No model loaded"));
            QCOMPARE(v->exportTable().rowCount(), 0);
            QCOMPARE(v->plot()->graphCount(), 0);
        }
        QCOMPARE(w.generations()->model()->rowCount(), 0);
        QVERIFY(w.headsView()->isEmptyState());
        QVERIFY(!w.headsView()->findChild<QPushButton *>(QStringLiteral("evaluateAblation"))->isEnabled());
        QCOMPARE(w.findChild<QLabel *>(QStringLiteral("actualSparsity"))->text(), QStringLiteral("—"));
    }

    void aboutNamesTheVersions()
    {
        const QString about = MainWindow::aboutText();
        QVERIFY(about.contains(QString::fromLatin1(qVersion())));
        QVERIFY(about.contains(QStringLiteral(QCUSTOMPLOT_VERSION_STR)));
        QVERIFY(about.contains(QStringLiteral("libtorch")));
        QVERIFY(about.contains(QStringLiteral("HDF5")));
        QVERIFY(about.contains(QStringLiteral(ALIGNSCOPE_VERSION)));
    }

    void opensAModelFolder()
    {
        QTemporaryDir dir;
        alignscope::test::writeFile(dir.path(), QStringLiteral("config.json"),
                                    alignscope::test::tinyLlamaConfigJson().toUtf8());
        MainWindow w;
        QString error;
        QVERIFY2(w.openModel(dir.path(), &error), qPrintable(error));
        QCOMPARE(w.modelPanel()->modelDir(), QDir(dir.path()).absolutePath());
        const QString panelText = [&] {
            QString all;
            for (QLabel *l : w.modelPanel()->findChildren<QLabel *>())
                all += l->text() + QLatin1Char('\n');
            return all;
        }();
        QVERIFY2(panelText.contains(QStringLiteral("LlamaForCausalLM")), qPrintable(panelText));
        QVERIFY(panelText.contains(QStringLiteral("4 (2 key/value)")));
        QVERIFY(w.modelPanel()->findChild<QLabel *>(QStringLiteral("memoryEstimate"))->text().contains(QStringLiteral("to generate")));
        QCOMPARE(Settings::instance()->recentFiles().value(0), QDir(dir.path()).absolutePath());
        QCOMPARE(w.findChild<QSpinBox *>(QStringLiteral("ruSpin"))->maximum(), 64);  // min(d_out, d_in) of q
        QVERIFY(w.layerMap()->isEmptyState());
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuRecent"))->isEnabled());
    }

    void drawsFromAStore()
    {
        // a store of the bundled demo model: SNIP safety and utility scores (small), a 2-point sweep
        using namespace alignscope;
        QTemporaryDir dir;
        const std::string model = defaultModelDir(), data = resourcesDir() + "/datasets/";
        QVERIFY(!model.empty());
        const std::string path = QDir(dir.path()).filePath(QStringLiteral("demo.h5")).toStdString();
        std::string sets[2];
        for (int k = 0; k < 2; ++k) {
            ScoreJob j;
            j.modelDir = model;
            j.dataFile = data + (k == 0 ? "safety_full.csv" : "utility.csv");
            j.storePath = path;
            j.settings.nsamples = 8;
            sets[k] = runScoreJob(j).set.name;
        }
        SweepSpec sweep;
        sweep.name = "sd";
        sweep.selection.safety = sets[0];
        sweep.selection.utility = sets[1];
        sweep.ps = {0.2};
        sweep.qs = {0.1};
        sweep.prompts = data + "harmful_eval.txt";
        sweep.limit = 4;
        sweep.asr.settings = {AsrSetting::Vanilla};
        sweep.asr.maxNewTokens = 8;
        runSweep(model, path, sweep);

        MainWindow w;
        QString error;
        QVERIFY(!w.openStore(dir.filePath(QStringLiteral("missing.h5")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.h5")), qPrintable(error));
        QVERIFY2(w.openStore(QString::fromStdString(path), &error), qPrintable(error));
        QCOMPARE(w.modelPanel()->modelDir(), QDir(QString::fromStdString(model)).absolutePath());  // its model opened
        SliderValues v;
        v.p = 0.2;
        v.q = 0.1;
        w.sliderPanel()->setValues(v);
        const int pi = nearestFractionIndex(0.2), qi = nearestFractionIndex(0.1);
        const SliderAnswer a = w.store()->query(sets[0], sets[1], pi, qi, Granularity::WholeMatrix);
        QCOMPARE(w.layerMap()->layerCount(), 4);
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m) {
                const SliderCell &c = a.cells[size_t(l * 7 + m)];
                QCOMPARE(w.layerMap()->valueAt(l, m), double(c.removed) / double(c.numel));
            }
        QVERIFY(w.findChild<QLabel *>(QStringLiteral("actualSparsity"))->text().startsWith(SliderPanel::percent(a.actualSparsity())));
        // the overlap view plots the Jaccard indices of the top p, as `overlap` reports them
        OverlapSpec o;
        o.safety = sets[0];
        o.utility = sets[1];
        o.p = fractionGrid()[size_t(pi)];
        const OverlapReport r = reportOverlap(*w.store(), o);
        const auto &series = w.overlap()->series();
        QCOMPARE(series.size(), 9);
        for (int l = 0; l < 4; ++l) {
            QCOMPARE(series[6].y[l], r.jaccard[size_t(l * 7 + 6)]);  // down
            QCOMPARE(series[8].y[l], r.jaccardMlp[size_t(l)]);
        }
        // the layer map can show the Jaccard indices instead
        w.sliderPanel()->setLayerMapQuantity(MapQuantity::Jaccard);
        for (int l = 0; l < 4; ++l)
            QCOMPARE(w.layerMap()->valueAt(l, 6), r.jaccard[size_t(l * 7 + 6)]);
        w.sliderPanel()->setLayerMapQuantity(MapQuantity::Removed);
        QCOMPARE(w.layerMap()->valueAt(3, 6), double(a.cells[27].removed) / double(a.cells[27].numel));
        // a click on a layer-map cell opens that matrix up close, as matrixDetail computes it
        w.resize(1200, 800);
        w.show();
        w.views()->setCurrentWidget(w.layerMap());
        QCustomPlot *lp = w.layerMap()->plot();
        lp->replot();
        const QPoint cell(int(lp->xAxis->coordToPixel(5)), int(lp->yAxis->coordToPixel(2)));  // layer 2, up
        QCOMPARE(w.layerMap()->cellAt(cell), std::make_pair(2, 5));
        QTest::mouseClick(lp, Qt::LeftButton, {}, cell);
        QCOMPARE(w.views()->currentWidget(), static_cast<QWidget *>(w.matrixView()));
        SelectionSpec sel0;
        sel0.safety = sets[0];
        sel0.utility = sets[1];
        sel0.p = fractionGrid()[size_t(pi)];
        sel0.q = fractionGrid()[size_t(qi)];
        const MatrixDetail md = matrixDetail(*w.store(), sel0, 2, Matrix::Up);
        QCOMPARE(w.matrixView()->detail().removed, md.removed);
        QCOMPARE(w.matrixView()->detail().removed, a.cells[2 * 7 + 5].removed);  // = the layer map's count
        QCOMPARE(w.matrixView()->detail().removedFraction, md.removedFraction);
        QVERIFY(!w.matrixView()->isEmptyState());
        QCOMPARE(w.matrixView()->exportTable().rowCount(), md.blockRows * md.blockCols + 2 * 60);
        // a slider move redraws: a larger q removes more
        v.q = 0.2;
        w.sliderPanel()->setValues(v);
        const SliderAnswer b = w.store()->query(sets[0], sets[1], pi, nearestFractionIndex(0.2), Granularity::WholeMatrix);
        QVERIFY(b.removed > a.removed);
        QCOMPARE(w.layerMap()->valueAt(3, 6), double(b.cells[27].removed) / double(b.cells[27].numel));
        // the sweep's points in the tradeoff view, and the current (p, q) marked when the sweep has it
        const SweepTable t = readSweep(path, "sd");
        const auto &ts = w.tradeoff()->series();
        QVERIFY(!ts.isEmpty());
        QCOMPARE(ts[0].x.size(), 2);
        QCOMPARE(ts[0].y[1], t.column("asr_vanilla")[1]);
        QCOMPARE(ts.size(), 1);  // q = 0.2 was not evaluated
        v.q = 0.1;
        w.sliderPanel()->setValues(v);
        QCOMPARE(w.tradeoff()->series().size(), 2);
        QCOMPARE(w.tradeoff()->series()[1].x.value(0), t.column("actual_sparsity")[1]);
        {
            // a copy whose sweep table lost a row: the store still opens, its scores drawn, the problem named
            const QString broken = dir.filePath(QStringLiteral("broken-sweep.h5"));
            QVERIFY(QFile::copy(QString::fromStdString(path), broken));
            QProcess py;
            py.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys, h5py\nf = h5py.File(sys.argv[1], 'r+')\ng = f['sweeps/sd']\n"
                                     "d = g['done'][:]\ndel g['done']\ng['done'] = d[:-1]\nf.close()"),
                      broken});
            QVERIFY(py.waitForFinished(60000));
            QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
            MainWindow b;
            QVERIFY2(b.openStore(broken, &error), qPrintable(error));
            const QString status = b.findChild<QLabel *>(QStringLiteral("statusMessage"))->text();
            QVERIFY2(status.contains(QStringLiteral("broken-sweep.h5")) && status.contains(QStringLiteral("does not match")),
                     qPrintable(status));
            QVERIFY(!b.layerMap()->isEmptyState());
            QCOMPARE(b.layerMap()->valueAt(3, 6), w.layerMap()->valueAt(3, 6));
            QVERIFY(b.tradeoff()->series().isEmpty());
        }

        // live evaluation: once the sliders rest, the position is evaluated in the background; a newer
        // position cancels a stale evaluation, so the newest one is the point that appears
        QSignalSpy done(w.jobs(), &JobRunner::finished);
        QSignalSpy shown(&w, &MainWindow::livePointAdded);
        v.q = 0.05;
        w.sliderPanel()->setValues(v);
        QTest::qWait(MainWindow::kEvaluationDelayMs + 50);  // the q = 0.05 evaluation starts
        v.q = 0.1;
        w.sliderPanel()->setValues(v);
        QElapsedTimer clock;
        clock.start();
        const double newest = fractionGrid()[size_t(qi)];
        // (on a very slow machine the stale point may still arrive first; the newest one must follow)
        while (w.livePoints().isEmpty() || w.livePoints().back().q != newest)
            QVERIFY(shown.wait(60000));
        const qint64 ms = clock.elapsed();
        while (w.jobs()->isRunning())
            QVERIFY(done.wait(60000));
        QVERIFY(w.livePoints().size() <= 2);
        const LivePoint pt = w.livePoints().back();
        QCOMPARE(pt.q, fractionGrid()[size_t(qi)]);
        QCOMPARE(pt.actualSparsity, a.actualSparsity());
        // the same ASR as a direct evaluation of the edited model
        auto m = Model::load(model);
        auto tok = Tokenizer::load(model);
        ModelEdit edit(*m);
        SelectionSpec sel;
        sel.safety = sets[0];
        sel.utility = sets[1];
        sel.p = fractionGrid()[size_t(pi)];
        sel.q = fractionGrid()[size_t(qi)];
        edit.apply(*w.store(), sel);
        AsrOptions vanilla;
        vanilla.settings = {AsrSetting::Vanilla};
        const AsrResult direct =
            evaluateAsr(*m, *tok, readHarmfulPrompts(data + "harmful_eval.txt", {}, 100), vanilla).front();
        QCOMPARE(pt.asr, direct.asr);
        QCOMPARE(pt.prompts, 100);
        QVERIFY(pt.utility > 0.5);  // the demo's tasks
        QCOMPARE(w.generations()->model()->rowCount(), 100);
        // beside each response, the unedited model's own (its Vanilla answers, whole: the coherence flag scores them)
        vanilla.earlyStop = false;
        auto base = Model::load(model);
        const AsrResult unedited =
            evaluateAsr(*base, *tok, readHarmfulPrompts(data + "harmful_eval.txt", {}, 100), vanilla).front();
        const auto *gm = w.generations()->model();
        for (int row = 0; row < 100; ++row) {
            const int question = int(unedited.generations[size_t(row)].question);
            QCOMPARE(gm->data(gm->index(row, GenerationsModel::UneditedColumn), Qt::DisplayRole).toString(),
                     QString::fromStdString(unedited.generations[size_t(question)].response));
        }
        // the other judges and the coherence flag, as a direct evaluation with judges.h computes them
        {
            PrefixConfig pc;
            pc.any = {"Sure, here is"};
            std::vector<std::unique_ptr<Judge>> judges;
            judges.push_back(makeKeywordJudge());
            judges.push_back(makePrefixJudge(pc));
            AsrOptions withJudges;
            withJudges.settings = {AsrSetting::Vanilla};
            withJudges.judges = judgePointers(judges);
            const auto goals = readHarmfulPrompts(data + "harmful_eval.txt", {}, 100);
            std::vector<AsrResult> edited = evaluateAsr(*m, *tok, goals, withJudges);  // m is still edited
            QCOMPARE(pt.prefixAsr, edited[0].judgeAsr[1]);
            const CoherenceCalibration cal = calibrateCoherence(*base, *tok, {unedited}, 0.05);
            applyCoherence(edited, {meanResponseLogProb(*base, *tok, edited[0].generations)}, cal.threshold);
            QCOMPARE(pt.incoherent, edited[0].incoherent);
            QCOMPARE(pt.incoherentSuccess, edited[0].incoherentSuccess);
            QVERIFY(gm->data(gm->index(0, GenerationsModel::JudgesColumn), Qt::DisplayRole).toString().contains(QStringLiteral("prefix: ")));
        }
        // the point is drawn in the tradeoff view
        bool drawn = false;
        for (const auto &series : w.tradeoff()->series())
            drawn |= series.x.contains(pt.actualSparsity) && series.y.contains(pt.asr) && !series.points;
        QVERIFY(drawn);
        qInfo("live ASR point %lld ms after the last slider move (target: within 2 s)", ms);

        // every view says what it shows
        for (int i = 0; i < w.views()->count(); ++i) {
            w.views()->setCurrentIndex(i);
            QVERIFY2(w.viewHelpText().contains(QStringLiteral("<h3>")), qPrintable(w.views()->widget(i)->objectName()));
        }
        // keyboard steps move the sliders one grid value
        const int qBefore = SliderPanel::positionOf(w.sliderPanel()->values().q);
        w.findChild<QAction *>(QStringLiteral("actionQUp"))->trigger();
        QCOMPARE(SliderPanel::positionOf(w.sliderPanel()->values().q), qBefore + 1);
        w.findChild<QAction *>(QStringLiteral("actionQDown"))->trigger();
        QCOMPARE(SliderPanel::positionOf(w.sliderPanel()->values().q), qBefore);
        QCOMPARE(w.findChild<QAction *>(QStringLiteral("actionPUp"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+Alt+Right")));

        // a workspace restores the store, its model, the sliders and the view
        w.views()->setCurrentIndex(1);
        const QString ws = dir.filePath(QStringLiteral("a.alignscope.json"));
        QVERIFY2(w.saveWorkspace(ws, &error), qPrintable(error));
        MainWindow w2;
        QVERIFY2(w2.openWorkspace(ws, &error), qPrintable(error));
        QCOMPARE(w2.store()->path(), w.store()->path());
        QCOMPARE(w2.modelPanel()->modelDir(), w.modelPanel()->modelDir());
        QCOMPARE(w2.sliderPanel()->values().q, w.sliderPanel()->values().q);
        QCOMPARE(w2.sliderPanel()->values().p, w.sliderPanel()->values().p);
        QCOMPARE(w2.views()->currentIndex(), 1);
        QCOMPARE(w2.layerMap()->valueAt(1, 4), w.layerMap()->valueAt(1, 4));
        alignscope::test::writeFile(dir.path(), QStringLiteral("bad.json"), "{\"format\": \"other\"}");
        QVERIFY(!w2.openWorkspace(dir.filePath(QStringLiteral("bad.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("bad.json")) && error.contains(QStringLiteral("not an AlignScope workspace")),
                 qPrintable(error));
        alignscope::test::writeFile(dir.path(), QStringLiteral("setting.json"),
                                    "{\"format\": \"alignscope-workspace\", \"asr_setting\": \"bogus\"}");
        QVERIFY(!w2.openWorkspace(dir.filePath(QStringLiteral("setting.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("setting.json")) && error.contains(QStringLiteral("bogus")), qPrintable(error));
        alignscope::test::writeFile(dir.path(), QStringLiteral("probing.json"),
                                    "{\"format\": \"alignscope-workspace\", \"probing\": \"/nonexistent/p.json\"}");
        QVERIFY(!w2.openWorkspace(dir.filePath(QStringLiteral("probing.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/p.json")), qPrintable(error));
    }

    void computesScoresInTheBackgroundAndCancels()
    {
        using namespace alignscope;
        MainWindow w;
        QString error;
        QVERIFY2(w.openModel(QString::fromStdString(defaultModelDir()), &error), qPrintable(error));
        // the demo's datasets are filled in; no store yet in the (temporary) data folder
        QVERIFY(w.modelPanel()->safetyDataset().endsWith(QStringLiteral("safety_full.csv")));
        QVERIFY(!w.store());
        const QString storePath = MainWindow::defaultStorePath(w.modelPanel()->modelDir());
        QVERIFY(!storePath.isEmpty() && !QFileInfo::exists(storePath));
        w.modelPanel()->setNsamples(6);
        // cancelled at once: nothing committed
        QSignalSpy cancelled(w.jobs(), &JobRunner::cancelled);
        QVERIFY(w.layerMap()->emptyText().startsWith(QStringLiteral("No scores computed")));
        QVERIFY2(w.computeScores(&error), qPrintable(error));
        QVERIFY2(w.layerMap()->emptyText().contains(QStringLiteral("Computing SNIP scores")), qPrintable(w.layerMap()->emptyText()));
        QVERIFY(!w.findChild<QPushButton *>(QStringLiteral("computeButton"))->isEnabled());
        QVERIFY(w.findChild<QToolButton *>(QStringLiteral("cancelButton"))->isEnabled());
        QVERIFY(!w.computeScores(&error));  // one job at a time
        w.findChild<QToolButton *>(QStringLiteral("cancelButton"))->click();
        QVERIFY(cancelled.wait(60000));
        QVERIFY(!w.jobs()->isRunning());
        QVERIFY(!w.store() || w.store()->sets().empty());
        QVERIFY2(w.layerMap()->emptyText().startsWith(QStringLiteral("No scores computed")), qPrintable(w.layerMap()->emptyText()));
        // run to the end: both sets in the store, which is open and drawn
        QSignalSpy finished(w.jobs(), &JobRunner::finished);
        QSignalSpy progress(w.jobs(), &JobRunner::progress);
        QVERIFY2(w.computeScores(&error), qPrintable(error));
        QVERIFY(finished.wait(120000));
        QVERIFY(progress.count() > 0);
        QVERIFY(w.store());
        QCOMPARE(w.store()->sets().size(), size_t(2));
        QCOMPARE(QString::fromStdString(w.store()->path()), storePath);
        QVERIFY(!w.layerMap()->isEmptyState());
        QVERIFY(w.findChild<QPushButton *>(QStringLiteral("computeButton"))->isEnabled());
        // opened again, the model finds its scores
        MainWindow again;
        QVERIFY(again.openModel(QString::fromStdString(defaultModelDir()), &error));
        QVERIFY(again.store());
        QCOMPARE(again.store()->sets().size(), size_t(2));
        // a missing dataset is named
        w.modelPanel()->setUtilityDataset(QStringLiteral("/nonexistent/utility.csv"));
        QVERIFY(!w.computeScores(&error));
        QVERIFY2(error.contains(QStringLiteral("utility.csv")), qPrintable(error));
        QFile::remove(storePath);
    }

    void reportsABrokenModelFolder()
    {
        QTemporaryDir dir;
        alignscope::test::writeFile(dir.path(), QStringLiteral("config.json"), "{\"architectures\": [\"BertModel\"]}");
        MainWindow w;
        QString error;
        QVERIFY(!w.openModel(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("config.json: unsupported architecture \"BertModel\"")), qPrintable(error));
        QVERIFY(w.modelPanel()->modelDir().isEmpty());
        QVERIFY(Settings::instance()->recentFiles().isEmpty());
    }

    void geometryPersists()
    {
        QRect saved;
        {
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(1000, 700);
            w.views()->setCurrentIndex(2);
            QTest::qWait(10);
            saved = w.geometry();
            QVERIFY(w.close());  // closes cleanly and stores its state
        }
        QVERIFY(!Settings::instance()->get(Settings::Key::MainWindowGeometry).toByteArray().isEmpty());
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), saved.size());
        QCOMPARE(again.views()->currentIndex(), 2);
    }

    void editKindsQuantitiesAndHeads()
    {
        // the demo model with SNIP and ActSVD sets for safety and utility
        using namespace alignscope;
        QTemporaryDir dir;
        const std::string model = defaultModelDir(), data = resourcesDir() + "/datasets/";
        const std::string path = QDir(dir.path()).filePath(QStringLiteral("kinds.h5")).toStdString();
        std::string snip[2], svd[2];
        for (ScoreMethod method : {ScoreMethod::Snip, ScoreMethod::ActSvd})
            for (int k = 0; k < 2; ++k) {
                ScoreJob j;
                j.modelDir = model;
                j.dataFile = data + (k == 0 ? "safety_full.csv" : "utility.csv");
                j.storePath = path;
                j.settings.method = method;
                j.settings.nsamples = 8;
                (method == ScoreMethod::Snip ? snip : svd)[k] = runScoreJob(j).set.name;
            }
        MainWindow w;
        QString error;
        QVERIFY2(w.openStore(QString::fromStdString(path), &error), qPrintable(error));
        auto store = Store::open(path);
        const auto &shapes = store->shapes();
        // the estimate of a score job for the demo's two datasets
        QTRY_VERIFY2(w.modelPanel()->estimate().contains(QStringLiteral("256 examples")), qPrintable(w.modelPanel()->estimate()));
        w.modelPanel()->setNsamples(16);
        QTRY_VERIFY2(w.modelPanel()->estimate().contains(QStringLiteral("32 examples")), qPrintable(w.modelPanel()->estimate()));
        w.modelPanel()->setMaxLength(8);  // every demo example is longer: 32 × 8 tokens
        QTRY_VERIFY2(w.modelPanel()->estimate().contains(QStringLiteral("256 tokens")), qPrintable(w.modelPanel()->estimate()));
        w.modelPanel()->setMaxLength(0);
        w.modelPanel()->setSafetyDataset(dir.filePath(QStringLiteral("none.csv")));
        QTRY_VERIFY2(w.modelPanel()->estimate().contains(QStringLiteral("none.csv")), qPrintable(w.modelPanel()->estimate()));
        w.modelPanel()->setSafetyDataset(QString::fromStdString(data + "safety_full.csv"));

        // mean safety score: log10 of a plain average of the stored scores
        w.sliderPanel()->setLayerMapQuantity(MapQuantity::MeanScore);
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m) {
                double sum = 0;
                const std::vector<float> v = store->scores(snip[0], l, Matrix(m));
                for (float x : v)
                    sum += x;
                QVERIFY(std::abs(w.layerMap()->valueAt(l, m) - std::log10(sum / double(v.size()))) < 1e-9);
            }
        // pruning at s: every row loses floor(s · d_in) weights
        w.sliderPanel()->setLayerMapQuantity(MapQuantity::Removed);
        SliderValues v = w.sliderPanel()->values();
        v.kind = EditKind::PruneTopDown;
        v.s = 0.3;
        w.sliderPanel()->setValues(v);
        for (int m = 0; m < 7; ++m) {
            const MatrixShape &sh = shapes[size_t(m)];
            QCOMPARE(w.layerMap()->valueAt(1, m), double(sh.rows * std::int64_t(0.3 * double(sh.cols))) / double(sh.numel()));
        }
        // the projection: the §7 bound min(d_out − d_u, d_s) until evaluated, then the exact ranks
        QCOMPARE(v.ru, 112);  // 7/8 and 15/16 of m = 128
        QCOMPARE(v.rs, 120);
        // the rank sliders drive the spin boxes and the other way round
        auto *ruSlider = w.findChild<QSlider *>(QStringLiteral("ruSlider"));
        QCOMPARE(ruSlider->value(), 112);
        ruSlider->setValue(100);
        QCOMPARE(w.sliderPanel()->values().ru, 100);
        w.findChild<QSpinBox *>(QStringLiteral("ruSpin"))->setValue(112);
        QCOMPARE(ruSlider->value(), 112);
        v = w.sliderPanel()->values();
        QSignalSpy done(w.jobs(), &JobRunner::finished);
        QSignalSpy shown(&w, &MainWindow::livePointAdded);
        w.jobs()->wait();
        v.kind = EditKind::Orthogonal;
        v.setting = AsrSetting::NoSys;
        w.sliderPanel()->setValues(v);
        for (int m = 0; m < 7; ++m) {
            const MatrixShape &sh = shapes[size_t(m)];
            const std::int64_t full = std::min(sh.rows, sh.cols), du = full - 112, ds = full - 120;
            QCOMPARE(w.layerMap()->valueAt(2, m), double(std::min(sh.rows - du, ds)) / double(full));
        }
        while (w.livePoints().isEmpty() || w.livePoints().back().kind != EditKind::Orthogonal)
            QVERIFY(shown.wait(60000));
        while (w.jobs()->isRunning())
            QVERIFY(done.wait(60000));
        SelectionSpec proj;
        proj.kind = SelectionKind::Orthogonal;
        proj.safetyBasis = svd[0];
        proj.utilityBasis = svd[1];
        proj.ru = 112;
        proj.rs = 120;
        const SelectionReport exact = reportSelection(*store, proj);  // loads the model itself
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m)
                QCOMPARE(w.layerMap()->valueAt(l, m), double(exact.removed[size_t(l * 7 + m)]) / double(exact.capacity[size_t(l * 7 + m)]));
        const LivePoint pt = w.livePoints().back();
        QCOMPARE(pt.setting, AsrSetting::NoSys);
        QCOMPARE(pt.rankFraction, exact.fraction());
        auto m = Model::load(model);
        auto tok = Tokenizer::load(model);
        const auto goals = readHarmfulPrompts(data + "harmful_eval.txt", {}, 100);
        AsrOptions nosys;
        nosys.settings = {AsrSetting::NoSys};
        {
            ModelEdit edit(*m);
            edit.apply(*store, proj);
            QCOMPARE(pt.asr, evaluateAsr(*m, *tok, goals, nosys).front().asr);
        }
        QVERIFY(w.findChild<QLabel *>(QStringLiteral("actualSparsity"))->text().contains(QString::number(exact.removedTotal)));
        // subspace similarity of the two subspaces the projection uses, as `overlap` reports it
        w.sliderPanel()->setLayerMapQuantity(MapQuantity::Subspace);
        OverlapSpec sub;
        sub.safetyBasis = svd[0];
        sub.utilityBasis = svd[1];
        sub.rs = 8;
        sub.ru = 16;
        const OverlapReport o = reportOverlap(*store, sub);
        QCOMPARE(w.layerMap()->valueAt(3, 4), o.subspace[size_t(3 * 7 + 4)]);
        // and the overlap view plots them per layer, one line per matrix, attention and MLP pooled
        auto *overlapView = static_cast<OverlapView *>(w.overlap());
        overlapView->setSubspace(true);
        const auto &lines = w.overlap()->series();
        QCOMPARE(lines.size(), 9);
        for (int l = 0; l < 4; ++l) {
            QCOMPARE(lines[4].y[l], o.subspace[size_t(l * 7 + 4)]);
            QCOMPARE(lines[7].y[l], o.subspaceAttention[size_t(l)]);
            QCOMPARE(lines[8].y[l], o.subspaceMlp[size_t(l)]);
        }
        overlapView->setSubspace(false);

        // heads: a probing file of the reference's form; the ablation's ASR is a direct evaluation's
        HeadsView *heads = w.headsView();
        const QString bad = alignscope::test::writeFile(dir.path(), QStringLiteral("bad.json"),
                                                        R"({"layer-0-head-0": 0.9, "layer-0-head-1": 0.8})");
        QVERIFY(!w.openProbing(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("bad.json")) && error.contains(QStringLiteral("1 layers")), qPrintable(error));
        QString json = QStringLiteral("{");
        for (int l = 0; l < 4; ++l)
            for (int h = 0; h < 4; ++h)
                json += QStringLiteral("%1\"layer-%2-head-%3\": %4").arg(l || h ? QStringLiteral(",") : QString()).arg(l).arg(h).arg((l * 4 + h) % 5 / 4.0);
        json += QLatin1Char('}');
        const QString good = alignscope::test::writeFile(dir.path(), QStringLiteral("probing.json"), json.toUtf8());
        QVERIFY2(w.openProbing(good, &error), qPrintable(error));
        QCOMPARE(heads->valueAt(2, 1), double(9 % 5) / 4.0);
        QCOMPARE(heads->columns().size(), 4);
        heads->setHeadCount(3);
        const std::vector<HeadRef> chosen = heads->chosenHeads();  // the three at accuracy 1
        QCOMPARE(chosen.size(), size_t(3));
        for (const HeadRef &h : chosen)
            QCOMPARE((h.layer * 4 + h.head) % 5, 4);
        QVERIFY2(w.evaluateHeadAblation(&error), qPrintable(error));
        QVERIFY(done.wait(60000));
        {
            ModelEdit edit(*m);
            const std::int64_t zeroed = edit.ablateHeads(chosen, HeadAblation::Reference);
            const double asr = evaluateAsr(*m, *tok, goals, nosys).front().asr;
            const QString expected = QStringLiteral("%1 weights zeroed. ASR %2").arg(zeroed).arg(asr, 0, 'f', 2);
            QVERIFY2(heads->result().contains(expected), qPrintable(heads->result() + QStringLiteral(" / ") + expected));
        }
        // probing the demo here: 4 × 4 accuracies in [0, 1]
        QVERIFY2(w.probeHeads(&error), qPrintable(error));
        QVERIFY(done.wait(120000));
        QCOMPARE(heads->probing().layers, 4);
        for (double a : heads->probing().accuracy)
            QVERIFY(a >= 0 && a <= 1);
        QVERIFY(!heads->isEmptyState());
    }

    void slidersSnapToTheGrid()
    {
        MainWindow w;
        SliderPanel *s = w.sliderPanel();
        SliderValues set;
        set.kind = EditKind::PruneBottomUp;
        set.setting = alignscope::AsrSetting::Suffix;
        set.p = 0.05;
        set.q = 0.2;
        set.s = 0.3;
        set.ru = 10;
        set.rs = 20;
        s->setValues(set);
        const SliderValues v = s->values();
        QCOMPARE(v.kind, EditKind::PruneBottomUp);
        QCOMPARE(v.setting, alignscope::AsrSetting::Suffix);
        QCOMPARE(v.p, 0.05);
        QCOMPARE(v.q, 0.2);
        QCOMPARE(v.s, 0.3);
        QCOMPARE(v.ru, 0);  // no model: rank range is empty
        QSignalSpy spy(s, &SliderPanel::valuesChanged);
        auto *q = w.findChild<QSlider *>(QStringLiteral("qSlider"));
        q->setValue(q->value() + 1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(s->values().q, 0.25);
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
