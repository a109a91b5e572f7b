// SPDX-License-Identifier: MIT
#pragma once
#include "plot/plotview.h"

#include <utility>

namespace alignscope::ui {

/** How a heatmap's colours map to values. */
struct ColorScale {
    bool fixed = false;    ///< 0 … max whatever the data; else the data's range
    double max = 1;
    bool fromZero = true;  ///< the data's range starts at 0 for values ≥ 0 (a colour means the same amount)
};

/**
 * Heatmap of layers × matrices (q, k, v, o, gate, up, down) coloured by one quantity on a perceptually
 * uniform scale (viridis; missing values grey); setColumns() makes it a heatmap of layers × anything
 * else (the heads view: layers × heads).
 */
class LayerMapView : public PlotView {
    Q_OBJECT
public:
    explicit LayerMapView(QWidget *parent = nullptr);

    /** The columns' names and the x axis label (default: the 7 matrices, "Matrix"). */
    void setColumns(const QStringList &names, const QString &axisLabel);
    const QStringList &columns() const { return m_columns; }
    /** values[layer][column]; `quantity` says what they are (tooltips, the figure's title), `scale` names the
     *  colour bar (default: `quantity`). */
    void setValues(const QVector<QVector<double>> &values, const QString &quantity, const QString &scale = {});
    const QString &quantity() const { return m_quantity; }
    /** The colour scale: the data's range, or fixed at 0 … max (comparable across slider moves). */
    void setColorScale(const ColorScale &scale);
    const ColorScale &colorScale() const { return m_scale; }
    /** The value range the colours span now. */
    std::pair<double, double> colorRange() const;
    /** Back to the empty state with `reason` shown. */
    void clear(const QString &reason);

    double valueAt(int layer, int matrix) const;
    int layerCount() const { return int(m_values.size()); }

    DataTable exportTable() const override;
    QString figureTitle() const override;
    double figureAspect() const override;
    /** The (layer, matrix) cell under a widget position of the plot, or (-1, -1). */
    std::pair<int, int> cellAt(const QPoint &pos) const;

    /** Adds the colour-scale controls above the map (fixed 0 … max or the data's range). */
    void addScaleControls();

Q_SIGNALS:
    /** A cell was clicked: open its matrix view. */
    void cellClicked(int layer, int matrix);
    /** The user changed the colour-scale controls. */
    void colorScaleChanged(const alignscope::ui::ColorScale &scale);

protected:
    void setupPlot(QCustomPlot *plot) const override;
    void render(QCustomPlot *plot) const override;

private:
    QVector<QVector<double>> m_values;
    QString m_quantity, m_scaleLabel, m_axisLabel;
    QStringList m_columns;
    ColorScale m_scale;
    class QCheckBox *m_fixed = nullptr;
    class QDoubleSpinBox *m_max = nullptr;
};

} // namespace alignscope::ui
