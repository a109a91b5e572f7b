// SPDX-License-Identifier: MIT
#pragma once
#include "plot/plotview.h"

#include <utility>

class QCPColorMap;
class QCPColorScale;

namespace alignscope::ui {

/**
 * Heatmap of layers × matrices (q, k, v, o, gate, up, down) coloured by one quantity; setColumns()
 * makes it a heatmap of layers × anything else (the heads view: layers × heads).
 */
class LayerMapView : public PlotView {
    Q_OBJECT
public:
    explicit LayerMapView(QWidget *parent = nullptr);

    /** The columns' names and the x axis label (default: the 7 matrices, "Matrix"). */
    void setColumns(const QStringList &names, const QString &axisLabel);
    const QStringList &columns() const { return m_columns; }
    /** values[layer][column]; `quantity` labels the colour scale (with its unit). */
    void setValues(const QVector<QVector<double>> &values, const QString &quantity);
    /** Back to the empty state with `reason` shown. */
    void clear(const QString &reason);

    double valueAt(int layer, int matrix) const;
    int layerCount() const { return int(m_values.size()); }

    DataTable exportTable() const override;
    QString figureTitle() const override;
    /** The (layer, matrix) cell under a widget position of the plot, or (-1, -1). */
    std::pair<int, int> cellAt(const QPoint &pos) const;

Q_SIGNALS:
    /** A cell was clicked: open its matrix view. */
    void cellClicked(int layer, int matrix);

private:
    QCPColorMap *m_map = nullptr;
    QCPColorScale *m_scale = nullptr;
    QVector<QVector<double>> m_values;
    QString m_quantity;
    QStringList m_columns;
};

} // namespace alignscope::ui
