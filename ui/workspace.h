// SPDX-License-Identifier: MIT
// The workspace: everything a session of AlignScope knows, without a widget. The open model and its
// score-job settings, the open store, the selection (edit, parameters, score pair), the ASR points
// evaluated so far, the views' options, the background jobs that compute scores, evaluate points,
// probe heads and read from the store (stale results dropped by request id), and the workspace file.
// The main window lays it out and wires it to widgets; the headless figures and the tests drive it
// without a window.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/heads.h"
#include "alignscope/model_config.h"
#include "asrpoints.h"
#include "jobs.h"
#include "selection.h"
#include "storesession.h"
#include "views/layermapview.h"
#include "views/tradeoffview.h"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace alignscope::ui {

class LiveEngine;
struct LiveResult;

/** The score job the model panel sets up. */
struct ScoreJobSettings {
    QString safety, utility;     ///< calibration datasets
    QString method = QStringLiteral("snip");
    int nsamples = 128, seed = 0;
    int maxLength = 0;           ///< 0: whole examples
    bool operator==(const ScoreJobSettings &o) const
    {
        return safety == o.safety && utility == o.utility && method == o.method && nsamples == o.nsamples && seed == o.seed &&
               maxLength == o.maxLength;
    }
};

/** The views' options that a workspace file keeps. */
struct ViewOptions {
    TradeoffOptions tradeoff;
    bool overlapSubspace = false;
    ColorScale mapScale;
    int view = 0;  ///< the view shown beside the tradeoff (0 layer map, 1 overlap, 2 matrix, 3 heads)
};

/** What the background work is doing now, for the status bar. */
struct Activity {
    bool busy = false;
    bool cancellable = false;
    QString text;           ///< "Evaluating p = 20 %, q = 10 %: ASR, about 1s left"
    double fraction = -1;   ///< 0…1, or < 0 when unknown
};

class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    // --- the model
    /** Reads `dir`/config.json; false with `error` naming the file and the problem. */
    bool openModel(const QString &dir, QString *error);
    const QString &modelDir() const { return m_modelDir; }
    const ModelConfig &config() const { return m_config; }
    /** The open model has weights (a folder with only config.json can be inspected, not evaluated). */
    bool canEvaluate() const { return m_canEvaluate; }
    bool isDemo() const;
    /** min(d_out, d_in) over the model's matrices: the rank controls' upper bound. */
    int maxRank() const;
    const ScoreJobSettings &scoreJob() const { return m_scoreJob; }
    /** The model panel's settings; the estimate follows once they rest. */
    void setScoreJob(const ScoreJobSettings &settings);
    /** Where the scores of the model in `modelDir` go when no store is open (the app's data folder). */
    static QString defaultStorePath(const QString &modelDir);
    /** Computes the score job's safety and utility sets into the store, in the background. */
    bool computeScores(QString *error);
    bool isScoring() const;
    const QString &estimate() const { return m_estimate; }

    // --- the store
    /** Opens a store (and its model when another is open); false with `error` naming the file. */
    bool openStore(const QString &path, QString *error);
    StoreSession *session() const { return m_session.get(); }
    const Store *store() const;
    /** Reads the open store again (what other processes committed: a cluster's shards, a CLI job). */
    bool reloadStore(QString *error);
    /** Whether the open store is read again by itself when another process replaces it (default on). */
    bool watchesStore() const { return m_watch; }
    void setWatchStore(bool on);

    // --- the selection
    const SliderValues &selection() const { return m_selection; }
    /** Moves the controls; the views follow at once, the evaluation once they rest. */
    void setSelection(const SliderValues &v);
    int pair() const { return m_pair; }
    void setPair(int pair);
    MapQuantity mapQuantity() const { return m_quantity; }
    void setMapQuantity(MapQuantity q);
    const ViewOptions &viewOptions() const { return m_view; }
    void setViewOptions(const ViewOptions &o);
    /** Milliseconds between the last move of the controls and the evaluation of the edit. */
    static constexpr int kEvaluationDelayMs = 300;

    // --- answers for the views (from the store's summaries; what is slow is read in the background)
    /** The layer map's values, what they are and the colour bar's name; false with the reason (e.g. "Reading …") in `why`. */
    bool layerMap(QVector<QVector<double>> &values, QString &label, QString &scale, QString &why);
    /** The overlap view's report at the controls; nullptr with the reason in `why`. */
    const OverlapReport *overlap(QString &label, QString &why);
    /** What the edit removes: the actual sparsity (NaN for a projection, with its ranks in `text`). */
    double removed(QString &text);
    TradeoffCursor cursor() const;

    // --- ASR points
    const AsrPointSet &points() const { return m_points; }
    SeriesColors &colors() { return m_colors; }
    /** The point of the current edit, or 0. */
    int currentPoint() const;
    /** Makes point `id` the current edit: the controls, views and generations show it. */
    bool selectPoint(int id);
    void clearPoints();
    /** Evaluates the current edit now (normally 300 ms after the controls rest); nothing if it is measured. */
    void evaluateCurrent();
    /**
     * Evaluates `edit` with the current score pair in the background; with `supersede` an evaluation of
     * another edit that is queued or running stops (a slider moved on), else it queues behind them (a
     * list of edits to measure). Nothing when the edit is measured or on its way.
     */
    void evaluate(const SliderValues &edit, bool supersede);
    /** The generations to show and what they belong to. */
    QVector<GenerationRow> generations(QString &caption) const;
    const QString &lastResult() const { return m_lastResult; }

    // --- attention heads
    bool openProbing(const QString &path, QString *error);
    const HeadProbing &probing() const { return m_probing; }
    bool probeHeads(QString *error);
    /** Evaluates ablating `heads`; `label` names the ablation in the result. */
    bool evaluateAblation(const std::vector<HeadRef> &heads, HeadAblation how, const QString &label, QString *error);

    // --- one matrix up close
    /** Reads the matrix view of (layer, matrix) at the controls' p, q in the background (matrixReady). */
    bool showMatrix(int layer, int matrix, QString *error);

    // --- workspace files
    bool save(const QString &path, QString *error) const;
    bool load(const QString &path, QString *error);

    // --- background work
    JobLane *engineLane() const { return m_engine.get(); }
    JobLane *ioLane() const { return m_io.get(); }
    const Activity &activity() const { return m_activity; }
    /** Cancels the running engine job (score job, evaluation, probe, ablation). */
    void cancel();
    /** Waits until every job has ended and its result was taken (tests, closing). */
    void waitForIdle();

