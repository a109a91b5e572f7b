// SPDX-License-Identifier: MIT
// The main window as a user meets it: a view beside the tradeoff, the generations in a drawer, the
// selection and model panels docked, usable on a 1366 × 768 screen; the controls drive the workspace
// and follow it (a click on an ASR point moves the sliders); the status bar says what runs while it
// runs and keeps the last result; the export dialog writes what its preview shows; a broken model
// folder is reported; the window keeps its geometry and closes cleanly.
#include "alignscope/fraction_grid.h"
#include "alignscope/resources.h"
#include "asrpoints.h"
#include "dialogs/exportdialog.h"
#include "fixtures.h"
#include "help.h"
#include "mainwindow.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "plot/plotview.h"
#include "plot/qcp.h"
#include "settings.h"
#include "uitestmain.h"
#include "viewset.h"
#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"
#include "workspace.h"

#include <QAction>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QScreen>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>

using namespace alignscope::ui;

namespace {

/** A workspace file of the demo model with three ASR points of one q (no store needed to show them). */
QString pointsWorkspace(const QString &dir)
{
    AsrPointSet set;
    for (double p : {0.05, 0.1, 0.2}) {
        AsrPoint pt;
        pt.edit.p = p;
        pt.edit.q = 0.1;
        pt.actualSparsity = 0.1 * (1 - p) * 0.4;
        pt.asr = 0.8 - p;
        pt.prefixAsr = 0.5;
        pt.utility = 0.9 + p / 10;
        pt.prompts = 100;
        pt.complete = true;
        pt.rows = {GenerationRow{QStringLiteral("inst_basic"), QStringLiteral("goal"), QStringLiteral("Sure, here is %1").arg(p), true,
                                 QStringLiteral("I cannot"), QString(), 0, QStringLiteral("[llama-2]\n[INST] goal [/INST]")}};
        set.upsert(pt);
    }
    const QJsonObject o{{QStringLiteral("format"), QStringLiteral("alignscope-workspace")},
                        {QStringLiteral("version"), 2},
                        {QStringLiteral("model"), QString::fromStdString(alignscope::defaultModelDir())},
                        {QStringLiteral("p"), 0.05},
                        {QStringLiteral("q"), 0.1},
                        {QStringLiteral("asr_points"), set.toJson()}};
    return alignscope::test::writeFile(dir, QStringLiteral("points.alignscope.json"), QJsonDocument(o).toJson());
}

bool inside(const QWidget *w, const QWidget *window)
{
    const QRect r(w->mapTo(window, QPoint(0, 0)), w->size());
    return w->isVisible() && window->rect().contains(r);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Settings::instance()->resetToDefaults(); }

