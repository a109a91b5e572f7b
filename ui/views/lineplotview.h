// SPDX-License-Identifier: MIT
#pragma once
#include "plot/plotview.h"

#include <QColor>
#include <QVector>

#include <utility>

namespace alignscope {
struct OverlapReport;
}

class QComboBox;

namespace alignscope::ui {

/** How a series marks its points. */
enum class Marker { None, Circle, Disc, Cross, Ring };

/** One named line or point series of a LinePlotView. */
struct Series {
    QString name;
    QVector<double> x;
    QVector<double> y;
    bool points = false;  ///< markers only (a circle unless `marker` says otherwise), no line
    bool dashed = false;  ///< e.g. aggregates
    int color = -1;       ///< index into the categorical palette; -1: the series' position
    QColor penColor;      ///< when valid, overrides `color`
    double width = 2.0;   ///< line width in logical pixels
    Marker marker = Marker::None;
    double markerSize = 7;
    int fillTo = -1;      ///< > -1: a hatched band between this series and series number `fillTo`
    bool legend = true;   ///< listed in the legend
    QStringList labels;   ///< when set: a small label beside each point (same order as x, y)
};

/** One axis: its label, scale and range (the data's, framed with a margin, unless fixed). */
struct AxisSpec {
    QString label;
    bool log = false;
    bool fixedRange = false;
    double lower = 0, upper = 1;
    bool integerTicks = false;  ///< whole numbers only (layers)
    QVector<double> ticksAt;    ///< when set: ticks at exactly these values (a sweep's grid)
};

/**
 * Lines or scatter series against a shared x axis; the base of the overlap and tradeoff views and of
 * the headless line figures. Colours come from the colour-blind-safe palette.
 */
class LinePlotView : public PlotView {
    Q_OBJECT
public:
    LinePlotView(const QString &xLabel, const QString &yLabel, const QString &title, QWidget *parent = nullptr);

    void setSeries(const QVector<Series> &series);
    const QVector<Series> &series() const { return m_series; }
    void setAxes(const AxisSpec &x, const AxisSpec &y);
    const AxisSpec &xAxis() const { return m_x; }
    const AxisSpec &yAxis() const { return m_y; }
    void setTitle(const QString &title) { m_title = title; }
    /**
     * The corner of the plot the legend sits in when it is inside. Default (an empty alignment): the corner or edge
     * where it covers the fewest points, chosen at every layout (placeLegendInEmptiestCorner).
     */
    void setLegendCorner(Qt::Alignment corner) { m_legendCorner = corner; }
    void clear(const QString &reason);

    DataTable exportTable() const override;  ///< long format: series, x, y
    QString figureTitle() const override { return m_title; }

    /** The range (lower, upper) that frames `values` (finite; positive on a log axis) with a margin on both sides. */
    static std::pair<double, double> framedRange(const QVector<double> &values, bool log);

protected:
    void render(QCustomPlot *plot) const override;

    QVector<Series> m_series;
    AxisSpec m_x, m_y;
    QString m_title;
    Qt::Alignment m_legendCorner;
};

/**
 * Moves an inside legend to the place in its axis rect where it covers the fewest data points (then the fewest
 * stretches of line): a corner (top right, top left, bottom right, bottom left, preferred in this order on a tie),
 * else the middle of an edge (top, bottom, right, left). Needs a laid-out plot.
 */
void placeLegendInEmptiestCorner(QCustomPlot *plot);

/** Jaccard index / subspace similarity against layer, one line per matrix type. */
class OverlapView : public LinePlotView {
    Q_OBJECT
public:
    explicit OverlapView(QWidget *parent = nullptr);
    /** What is plotted: the Jaccard index of the top weights, or the subspace similarity of the top ranks. */
    bool subspace() const;
    void setSubspace(bool subspace);
    /**
     * Draws the chosen quantity of `report` (Jaccard or subspace similarity) against the layer: one line
     * per matrix type, the pooled attention and MLP aggregates dashed and thick; `yLabel` names it.
     */
    void draw(const OverlapReport &report, const QString &yLabel);

Q_SIGNALS:
    void quantityChanged();

private:
    QComboBox *m_quantity;
};

} // namespace alignscope::ui