Q_SIGNALS:
    void modelChanged();
    void scoreJobChanged();
    void storeChanged();
    /** The controls moved (or a point was selected): views redraw. */
    void selectionChanged();
    /** A slow answer arrived (mean scores, bases, exact ranks): views redraw. */
    void dataChanged();
    void pointsChanged();
    void viewOptionsChanged();
    void generationsChanged();
    void estimateChanged(const QString &text);
    void activityChanged();
    /** A result or event for the status bar; it stays until the next. */
    void statusMessage(const QString &text);
    /** Something failed that the user asked for (a dialog). */
    void failed(const QString &title, const QString &message);
    void scoringChanged(bool running);
    void probingChanged();
    void ablationResult(const QString &text);
    void matrixReady(const alignscope::MatrixDetail &detail, const QString &title);
    /** A live evaluation's ASR is known (its utility and coherence follow). */
    void pointEvaluated(int id);

private:
    void say(const QString &text);
    void startEstimate();
    void requestRead(const StoreSession::PendingRead &what);
    std::shared_ptr<LiveEngine> liveEngine();
    AsrPoint pointFor(const SliderValues &v) const;
    void takeResult(quint64 request, quint64 epoch, AsrPoint point, const LiveResult &r, bool complete);
    void jobStarted(JobId id, JobKind kind, const QString &title);
    void jobProgress(JobId id, JobKind kind, const QString &title, double fraction, const QString &stage, double eta);
    void jobEnded(JobId id, JobKind kind);
    bool reopenStore(const QString &path, QString *error);
    void watchOpenStore();
    void storeChangedOnDisk();

    std::unique_ptr<JobLane> m_engine;  ///< model work: scoring, evaluations, probes (one at a time)
    std::unique_ptr<JobLane> m_io;      ///< store reads and estimates
    QString m_modelDir;
    ModelConfig m_config;
    bool m_canEvaluate = false;
    ScoreJobSettings m_scoreJob;
    QString m_estimate;
    QTimer m_estimateDelay, m_evaluateDelay;
    QFileSystemWatcher *m_watcher = nullptr;  ///< the open store's file and folder (a commit renames over the file)
    QTimer m_watchDelay;                      ///< a commit's burst of events ends before the store is read again
    bool m_watch = true;
    QDateTime m_storeModified;                ///< of the store file as last read
    qint64 m_storeSize = -1;
    JobId m_scoreJobId = 0;
    QString m_scoreStore;  ///< the store a running score job writes
    std::unique_ptr<StoreSession> m_session;
    std::map<std::string, std::string> m_setStamps;  ///< creation time per score set of the open store
    SliderValues m_selection;
    int m_pair = -1;
    MapQuantity m_quantity = MapQuantity::Removed;
    ViewOptions m_view;
    AsrPointSet m_points;
    SeriesColors m_colors;
    JobTracker m_requests;  ///< evaluation requests: only the newest updates the generations and status
    JobTracker m_epochs;    ///< the open model and store: results of an earlier one are dropped
    QSet<QString> m_evaluating;  ///< the keys of the edits queued or being evaluated
    JobId m_liveJob = 0;         ///< the evaluation of the controls' position (superseded by the next)
    QString m_liveKey;
    QString m_lastResult;
    QVector<GenerationRow> m_ablationRows;  ///< the last head ablation's generations
    QString m_ablationCaption;
    QVector<StoreSession::PendingRead> m_reading;
    OverlapReport m_jaccard;  ///< the overlap view's Jaccard indices at the controls' p
    std::shared_ptr<LiveEngine> m_live;
    HeadProbing m_probing;
    std::shared_ptr<double> m_flops;  ///< this machine's matrix-product rate (measured once, on the I/O lane)
    Activity m_activity;
    JobId m_activityJob = 0;
};

} // namespace alignscope::ui