    void hasItsLinkedLayout()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // a view and the tradeoff side by side, the generations in a drawer below them
        auto *plots = w.findChild<QSplitter *>(QStringLiteral("plotsSplitter"));
        QVERIFY(plots);
        QCOMPARE(plots->widget(0), static_cast<QWidget *>(w.views()));
        QCOMPARE(plots->widget(1), static_cast<QWidget *>(w.tradeoff()));
        auto *central = w.findChild<QSplitter *>(QStringLiteral("centralSplitter"));
        QCOMPARE(central->widget(1), static_cast<QWidget *>(w.generations()));
        QVERIFY(w.generationsOpen());
        QVERIFY(w.tradeoff()->isVisible() && w.layerMap()->isVisible() && w.generations()->isVisible());
        QStringList names;
        for (int i = 0; i < w.views()->count(); ++i)
            names << w.views()->widget(i)->objectName();
        QCOMPARE(names, (QStringList{QStringLiteral("layerMapView"), QStringLiteral("overlapView"), QStringLiteral("matrixView"),
                                     QStringLiteral("headsView")}));
        w.setGenerationsOpen(false);
        QVERIFY(!w.generationsOpen());
        w.findChild<QAction *>(QStringLiteral("actionGenerations"))->trigger();
        QVERIFY(w.generationsOpen());
        // the selection and the model panel share the right dock area as tabs
        auto *sliders = w.findChild<QDockWidget *>(QStringLiteral("sliderDock"));
        auto *model = w.findChild<QDockWidget *>(QStringLiteral("modelDock"));
        QVERIFY(sliders && model);
        QVERIFY(w.tabifiedDockWidgets(sliders).contains(model));
        QCOMPARE(w.dockWidgetArea(sliders), Qt::RightDockWidgetArea);
        auto *progress = w.findChild<QProgressBar *>(QStringLiteral("progressBar"));
        auto *cancel = w.findChild<QToolButton *>(QStringLiteral("cancelButton"));
        QVERIFY(progress && progress->isVisible());
        QVERIFY(cancel && cancel->isVisible() && !cancel->isEnabled());  // no job running
        for (const char *name : {"pSlider", "qSlider", "sSlider", "ruSlider", "rsSlider"})
            QVERIFY2(w.findChild<QSlider *>(QLatin1String(name)), name);
    }

    void fitsALaptopScreen()
    {
        // the default size on a 1366 × 768 laptop (its desktop ~1366 × 728) leaves room, and the window can be that small
        const QSize laptop(1366, 728);
        const QSize size = MainWindow::defaultSize(laptop);
        QVERIFY(size.width() <= laptop.width() && size.height() <= laptop.height());
        QCOMPARE(MainWindow::defaultSize(QSize(2560, 1440)), QSize(1600, 1000));
        MainWindow w;
        QString error;
        QVERIFY2(w.openModel(QString::fromStdString(alignscope::defaultModelDir()), &error), qPrintable(error));
        w.show();
        w.resize(size);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_COMPARE(w.size(), size);
        w.findChild<QDockWidget *>(QStringLiteral("sliderDock"))->raise();  // (it is raised by itself once scores exist)
        QVERIFY2(w.minimumSizeHint().width() <= size.width() && w.minimumSizeHint().height() <= size.height(),
                 qPrintable(QStringLiteral("%1x%2").arg(w.minimumSizeHint().width()).arg(w.minimumSizeHint().height())));
        // the sliders, the views and the status bar are on the screen
        for (const char *name : {"pSlider", "qSlider"})
            QVERIFY2(inside(w.findChild<QSlider *>(QLatin1String(name)), &w), name);
        QVERIFY(inside(w.statusBar(), &w));
        QVERIFY(inside(w.findChild<QToolButton *>(QStringLiteral("cancelButton")), &w));
        QVERIFY(inside(w.tradeoff(), &w) && inside(w.layerMap(), &w) && inside(w.generations(), &w));
        QVERIFY(w.tradeoff()->plot()->width() > 300 && w.layerMap()->plot()->width() > 300);
    }

    void hasItsMenus()
    {
        MainWindow w;
        for (const char *name : {"actionOpenModel", "actionOpenStore", "actionExportFigure", "actionExportTradeoff", "actionQuit",
                                 "actionAbout", "actionViewHelp", "actionClearPoints"})
            QVERIFY2(w.findChild<QAction *>(QLatin1String(name)), name);
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuRecent")));
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuLanguage")));
        QCOMPARE(w.findChild<QAction *>(QStringLiteral("actionOpenModel"))->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(w.findChild<QAction *>(QStringLiteral("actionPUp"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+Alt+Right")));
        // every view says what it shows (the tab beside the tradeoff, the tradeoff and the generations)
        for (int i = 0; i < w.views()->count(); ++i) {
            w.views()->setCurrentIndex(i);
            const QString help = w.viewHelpText();
            QCOMPARE(help.count(QStringLiteral("<h3>")), 3);
            QVERIFY(help.contains(QStringLiteral("Tradeoff")) && help.contains(QStringLiteral("Generations")));
        }
        const QString about = aboutText();
        QVERIFY(about.contains(QString::fromLatin1(qVersion())));
        QVERIFY(about.contains(QStringLiteral(QCUSTOMPLOT_VERSION_STR)));
        QVERIFY(about.contains(QStringLiteral("libtorch")) && about.contains(QStringLiteral("HDF5")));
        QVERIFY(about.contains(QStringLiteral(ALIGNSCOPE_VERSION)));
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

    void opensAModelFolder()
    {
        QTemporaryDir dir;
        alignscope::test::writeFile(dir.path(), QStringLiteral("config.json"), alignscope::test::tinyLlamaConfigJson().toUtf8());
        MainWindow w;
        QString error;
        QVERIFY2(w.openModel(dir.path(), &error), qPrintable(error));
        QCOMPARE(w.modelPanel()->modelDir(), QDir(dir.path()).absolutePath());
        QString panelText;
        for (QLabel *l : w.modelPanel()->findChildren<QLabel *>())
            panelText += l->text() + QLatin1Char('\n');
        QVERIFY2(panelText.contains(QStringLiteral("LlamaForCausalLM")), qPrintable(panelText));
        QVERIFY(panelText.contains(QStringLiteral("4 (2 key/value)")));
        QVERIFY(w.modelPanel()->findChild<QLabel *>(QStringLiteral("memoryEstimate"))->text().contains(QStringLiteral("to generate")));
        QCOMPARE(Settings::instance()->recentFiles().value(0), QDir(dir.path()).absolutePath());
        QCOMPARE(w.findChild<QSpinBox *>(QStringLiteral("ruSpin"))->maximum(), 64);  // min(d_out, d_in) of q
        QCOMPARE(w.sliderPanel()->values().ru, 56);  // 7/8 of it: a 1/8-dimensional protected subspace
        QVERIFY(w.layerMap()->isEmptyState());
        QVERIFY(w.findChild<QMenu *>(QStringLiteral("menuRecent"))->isEnabled());
        QVERIFY(w.windowTitle().contains(QFileInfo(dir.path()).fileName()));
    }

    void controlsAndPointsDriveEachOther()
    {
        QTemporaryDir dir;
        MainWindow w;
        QString error;
        QVERIFY2(w.openWorkspace(pointsWorkspace(dir.path()), &error), qPrintable(error));
        Workspace *ws = w.workspace();
        QCOMPARE(ws->points().points().size(), 3);
        // the sliders show the workspace's selection; moving one moves the workspace's
        QCOMPARE(w.sliderPanel()->values().p, 0.05);
        auto *q = w.findChild<QSlider *>(QStringLiteral("qSlider"));
        q->setValue(q->value() + 1);
        QCOMPARE(ws->selection().q, gridFraction(gridPosition(0.1) + 1));
        w.findChild<QAction *>(QStringLiteral("actionQDown"))->trigger();  // keyboard steps: one grid value
        QCOMPARE(ws->selection().q, 0.1);
        QCOMPARE(w.sliderPanel()->values().q, 0.1);
        // the current edit (p = 5 %) is ringed, its generations in the drawer
        QCOMPARE(ws->currentPoint(), ws->points().idOf(ws->points().points()[0].key()));
        QCOMPARE(w.generations()->model()->rowCount(), 1);
        // a click on another point: the sliders, the generations and the ring follow
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCustomPlot *p = w.tradeoff()->plot();
        p->replot();
        const AsrPoint target = ws->points().points()[2];  // p = 20 %
        const QPoint pixel(int(p->xAxis->coordToPixel(target.actualSparsity)), int(p->yAxis->coordToPixel(target.asr)));
        QVERIFY2(w.tradeoff()->toolTipAt(pixel).contains(QStringLiteral("p = 20 %, q = 10 %")), qPrintable(w.tradeoff()->toolTipAt(pixel)));
        QTest::mouseClick(p, Qt::LeftButton, {}, pixel);
        QCOMPARE(ws->currentPoint(), target.id);
        QCOMPARE(w.sliderPanel()->values().p, 0.2);
        QCOMPARE(w.findChild<QSlider *>(QStringLiteral("pSlider"))->value(), gridPosition(0.2));
        QCOMPARE(w.generations()->model()->data(w.generations()->model()->index(0, GenerationsModel::ResponseColumn), Qt::DisplayRole).toString(),
                 QStringLiteral("Sure, here is 0.2"));
        QVERIFY(w.findChild<QLabel *>(QStringLiteral("statusMessage"))->text().contains(QStringLiteral("p = 20 %, q = 10 %")));
        bool ringed = false;
        for (const Series &s : w.tradeoff()->series())
            ringed |= s.marker == Marker::Ring && s.x.value(0) == target.actualSparsity;
        QVERIFY(ringed);
        // one line through the three points of q = 10 %
        int lines = 0;
        for (const Series &s : w.tradeoff()->series())
            lines += s.marker == Marker::Disc && s.x.size() == 3;
        QCOMPARE(lines, 1);
        // the points go with the workspace file
        const QString again = QDir(dir.path()).filePath(QStringLiteral("again.alignscope.json"));
        QVERIFY2(w.saveWorkspace(again, &error), qPrintable(error));
        MainWindow w2;
        QVERIFY2(w2.openWorkspace(again, &error), qPrintable(error));
        QCOMPARE(w2.workspace()->points().points().size(), 3);
        QCOMPARE(w2.workspace()->currentPoint(), target.id);
        w.findChild<QAction *>(QStringLiteral("actionClearPoints"))->trigger();
        QVERIFY(ws->points().isEmpty());
    }

    void statusBarFollowsTheWork()
    {
        MainWindow w;
        QString error;
        QVERIFY2(w.openModel(QString::fromStdString(alignscope::defaultModelDir()), &error), qPrintable(error));
        w.modelPanel()->setNsamples(6);
        auto *cancel = w.findChild<QToolButton *>(QStringLiteral("cancelButton"));
        auto *compute = w.findChild<QPushButton *>(QStringLiteral("computeButton"));
        auto *activity = w.findChild<QLabel *>(QStringLiteral("activityMessage"));
        auto *status = w.findChild<QLabel *>(QStringLiteral("statusMessage"));
        QSignalSpy ended(w.workspace(), &Workspace::scoringChanged);
        compute->click();
        QVERIFY(!compute->isEnabled());
        QVERIFY(!w.computeScores(&error));  // one score job at a time
        QTRY_VERIFY(cancel->isEnabled());
        QTRY_VERIFY(activity->text().startsWith(QStringLiteral("Scoring (SNIP)")) || !w.workspace()->isScoring());
        cancel->click();
        QTRY_VERIFY(!w.workspace()->isScoring());
        QTRY_VERIFY(!cancel->isEnabled());
        QVERIFY(activity->text().isEmpty());  // the activity ends with the work
        // the result stays: cancelled (the store as it was), or done if the job was faster than the click
        const bool cancelled = status->text().contains(QStringLiteral("cancelled"));
        QVERIFY2(cancelled || status->text().contains(QStringLiteral("done")), qPrintable(status->text()));
        QVERIFY(!cancelled || !w.store() || w.store()->sets().empty());
        QVERIFY(compute->isEnabled());
        QFile::remove(Workspace::defaultStorePath(w.workspace()->modelDir()));
    }

    void exportDialogWritesWhatItShows()
    {
        QTemporaryDir dir;
        MainWindow w;
        QString error;
        QVERIFY2(w.openWorkspace(pointsWorkspace(dir.path()), &error), qPrintable(error));
        ExportDialog d(w.viewSet(), w.tradeoff(), &w);
        QVERIFY(!d.figureSet());
        FigureStyle style = *FigureStyle::preset(QStringLiteral("single"));
        style.fontPt = 7;
        d.setStyle(style);
        d.setFormat(ExportFormat::Svg);
        d.setDestination(QDir(dir.path()).filePath(QStringLiteral("tradeoff.svg")));
        QStringList written;
        QVERIFY2(d.exportNow(&written, &error), qPrintable(error));
        QCOMPARE(written, QStringList{QDir(dir.path()).filePath(QStringLiteral("tradeoff.svg"))});
        QVERIFY(QFileInfo::exists(written[0]));
        QVERIFY(!d.preview().isNull());
        QVERIFY(d.preview().width() <= 460 * d.devicePixelRatioF() && d.preview().height() <= 420 * d.devicePixelRatioF());
        // what arrives while it is open (a live point, a finished job) reaches the preview
        QTest::qWait(400);  // the preview of the style set above is drawn 150 ms after the change
        const QImage before = d.preview().toImage();
        QTest::qWait(400);
        QCOMPARE(d.preview().toImage(), before);  // nothing changes by itself
        QVector<Series> more = w.tradeoff()->series();
        Series point;
        point.name = QStringLiteral("arrived later");
        point.x = {0.01};
        point.y = {0.9};
        point.points = true;
        more << point;
        w.tradeoff()->setSeries(more);
        QTRY_VERIFY(d.preview().toImage() != before);
        // remembered for the next time: size, font, folder
        QCOMPARE(Settings::instance()->get(Settings::Key::ExportDir).toString(), dir.path());
        QCOMPARE(Settings::instance()->get(Settings::Key::ExportFontPt).toDouble(), 7.0);
        ExportDialog next(w.viewSet(), w.tradeoff(), &w);
        QCOMPARE(next.style().fontPt, 7.0);
        QCOMPARE(next.style().widthIn, 3.25);
        QVERIFY(next.destination().startsWith(dir.path()));
        // the figure set: every view with data, four files each
        next.setFigureSet(true);
        next.setDestination(QDir(dir.path()).filePath(QStringLiteral("set")));
        QVERIFY2(next.exportNow(&written, &error), qPrintable(error));
        QCOMPARE(written.size(), 4);  // the tradeoff only: no store, no probing
        for (const char *ext : {"pdf", "svg", "png", "csv"})
            QVERIFY(QFileInfo::exists(QDir(dir.path()).filePath(QStringLiteral("set/tradeoff.") + QLatin1String(ext))));
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
        const QSize screen = again.screen()->availableGeometry().size();
        if (saved.width() <= screen.width() && saved.height() <= screen.height())
            QCOMPARE(again.size(), saved.size());
        else  // saved on a larger screen: kept on this one as far as the window's minimum allows
            QVERIFY(again.height() <= std::max(screen.height(), again.minimumSizeHint().height()));
        QCOMPARE(again.views()->currentIndex(), 2);
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
        QSignalSpy spy(s, &SliderPanel::valuesChanged);
        s->setValues(set);
        QCOMPARE(spy.count(), 0);  // shown, not announced
        const SliderValues v = s->values();
        QCOMPARE(v.kind, EditKind::PruneBottomUp);
        QCOMPARE(v.setting, alignscope::AsrSetting::Suffix);
        QCOMPARE(v.p, 0.05);
        QCOMPARE(v.q, 0.2);
        QCOMPARE(v.s, 0.3);
        auto *q = w.findChild<QSlider *>(QStringLiteral("qSlider"));
        q->setValue(q->value() + 1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(s->values().q, 0.25);
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
