// SPDX-License-Identifier: MIT
#pragma once
#include "plot/plotview.h"

namespace alignscope {
struct OverlapReport;
}

class QComboBox;

namespace alignscope::ui {

/** One named line or point series of a LinePlotView. */
struct Series {
    QString name;
    QVector<double> x;
    QVector<double> y;
    bool points = false;  ///< scatter markers instead of a line
    bool dashed = false;  ///< e.g. aggregates, precomputed sweeps
};

/**
 * Lines or scatter series against a shared x axis; the base of the overlap and tradeoff views.
 * Colours come from the colour-blind-safe palette, in series order.
 */
class LinePlotView : public PlotView {
    Q_OBJECT
public:
    LinePlotView(const QString &xLabel, const QString &yLabel, const QString &title, QWidget *parent = nullptr);

    void setSeries(const QVector<Series> &series);
    const QVector<Series> &series() const { return m_series; }
    void clear(const QString &reason);

    DataTable exportTable() const override;  ///< long format: series, x, y
    QString figureTitle() const override { return m_title; }

private:
    QVector<Series> m_series;
    QString m_title;
};

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
