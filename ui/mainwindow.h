// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/sweep.h"
#include "views/lineplotview.h"

#include <QMainWindow>

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
class Store;
}

namespace alignscope::ui {

class GenerationsView;
class JobRunner;
class LayerMapView;
class LinePlotView;
class MatrixView;
class ModelPanel;
class PlotView;
class SliderPanel;

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
    const Store *store() const { return m_store.get(); }
    /** Where the scores of the model in `modelDir` go when no store is open (the app's data folder). */
    static QString defaultStorePath(const QString &modelDir);
    /** Starts computing the model panel's method for its safety and utility datasets in the background. */
    bool computeScores(QString *error);
    JobRunner *jobs() const { return m_jobs; }

    /** One evaluated point of the live tradeoff curve. */
    struct LivePoint {
        double p = 0, q = 0, actualSparsity = 0, asr = 0, compliance = -1, utility = -1;
        int prompts = 0;
    };
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
    void chooseStore();
    /** Redraws the layer map, overlap view and actual sparsity from the store at the sliders' (p, q). */
    void updateFromStore();
    /** The store's precomputed sweeps of weight edits as ASR-vs-sparsity points. */
    void showSweeps();
    /** The sweeps' points plus the sliders' (p, q) where a sweep of the chosen pair evaluated it. */
    void showCurrentPoint();
    /** The set difference of score pair `pair` at the sliders' (p, q), snapped to the grid. */
    SelectionSpec sliderSelection(int pair) const;
    /** Evaluates the sliders' (p, q) in the background (after the debounce); a newer position cancels it. */
    void evaluateCurrent();
    void exportCurrentFigure(PlotView *view);
    void chooseFigureSetFolder();
    void showError(const QString &title, const QString &message);

    ModelPanel *m_modelPanel;
    SliderPanel *m_sliders;
    QTabWidget *m_views;
    LayerMapView *m_layerMap;
    PlotView *m_overlap;
    PlotView *m_tradeoff;
    GenerationsView *m_generations;
    MatrixView *m_matrix;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QMenu *m_recentMenu = nullptr;
    JobRunner *m_jobs;
    QString m_jobStore;  ///< the store a running job writes
    QTimer *m_debounce;
    bool m_evaluating = false, m_evaluationPending = false;
    bool m_canEvaluate = false;  ///< the open model has weights
    struct Engine;                      ///< the model, tokenizer and prompts the evaluations share
    std::shared_ptr<Engine> m_engine;   ///< used only by the job thread
    QVector<LivePoint> m_live;
    std::unique_ptr<Store> m_store;
    std::vector<std::pair<std::string, std::string>> m_pairs;  ///< (safety, utility) with summaries
    std::vector<SweepTable> m_sweeps;                           ///< weight-edit sweeps of the store
    QVector<Series> m_sweepSeries;
};

} // namespace alignscope::ui
