// SPDX-License-Identifier: MIT
#pragma once
#include "plot/datatable.h"
#include "plot/figure.h"

#include <QWidget>

#include <initializer_list>
#include <memory>

class QCustomPlot;
class QLabel;

namespace alignscope::ui {

/**
 * Base of every chart: a QCustomPlot, an empty-state message over it when there is nothing to show, a
 * context menu to export, and the data behind the figure (exportTable()). A view keeps its data and
 * draws it into any plot (render()): its own on screen, and a new one for every figure, where the
 * paper style, the legend's place and the size apply without touching the view.
 */
class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget *parent = nullptr);
    ~PlotView() override;

    QCustomPlot *plot() const { return m_plot; }

    /** Shows `text` over the plot (e.g. "No model loaded"); an empty text hides it. */
    void setEmptyText(const QString &text);
    QString emptyText() const;
    bool isEmptyState() const;

    /** Exactly the plotted data, column-oriented (for CSV export and tests). */
    virtual DataTable exportTable() const { return {}; }
    /** Title of exported figures. */
    virtual QString figureTitle() const = 0;
    /** Height / width of a figure whose height the style leaves open. */
    virtual double figureAspect() const { return 0.62; }

    /** A new plot with what this view shows, in `style`, laid out at its size (`w` × `h` logical pixels). */
    std::unique_ptr<QCustomPlot> figure(const FigureStyle &style, int *w = nullptr, int *h = nullptr) const;
    /** Writes the figure (PNG, PDF, SVG) or its table (CSV) to `path`. False with `error` naming the file. */
    bool exportTo(const QString &path, ExportFormat format, const FigureStyle &style, QString *error) const;

    /** Redraws the view's own plot from its data. */
    void refresh();

Q_SIGNALS:
    void exportRequested(alignscope::ui::PlotView *view);
    /** The view's plot was drawn anew from its data (refresh): an open export preview follows it. */
    void redrawn();

protected:
    /** Creates the view's fixed elements (colour bars, extra axis rects) in a new plot. */
    virtual void setupPlot(QCustomPlot *plot) const { Q_UNUSED(plot) }
    /** Draws the view's data into a plot that setupPlot() prepared (nothing in the empty state). */
    virtual void render(QCustomPlot *plot) const = 0;

    /** Puts `controls` (a row of buttons and choosers that belong to this view) above the plot. */
    void setControls(QWidget *controls);
    /** The usual controls: one row of `widgets`, left-aligned above the plot. */
    void setControls(std::initializer_list<QWidget *> widgets);
    void changeEvent(QEvent *event) override;
    /** Re-colours the plot from the palette (called on palette changes). */
    virtual void updateColors();
    /** setupPlot() on the view's own plot, once (subclass constructors call it). */
    void setUp();

private:
    QCustomPlot *m_plot = nullptr;
    QLabel *m_empty = nullptr;
    bool m_setUp = false;
};

} // namespace alignscope::ui
