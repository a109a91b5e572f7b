// SPDX-License-Identifier: MIT
#pragma once
#include <QMainWindow>

class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace alignscope::ui {

class GenerationsView;
class LayerMapView;
class LinePlotView;
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
    /** The plot of the visible view, or nullptr when it has none (the generations view). */
    PlotView *currentPlotView() const;

    /** The Help ▸ About text: program, Qt, libtorch, HDF5 and QCustomPlot versions. */
    static QString aboutText();

    LayerMapView *layerMap() const { return m_layerMap; }
    LinePlotView *overlap() const;
    LinePlotView *tradeoff() const;
    GenerationsView *generations() const { return m_generations; }
    ModelPanel *modelPanel() const { return m_modelPanel; }
    SliderPanel *sliderPanel() const { return m_sliders; }
    QTabWidget *views() const { return m_views; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void chooseModel();
    void exportCurrentFigure(PlotView *view);
    void showError(const QString &title, const QString &message);

    ModelPanel *m_modelPanel;
    SliderPanel *m_sliders;
    QTabWidget *m_views;
    LayerMapView *m_layerMap;
    PlotView *m_overlap;
    PlotView *m_tradeoff;
    GenerationsView *m_generations;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QMenu *m_recentMenu = nullptr;
};

} // namespace alignscope::ui
