// SPDX-License-Identifier: MIT
// Slider move to repaint in the real main window (issues 7, 15): a store with Llama-2-7B shapes
// (32 × 7 matrices, synthetic summaries) is open with its model folder (config.json only, so no
// evaluation starts) and 40 ASR points in the tradeoff; every iteration moves the q slider widget to a
// random grid position and waits until the layer map (or the overlap view), the tradeoff beside it
// and the readout have been redrawn and painted.
//   bench_slider [--moves 300] [--view 0|1]
// Median and 90th percentile in milliseconds (target: median <= 16 ms, one frame at 60 Hz).
#include "alignscope/analysis.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/store.h"
#include "asrpoints.h"
#include "mainwindow.h"
#include "panels/sliderpanel.h"
#include "workspace.h"
#include "plot/plotview.h"
#include "settings.h"
#include "synthetic_store.h"
#include "views/layermapview.h"

#include "views/lineplotview.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSlider>
#include <QStatusBar>
#include <QDir>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir tmp;
    qputenv("XDG_DATA_HOME", tmp.filePath(QStringLiteral("data")).toLocal8Bit());
    QApplication app(argc, argv);
    alignscope::ui::Settings::useFile(tmp.filePath(QStringLiteral("settings.ini")));
    int moves = 300, view = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--moves")
            moves = std::atoi(argv[i + 1]);
        else if (k == "--view")
            view = std::atoi(argv[i + 1]);
    }
    const QString model = tmp.filePath(QStringLiteral("llama-2-7b-config"));
    QDir().mkpath(model);
    std::ofstream(QDir(model).filePath(QStringLiteral("config.json")).toStdString()) << alignscope::bench::llama2_7bConfigJson();
    const std::string store = tmp.filePath(QStringLiteral("store.h5")).toStdString();
    alignscope::bench::writeSyntheticStore(store, model.toStdString());

    // 40 ASR points (5 lines of 8) in a workspace file, so the tradeoff beside the map draws what it draws in use
    alignscope::ui::AsrPointSet points;
    for (int qi = 0; qi < 5; ++qi)
        for (int pi = 0; pi < 8; ++pi) {
            alignscope::ui::AsrPoint pt;
            pt.edit.p = alignscope::fractionGrid()[size_t(20 + 2 * pi)];
            pt.edit.q = alignscope::fractionGrid()[size_t(20 + 3 * qi)];
            pt.safetySet = QStringLiteral("safety");
            pt.utilitySet = QStringLiteral("utility");
            pt.actualSparsity = pt.edit.q * (1 - pt.edit.p);
            pt.asr = std::min(1.0, 10 * pt.actualSparsity);
            pt.prefixAsr = pt.asr / 2;
            pt.incoherentSuccess = pt.asr / 10;
            pt.utility = 0.9;
            pt.prompts = 100;
            pt.complete = true;
            points.upsert(pt);
        }
    const QString ws = tmp.filePath(QStringLiteral("bench.alignscope.json"));
    {
        QFile f(ws);
        f.open(QIODevice::WriteOnly);
        f.write(QJsonDocument(QJsonObject{{QStringLiteral("format"), QStringLiteral("alignscope-workspace")},
                                          {QStringLiteral("version"), 2},
                                          {QStringLiteral("store"), QString::fromStdString(store)},
                                          {QStringLiteral("view"), view},
                                          {QStringLiteral("asr_points"), points.toJson()}})
                    .toJson());
    }
    alignscope::ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QString error;
    if (!w.openWorkspace(ws, &error)) {
        std::fprintf(stderr, "bench_slider: %s\n", qPrintable(error));
        return 1;
    }
    QApplication::processEvents();
    std::mt19937 rng(7);
    std::vector<double> ms;
    alignscope::ui::SliderValues v = w.sliderPanel()->values();
    const int G = int(alignscope::fractionGrid().size());
    for (int i = 0; i < moves; ++i) {
        int pos = int(rng() % std::uint32_t(G));
        v.q = alignscope::ui::SliderPanel::fractionAt(pos);
        if (alignscope::ui::SliderPanel::positionOf(w.sliderPanel()->values().q) == pos)
            continue;
        QElapsedTimer t;
        t.start();
        w.findChild<QSlider *>(QStringLiteral("qSlider"))->setValue(pos);  // the slider moves: the views update
        w.repaint();                                                        // and are painted now
        QApplication::processEvents();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        // what was timed is a real redraw: the map holds this position's numbers
        if (w.layerMap()->layerCount() != 32 || !(w.layerMap()->valueAt(31, 6) >= 0) ||
            w.overlap()->series().size() != 9 || w.workspace()->selection().q != v.q || w.tradeoff()->series().size() < 5) {
            std::fprintf(stderr, "bench_slider: the views were not redrawn (%s)\n",
                         qPrintable(w.statusBar()->currentMessage()));
            return 1;
        }
    }
    // baseline in the same run: the store's answers alone (set-difference counts and overlap), no drawing
    std::vector<double> base;
    for (int i = 0; i < moves; ++i) {
        const int pos = int(rng() % std::uint32_t(G));
        QElapsedTimer t;
        t.start();
        const alignscope::SliderAnswer a = w.store()->query("safety", "utility", alignscope::nearestFractionIndex(v.p), pos,
                                                            alignscope::Granularity::WholeMatrix);
        alignscope::OverlapSpec o;
        o.safety = "safety";
        o.utility = "utility";
        o.p = alignscope::fractionGrid()[size_t(pos)];
        const alignscope::OverlapReport r = alignscope::reportOverlap(*w.store(), o);
        base.push_back(double(t.nsecsElapsed()) / 1e6 + 0 * double(a.removed + r.layers));
    }
    std::sort(ms.begin(), ms.end());
    std::sort(base.begin(), base.end());
    const double median = ms[ms.size() / 2], p90 = ms[ms.size() * 9 / 10], baseMedian = base[base.size() / 2];
    std::printf("slider move to repaint, Llama-2-7B shapes, view %d beside the tradeoff (40 points), %zu moves: median %.2f ms, p90 %.2f ms, max %.2f ms "
                "(target: median <= 16 ms); the store's answers alone: median %.3f ms (%.0fx less)\n",
                view, ms.size(), median, p90, ms.back(), baseMedian, median / baseMedian);
    return 0;
}
