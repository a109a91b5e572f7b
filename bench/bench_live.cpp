// SPDX-License-Identifier: MIT
// The live loop of the real main window on demo-chat (issue 15), offscreen:
//   bench_live --mode live [--moves 12] [--threads N]
//     slider rest → new ASR point: the demo's SNIP scores are computed as on first launch, the first
//     point is evaluated (the model loads, the unedited responses and the coherence threshold are
//     computed once), then the q slider is dragged (three steps 40 ms apart) to a position not
//     evaluated yet and the time from its last step to the new point's ASR in the tradeoff is taken
//     (Vanilla, 100 prompts, keyword and prefix judges; it includes the 300 ms rest). Target: median ≤ 1.5 s.
//   bench_live --mode soak [--moves 600]
//     the sliders moved 600 times among 16 positions at random intervals (20 ms to 1.6 s), so that
//     evaluations start and are superseded all the time; the process's resident memory after warm-up
//     (move 150) and at the end (all jobs done). Target: no crash, growth ≤ 5 %.
#include "alignscope/fraction_grid.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "mainwindow.h"
#include "panels/modelpanel.h"
#include "settings.h"
#include "workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

using namespace alignscope;
using namespace alignscope::ui;

namespace {

void pump(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/** Runs the event loop until `done` or `seconds` pass; false on timeout. */
template<class F>
bool waitFor(F done, double seconds)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > seconds * 1000)
            return false;
        pump(5);
    }
    return true;
}

double rssMiB()
{
    std::ifstream f("/proc/self/statm");
    long pages = 0, resident = 0;
    f >> pages >> resident;
    return double(resident) * 4096.0 / (1024.0 * 1024.0);
}

