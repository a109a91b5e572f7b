// SPDX-License-Identifier: MIT
#pragma once
#include "plot/figure.h"

#include <QObject>
#include <QPair>
#include <QStringList>

class QWidget;

namespace alignscope::ui {

class GenerationsView;
class HeadsView;
class LayerMapView;
class MatrixView;
class OverlapView;
class PlotView;
class TradeoffView;
class Workspace;

/**
 * The views of a workspace, kept drawn from it: the layer map, overlap, tradeoff, matrix, heads and
 * generations views follow its selection, points, store and options, and what is done in a view
 * (a click on a point or a cell, a changed option) goes back to it. The main window lays these views
 * out; the headless figures export them without a window.
 */
class ViewSet : public QObject {
    Q_OBJECT
public:
    /** Creates the views (children of `parent`, which may be null) and wires them to `workspace`. */
    ViewSet(Workspace *workspace, QWidget *parent);
    ~ViewSet() override;

    LayerMapView *layerMap() const { return m_layerMap; }
    OverlapView *overlap() const { return m_overlap; }
    TradeoffView *tradeoff() const { return m_tradeoff; }
    MatrixView *matrix() const { return m_matrix; }
    HeadsView *heads() const { return m_heads; }
    GenerationsView *generations() const { return m_generations; }
    /** The views with figures, with their file names: layer-map, overlap, tradeoff, matrix, heads. */
    QList<QPair<QString, PlotView *>> plotViews() const;

    /** Redraws every view from the workspace. */
    void redrawAll();
    /**
     * Writes every view that has data into `dir` as PDF, SVG, PNG and CSV in `style` (the figure set of
     * File ▸ Export figures and `alignscope-cli figures`). Returns the files; on failure an empty list and `error`.
     */
    QStringList exportFigureSet(const QString &dir, const FigureStyle &style, QString *error) const;

private:
    void redrawMap();
    void redrawOverlap();
    void redrawTradeoff();
    void redrawGenerations();
    void redrawHeads();
    void applyOptions();
    void takeOptions();
    QString noScoresText() const;

    Workspace *m_ws;
    LayerMapView *m_layerMap;
    OverlapView *m_overlap;
    TradeoffView *m_tradeoff;
    MatrixView *m_matrix;
    HeadsView *m_heads;
    GenerationsView *m_generations;
    bool m_applying = false;
};

} // namespace alignscope::ui
