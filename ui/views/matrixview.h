// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/analysis.h"
#include "plot/plotview.h"

class QLabel;

namespace alignscope::ui {

/**
 * One matrix up close (a layer-map cell clicked): where the set difference removes weights, as a
 * downsampled rows × columns heatmap of the fraction removed per block, and the distributions of
 * log10(score) of the safety and the utility set below it.
 */
class MatrixView : public PlotView {
    Q_OBJECT
public:
    explicit MatrixView(QWidget *parent = nullptr);

    void setDetail(const MatrixDetail &detail, const QString &title);
    void clear(const QString &reason);
    const MatrixDetail &detail() const { return m_detail; }

    /** Long format: panel (removed | safety | utility), a, b, value: block row, block column and the
     *  fraction removed; or bin low, bin high (log10 score) and the count. */
    DataTable exportTable() const override;
    QString figureTitle() const override { return m_title; }
    double figureAspect() const override { return 1.0; }

protected:
    void setupPlot(QCustomPlot *plot) const override;
    void render(QCustomPlot *plot) const override;

private:
    MatrixDetail m_detail;
    QString m_title;
    QLabel *m_caption;
};

} // namespace alignscope::ui
