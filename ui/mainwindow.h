// SPDX-License-Identifier: MIT
#pragma once
#include "plot/figure.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace alignscope {
class Store;
}

namespace alignscope::ui {

class GenerationsView;
class HeadsView;
class LayerMapView;
class LinePlotView;
class MatrixView;
class ModelPanel;
class OverlapView;
class PlotView;
class SliderPanel;
class TradeoffView;
class ViewSet;
class Workspace;

/**
 * The application window, layout and wiring only: the layer map (or overlap, matrix, heads) beside the
 * tradeoff, the generations in a drawer below, the selection and the model & data panel docked on the
 * right, the status bar with the last result and the running job. What the session knows and does is
 * the Workspace's; the views are drawn by a ViewSet.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Workspace *workspace() const { return m_ws; }
    ViewSet *viewSet() const { return m_viewSet; }

    /** Shorthands for the workspace's: open a model, a store, a workspace file, a probing result. */
    bool openModel(const QString &dir, QString *error);
    bool openStore(const QString &path, QString *error);
    bool openWorkspace(const QString &path, QString *error);
    bool saveWorkspace(const QString &path, QString *error) const;
    bool openProbing(const QString &path, QString *error);
    /** Starts computing the model panel's method for its safety and utility datasets in the background. */
    bool computeScores(QString *error);
    /** The open store, or nullptr. */
    const Store *store() const;

    LayerMapView *layerMap() const;
    OverlapView *overlap() const;
    TradeoffView *tradeoff() const;
    GenerationsView *generations() const;
    HeadsView *headsView() const;
    MatrixView *matrixView() const;
    ModelPanel *modelPanel() const { return m_modelPanel; }
    SliderPanel *sliderPanel() const { return m_sliders; }
    /** The tabs beside the tradeoff: layer map, overlap, matrix, heads. */
    QTabWidget *views() const { return m_views; }
    /** The plot in the tab beside the tradeoff. */
    PlotView *currentPlotView() const;
    /** Opens the matrix view of (layer, matrix) at the controls' p, q (a layer-map click). */
    bool showMatrix(int layer, int matrix, QString *error);
    /** Writes every view with data into `dir` (File ▸ Export figures, the figure set). */
    QStringList exportFigureSet(const QString &dir, const FigureStyle &style, QString *error);
    /** Opens the export dialog for `view` (nullptr: the figure set). */
    void exportFigures(PlotView *view);

    /** What the visible views show and how they are computed (Help ▸ About these views, F1). */
    QString viewHelpText() const;
    /** The size the window opens at on a screen of `available` size when nothing was saved. */
    static QSize defaultSize(const QSize &available);
    /** Whether the generations drawer is open. */
    bool generationsOpen() const;
    void setGenerationsOpen(bool open);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void chooseModel();
    void chooseStore();
    void showError(const QString &title, const QString &message);
    void syncFromWorkspace();
    void syncModel();
    void syncActivity();

    Workspace *m_ws;
    ViewSet *m_viewSet;
    ModelPanel *m_modelPanel;
    SliderPanel *m_sliders;
    QTabWidget *m_views;
    QSplitter *m_plots;
    QSplitter *m_central;
    QWidget *m_drawer;
    QDockWidget *m_modelDock;
    QDockWidget *m_sliderDock;
    QLabel *m_status;
    QLabel *m_activity;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QMenu *m_recentMenu = nullptr;
    bool m_syncing = false;
    bool m_placed = false;
};

} // namespace alignscope::ui
