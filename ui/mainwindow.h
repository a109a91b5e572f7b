// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/heads.h"
#include "alignscope/sweep.h"
#include "panels/sliderpanel.h"
#include "views/tradeoffview.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class QLabel;
class QMenu;
class QTimer;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace alignscope {
class JobContext;
class Store;
}

namespace alignscope::ui {

class GenerationsView;
class HeadsView;
class JobRunner;
class LiveEngine;
struct LiveResult;
class LayerMapView;
class LinePlotView;
class MatrixView;
class ModelPanel;
class PlotView;
class SliderPanel;
class StoreSession;

/** The application window: model & data panel, the views, the slider dock, status bar with progress. */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /** Reads `dir`/config.json and shows the model; on failure returns false with `error` naming file and problem. */
    bool openModel(const QString &dir, QString *error);
    /**
     * Opens a store (docs/STORE_FORMAT.md): its model is opened too when none is or another one is; the
     * views then draw from its slider summaries and sweeps. False with `error` naming the file and problem.
     */
    bool openStore(const QString &path, QString *error);
    /** The open store, or nullptr. */
    const Store *store() const;
    /** Where the scores of the model in `modelDir` go when no store is open (the app's data folder). */
    static QString defaultStorePath(const QString &modelDir);
    /** Starts computing the model panel's method for its safety and utility datasets in the background. */
    bool computeScores(QString *error);
    JobRunner *jobs() const { return m_jobs; }

    const QVector<LivePoint> &livePoints() const { return m_live; }
    /** Milliseconds between the last slider move and the evaluation of its (p, q). */
    static constexpr int kEvaluationDelayMs = 300;
    /** The plot of the visible view, or nullptr when it has none (the generations view). */
    PlotView *currentPlotView() const;

    /** What the visible view shows and how it is computed (Help ▸ About this view, F1). */
    QString viewHelpText() const;
    /** The Help ▸ About text: program, Qt, libtorch, HDF5 and QCustomPlot versions. */
    static QString aboutText();

    LayerMapView *layerMap() const { return m_layerMap; }
    LinePlotView *overlap() const;
    LinePlotView *tradeoff() const;
    GenerationsView *generations() const { return m_generations; }
    HeadsView *headsView() const { return m_heads; }
    /** Shows a probing-result JSON in the heads view. False with `error` naming the file and problem. */
    bool openProbing(const QString &path, QString *error);
    /** Probes the open model's heads in the background (the model panel's safety and utility datasets). */
    bool probeHeads(QString *error);
    /** Evaluates the heads view's ablation in the background; its result appears in the view. */
    bool evaluateHeadAblation(QString *error);
    MatrixView *matrixView() const { return m_matrix; }
    /**
     * Writes every view that has data (layer map, overlap, tradeoff, matrix) into `dir` as PNG, PDF, SVG
     * and CSV, all at one size: "single" (one column of a two-column paper, 3.5 in wide) or "double"
     * (7 in). Returns the files written; on failure an empty list and `error`.
     */
    QStringList exportFigureSet(const QString &dir, const QString &size, QString *error);
    /**
     * A workspace file (JSON): the model, store, datasets, method, slider positions, score pair and
     * visible view. saveWorkspace writes it; openWorkspace restores it (the model and store must exist).
     */
    bool saveWorkspace(const QString &path, QString *error) const;
    bool openWorkspace(const QString &path, QString *error);
    /** Shows the matrix view of (layer, matrix) at the sliders' p and q (a layer-map click). */
    bool showMatrix(int layer, int matrix, QString *error);
    ModelPanel *modelPanel() const { return m_modelPanel; }
    SliderPanel *sliderPanel() const { return m_sliders; }
    QTabWidget *views() const { return m_views; }

Q_SIGNALS:
    /** A live evaluation's ASR point was added (its utility follows when the job ends). */
    void livePointAdded();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void chooseModel();
    /** The layer map's and overlap view's empty state when the model has no scores. */
    static QString noScoresText();
    /** Estimates the model panel's score job (both datasets) and shows it there. */
    void updateEstimate();
    void chooseStore();
    /** Redraws the layer map, overlap view and actual sparsity from the store at the sliders' (p, q). */
    void updateFromStore();
    /** updateFromStore without starting an evaluation. */
    void redrawFromStore();
    /** The sweeps' points plus the sliders' (p, q) where a sweep of the chosen pair evaluated it. */
    void showCurrentPoint();
    /** Starts a job on the live engine (created for the open model when needed). */
    bool startEngineJob(const QString &title, std::function<void(LiveEngine &, JobContext &)> work);
    /** Evaluates the sliders' (p, q) in the background (after the debounce); a newer position cancels it. */
    void evaluateCurrent();
    void exportCurrentFigure(PlotView *view);
    void chooseFigureSetFolder();
    void showError(const QString &title, const QString &message);

    ModelPanel *m_modelPanel;
    SliderPanel *m_sliders;
    QTabWidget *m_views;
    LayerMapView *m_layerMap;
    OverlapView *m_overlap;
    TradeoffView *m_tradeoff;
    GenerationsView *m_generations;
    MatrixView *m_matrix;
    HeadsView *m_heads;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QMenu *m_recentMenu = nullptr;
    JobRunner *m_jobs;
    QString m_jobStore;  ///< the store a running job writes
    QTimer *m_debounce;
    bool m_evaluating = false, m_evaluationPending = false;
    bool m_canEvaluate = false;  ///< the open model has weights
    std::shared_ptr<LiveEngine> m_engine;   ///< used only by the job thread
    std::shared_ptr<LiveResult> m_result;   ///< the last live evaluation's, read after its job ended
    LivePoint m_livePending;                ///< the point the running evaluation measures
    std::shared_ptr<HeadProbing> m_probed;  ///< a probing job's result
    QString m_ablationText;                 ///< the heads view's result line, %1 = the utility
    enum class EngineJob { None, Point, Probe, Ablation } m_engineJob = EngineJob::None;
    MachineSpeed m_speed;  ///< this machine's matrix-product rate, measured at the first estimate
    QVector<LivePoint> m_live;
    std::unique_ptr<StoreSession> m_session;  ///< the open store
};

} // namespace alignscope::ui
