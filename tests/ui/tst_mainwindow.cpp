// SPDX-License-Identifier: MIT
// The main window: it opens with every panel, menu and empty state, opens a model folder,
// reports a broken one, persists its geometry, and closes cleanly.
#include "fixtures.h"
#include "mainwindow.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "plot/plotview.h"
#include "settings.h"
#include "uitestmain.h"
#include "views/generationsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
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
        QCOMPARE(tabs->count(), 4);
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names << tabs->widget(i)->objectName();
        QCOMPARE(names, (QStringList{QStringLiteral("layerMapView"), QStringLiteral("overlapView"),
                                     QStringLiteral("tradeoffView"), QStringLiteral("generationsView")}));
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
        QVERIFY(!w.findChild<QAction *>(QStringLiteral("actionOpenStore"))->isEnabled());
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

    void slidersSnapToTheGrid()
    {
        MainWindow w;
        SliderPanel *s = w.sliderPanel();
        s->setValues({0.05, 0.2, 0.3, 10, 20});
        const SliderValues v = s->values();
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