/** Bytes the allocator has handed out and not got back: what a leak grows, unlike memory kept after free. */
double inUseMiB() { return double(mallinfo2().uordblks) / (1024.0 * 1024.0); }

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "bench_live: %s\n", what);
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir tmp;
    qputenv("XDG_DATA_HOME", tmp.filePath(QStringLiteral("data")).toLocal8Bit());
    QApplication app(argc, argv);
    Settings::useFile(tmp.filePath(QStringLiteral("settings.ini")));
    std::string mode = "live";
    int moves = -1, threads = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--threads")
            threads = std::atoi(argv[i + 1]);
        else if (k == "--mode")
            mode = argv[i + 1];
        else if (k == "--moves")
            moves = std::atoi(argv[i + 1]);
    }
    configureThreads(threads);  // as the application's main() does
    Settings::instance()->set(Settings::Key::Threads, threads);  // 0: the application's default per job kind
    keepFreedMemory();
    if (mode != "live" && mode != "soak")
        fail("--mode live or soak");
    if (moves < 0)
        moves = mode == "live" ? 12 : 600;

    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    Workspace *ws = w.workspace();
    QString error;
    if (!w.openModel(QString::fromStdString(defaultModelDir()), &error) || !w.computeScores(&error))
        fail(qPrintable(error));
    if (!waitFor([&] { return !ws->isScoring() && ws->store(); }, 300))
        fail("the score job did not end");
    auto *qSlider = w.findChild<QSlider *>(QStringLiteral("qSlider"));
    auto *pSlider = w.findChild<QSlider *>(QStringLiteral("pSlider"));
    auto measured = [&] { const AsrPoint *p = ws->points().find(ws->currentPoint()); return p && !std::isnan(p->asr); };
    auto idle = [&] { return ws->engineLane()->isIdle() && !ws->points().isEmpty(); };
    // the first point: the model loads, the unedited responses and the threshold are computed once
    if (!waitFor(idle, 300))
        fail("the first evaluation did not end");

    if (mode == "live") {
        std::vector<double> ms;
        // positions never evaluated: q on 6 grid values around 10 %, p on 4 around 20 %, in a shuffled order
        std::vector<std::pair<int, int>> targets;
        for (int dp = -2; dp < 2; ++dp)
            for (int dq = -3; dq < 3; ++dq)
                if (dp != 0 || dq != 0)
                    targets.emplace_back(gridPosition(0.2) + dp, gridPosition(0.1) + dq);
        std::shuffle(targets.begin(), targets.end(), std::mt19937(5));
        moves = std::min<int>(moves, int(targets.size()));
        for (int i = 0; i < moves; ++i) {
            // p set, then a drag of q in three steps (its last step is the rest)
            const auto [p, q] = targets[size_t(i)];
            pSlider->setValue(p);
            const int from = qSlider->value();
            for (int step = 1; step < 3; ++step) {
                qSlider->setValue(from + (q - from) * step / 3);
                pump(40);
            }
            QElapsedTimer t;  // from the last step: the slider rests there
            t.start();
            qSlider->setValue(q);
            if (!waitFor(measured, 120))
                fail("no ASR point for the new position");
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
            if (!waitFor([&] { return ws->engineLane()->isIdle(); }, 120))  // the rest of it, before the next drag
                fail("the evaluation did not end");
        }
        std::sort(ms.begin(), ms.end());
        std::printf("slider rest -> new ASR point on demo-chat (Vanilla, 100 prompts, %zu drags): median %.0f ms, min %.0f ms, "
                    "p90 %.0f ms, max %.0f ms (target: median <= 1500 ms; includes the %d ms rest)\n",
                    ms.size(), ms[ms.size() / 2], ms.front(), ms[ms.size() * 9 / 10], ms.back(), Workspace::kEvaluationDelayMs);
        return 0;
    }

    // soak: evaluations started and superseded, the memory watched
    std::mt19937 rng(11);
    const int q0 = gridPosition(0.05), p0 = gridPosition(0.1);
    const int delays[] = {20, 60, 150, 320, 700, 1600};  // the long rests let evaluations finish
    int evaluationsStarted = 0, cancelled = 0, finished = 0;
    QObject::connect(ws->engineLane(), &JobLane::ended, [&](JobId, JobKind kind, const QString &, JobOutcome o, const QString &) {
        if (kind != JobKind::Evaluate)
            return;
        (o == JobOutcome::Cancelled ? cancelled : finished) += 1;
    });
    QObject::connect(ws->engineLane(), &JobLane::started, [&](JobId, JobKind kind) { evaluationsStarted += kind == JobKind::Evaluate; });
    double warm = 0, warmInUse = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < moves; ++i) {
        const int k = int(rng() % 16u);
        pSlider->setValue(p0 + k / 4);
        qSlider->setValue(q0 + k % 4);
        pump(delays[rng() % 6u]);
        if (i == 150) {
            waitFor([&] { return ws->engineLane()->isIdle(); }, 300);
            warm = rssMiB();
            warmInUse = inUseMiB();
        }
        if (i % 100 == 0)
            std::fprintf(stderr, "move %d: resident %.1f MiB, allocated %.1f MiB, %d evaluations started\n", i, rssMiB(),
                         inUseMiB(), evaluationsStarted);
    }
    if (!waitFor([&] { return ws->engineLane()->isIdle(); }, 300))
        fail("the last evaluation did not end");
    pump(500);
    const double end = rssMiB(), endInUse = inUseMiB();
    std::printf("soak: %d slider moves in %.0f s, %d evaluations started, %d superseded, %d finished, %zu points; resident "
                "memory %.1f MiB after warm-up (move 150), %.1f MiB at the end: %+.1f %% (target: <= +5 %%); allocated "
                "%.1f -> %.1f MiB (%+.1f %%)\n",
                moves, clock.elapsed() / 1000.0, evaluationsStarted, cancelled, finished, size_t(ws->points().points().size()), warm, end,
                100.0 * (end - warm) / warm, warmInUse, endInUse, 100.0 * (endInUse - warmInUse) / warmInUse);
    return 0;
}
