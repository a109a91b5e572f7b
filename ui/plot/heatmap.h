// SPDX-License-Identifier: MIT
// A heatmap drawn as one filled rectangle per cell and a colour bar drawn as one gradient: both stay
// vectors in PDF and SVG (QCPColorMap and QCPColorScale paint images, which Qt's PDF writer stores as
// lossy JPEG), and the colours are exactly the gradient's.
#pragma once
#include "plot/qcp.h"

#include <QVector>

namespace alignscope::ui {

/** Cells of a regular grid, coloured by a gradient over a data range; NaN cells are light grey. */
class HeatmapPlottable : public QCPAbstractPlottable {
    Q_OBJECT
public:
    HeatmapPlottable(QCPAxis *keyAxis, QCPAxis *valueAxis);

    /**
     * `values[row * columns + column]`; cell centres at `keyCenters` (first and last column) and
     * `valueCenters` (first and last row); one column or row is centred at the range's lower end.
     */
    void setData(int columns, int rows, const QVector<double> &values, const QCPRange &keyCenters,
                 const QCPRange &valueCenters);
    void setGradient(const QCPColorGradient &gradient) { m_gradient = gradient; }
    const QCPColorGradient &gradient() const { return m_gradient; }
    void setDataRange(const QCPRange &range) { m_range = range; }
    const QCPRange &dataRange() const { return m_range; }
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    double value(int column, int row) const;
    /** The colour a value gets (NaN: the missing-cell grey). */
    QColor colorOf(double value) const;
    /** The cell at a data coordinate, or false. */
    bool cellAt(double key, double value, int &column, int &row) const;
    static QColor missingColor() { return QColor(0xdd, 0xdd, 0xdd); }

    double selectTest(const QPointF &pos, bool onlySelectable, QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    double cellWidth() const;
    double cellHeight() const;
    int m_columns = 0, m_rows = 0;
    QVector<double> m_values;
    QCPRange m_keyCenters, m_valueCenters, m_range{0, 1};
    mutable QCPColorGradient m_gradient;  // QCPColorGradient::color() fills a cache
};

/**
 * A colour bar: its own axis rect (the value axis on the right carries the ticks and the label), the
 * gradient painted as one linear gradient between the range's ends. Put it in the plot layout beside
 * the heatmap's axis rect.
 */
class ColorBar : public QCPAxisRect {
    Q_OBJECT
public:
    explicit ColorBar(QCustomPlot *plot);
    QCPAxis *axis() const { return QCPAxisRect::axis(QCPAxis::atRight); }
    void setGradient(const QCPColorGradient &gradient);
    void setDataRange(const QCPRange &range);
    /** The bar's width in logical pixels (the axis rect's inner width). */
    void setBarWidth(int px);

private:
    class Band;
    Band *m_band;
};

} // namespace alignscope::ui
