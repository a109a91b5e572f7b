// SPDX-License-Identifier: MIT
#include "plot/heatmap.h"

#include <cmath>
#include <limits>

namespace alignscope::ui {

HeatmapPlottable::HeatmapPlottable(QCPAxis *keyAxis, QCPAxis *valueAxis) : QCPAbstractPlottable(keyAxis, valueAxis)
{
    setAntialiased(false);
    setAntialiasedFill(false);
    setPen(Qt::NoPen);
    removeFromLegend();  // the colour bar explains it
}

void HeatmapPlottable::setData(int columns, int rows, const QVector<double> &values, const QCPRange &keyCenters,
                               const QCPRange &valueCenters)
{
    m_columns = columns;
    m_rows = rows;
    m_values = values;
    m_values.resize(qsizetype(columns) * rows);
    m_keyCenters = keyCenters;
    m_valueCenters = valueCenters;
}

double HeatmapPlottable::value(int column, int row) const
{
    if (column < 0 || row < 0 || column >= m_columns || row >= m_rows)
        return std::numeric_limits<double>::quiet_NaN();
    return m_values[qsizetype(row) * m_columns + column];
}

QColor HeatmapPlottable::colorOf(double v) const
{
    if (!std::isfinite(v))
        return missingColor();
    return QColor(m_gradient.color(v, m_range, false));
}

double HeatmapPlottable::cellWidth() const
{
    return m_columns > 1 ? (m_keyCenters.upper - m_keyCenters.lower) / (m_columns - 1) : 1.0;
}

double HeatmapPlottable::cellHeight() const
{
    return m_rows > 1 ? (m_valueCenters.upper - m_valueCenters.lower) / (m_rows - 1) : 1.0;
}

bool HeatmapPlottable::cellAt(double key, double value, int &column, int &row) const
{
    if (m_columns == 0 || m_rows == 0)
        return false;
    column = int(std::floor((key - m_keyCenters.lower) / cellWidth() + 0.5));
    row = int(std::floor((value - m_valueCenters.lower) / cellHeight() + 0.5));
    return column >= 0 && row >= 0 && column < m_columns && row < m_rows;
}

double HeatmapPlottable::selectTest(const QPointF &, bool, QVariant *) const { return -1; }

QCPRange HeatmapPlottable::getKeyRange(bool &foundRange, QCP::SignDomain) const
{
    foundRange = m_columns > 0;
    const double w = cellWidth();
    return QCPRange(m_keyCenters.lower - w / 2, m_keyCenters.lower + (m_columns - 0.5) * w);
}

QCPRange HeatmapPlottable::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &) const
{
    foundRange = m_rows > 0;
    const double h = cellHeight();
    return QCPRange(m_valueCenters.lower - h / 2, m_valueCenters.lower + (m_rows - 0.5) * h);
}

void HeatmapPlottable::draw(QCPPainter *painter)
{
    if (m_columns == 0 || m_rows == 0 || !mKeyAxis || !mValueAxis)
        return;
    const double w = cellWidth(), h = cellHeight();
    // Neighbouring cells overlap by a hair so that PDF viewers draw no seams between them.
    const double seam = 0.6;
    painter->setPen(Qt::NoPen);
    for (int r = 0; r < m_rows; ++r) {
        const double v = m_valueCenters.lower + r * h;
        for (int c = 0; c < m_columns; ++c) {
            const double k = m_keyCenters.lower + c * w;
            QRectF cell = QRectF(coordsToPixels(k - w / 2, v - h / 2), coordsToPixels(k + w / 2, v + h / 2)).normalized();
            if (c + 1 < m_columns)
                cell.adjust(0, 0, seam, 0);
            if (r + 1 < m_rows)
                cell.adjust(0, -seam, 0, 0);
            painter->fillRect(cell, colorOf(value(c, r)));
        }
    }
}

void HeatmapPlottable::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const
{
    painter->fillRect(rect, colorOf((m_range.lower + m_range.upper) / 2));
}

/** The gradient of a colour bar: one linear gradient over its axis rect. */
class ColorBar::Band : public QCPAbstractPlottable {
public:
    Band(QCPAxis *key, QCPAxis *value) : QCPAbstractPlottable(key, value)
    {
        setPen(Qt::NoPen);
        removeFromLegend();
    }
    QCPColorGradient gradient;
    QCPRange range{0, 1};
    double selectTest(const QPointF &, bool, QVariant *) const override { return -1; }
    QCPRange getKeyRange(bool &found, QCP::SignDomain) const override
    {
        found = true;
        return QCPRange(0, 1);
    }
    QCPRange getValueRange(bool &found, QCP::SignDomain, const QCPRange &) const override
    {
        found = true;
        return range;
    }

protected:
    void draw(QCPPainter *painter) override
    {
        const QPointF lo = coordsToPixels(0, range.lower), hi = coordsToPixels(1, range.upper);
        const QPointF a = coordsToPixels(0, range.lower), b = coordsToPixels(0, range.upper);
        QLinearGradient g(a, b);
        const QMap<double, QColor> stops = gradient.colorStops();
        for (auto it = stops.begin(); it != stops.end(); ++it)
            g.setColorAt(it.key(), it.value());
        painter->setPen(Qt::NoPen);
        painter->fillRect(QRectF(lo, hi).normalized(), QBrush(g));
    }
    void drawLegendIcon(QCPPainter *, const QRectF &) const override {}
};

ColorBar::ColorBar(QCustomPlot *plot) : QCPAxisRect(plot, true)
{
    QCPAxisRect::axis(QCPAxis::atLeft)->setVisible(false);
    QCPAxisRect::axis(QCPAxis::atBottom)->setVisible(false);
    QCPAxisRect::axis(QCPAxis::atTop)->setVisible(false);
    QCPAxisRect::axis(QCPAxis::atBottom)->setRange(0, 1);
    QCPAxis *value = axis();
    value->setVisible(true);
    value->setTickLabels(true);
    value->grid()->setVisible(false);
    setRangeDrag(Qt::Orientations());
    setRangeZoom(Qt::Orientations());
    m_band = new Band(QCPAxisRect::axis(QCPAxis::atBottom), value);
    setBarWidth(14);
}

void ColorBar::setGradient(const QCPColorGradient &gradient)
{
    m_band->gradient = gradient;
}

void ColorBar::setDataRange(const QCPRange &range)
{
    m_band->range = range;
    axis()->setRange(range);
}

void ColorBar::setBarWidth(int px)
{
    setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
    setMinimumSize(px, 0);
    setMaximumSize(px, QWIDGETSIZE_MAX);
}

} // namespace alignscope::ui
