// SPDX-License-Identifier: MIT
#include "views/matrixview.h"

#include "plot/heatmap.h"
#include "plot/palette.h"
#include "plot/qcp.h"

#include <QLabel>

#include <algorithm>

namespace alignscope::ui {

namespace {
/** The plot's parts, found where setupPlot() put them. */
struct Parts {
    QCPAxisRect *map = nullptr, *hist = nullptr;
    HeatmapPlottable *heatmap = nullptr;
    ColorBar *bar = nullptr;
    QCPLegend *legend = nullptr;
};
Parts partsOf(QCustomPlot *p)
{
    Parts parts;
    parts.map = p->axisRect(0);
    for (QCPAxisRect *r : p->axisRects())
        if (auto *b = qobject_cast<ColorBar *>(r))
            parts.bar = b;
        else if (r != parts.map)
            parts.hist = r;
    parts.heatmap = qobject_cast<HeatmapPlottable *>(p->plottable(0));
    parts.legend = p->legend;
    return parts;
}
} // namespace

MatrixView::MatrixView(QWidget *parent) : PlotView(parent), m_caption(new QLabel(this))
{
    setObjectName(QStringLiteral("matrixView"));
    m_caption->setObjectName(QStringLiteral("matrixCaption"));
    m_caption->setWordWrap(true);
    m_caption->setContentsMargins(6, 6, 6, 0);
    setControls(m_caption);
    setUp();
    clear(tr("Click a cell of the layer map to look into that matrix"));
}

void MatrixView::setupPlot(QCustomPlot *p) const
{
    QCPAxisRect *top = p->axisRect();
    top->axis(QCPAxis::atBottom)->setLabel(tr("Input column (blocks)"));
    top->axis(QCPAxis::atLeft)->setLabel(tr("Output row (blocks)"));
    top->axis(QCPAxis::atLeft)->setRangeReversed(true);  // row 0 at the top, as a matrix is written
    top->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    top->axis(QCPAxis::atLeft)->grid()->setVisible(false);
    auto *map = new HeatmapPlottable(top->axis(QCPAxis::atBottom), top->axis(QCPAxis::atLeft));
    map->setGradient(sequentialGradient());
    auto *bar = new ColorBar(p);
    bar->setGradient(sequentialGradient());
    bar->axis()->setLabel(tr("Fraction of the block removed"));
    p->plotLayout()->addElement(0, 1, bar);
    auto *hist = new QCPAxisRect(p);
    p->plotLayout()->addElement(1, 0, hist);
    p->plotLayout()->setRowStretchFactor(0, 2.0);
    p->plotLayout()->setRowStretchFactor(1, 1.0);
    p->plotLayout()->setColumnStretchFactor(1, 0.001);
    hist->axis(QCPAxis::atBottom)->setLabel(tr("log10(score)"));
    hist->axis(QCPAxis::atLeft)->setLabel(tr("Entries"));
    for (int i = 0; i < 2; ++i) {
        QCPGraph *g = p->addGraph(hist->axis(QCPAxis::atBottom), hist->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(categoricalColor(i == 0 ? 5 : 2), 2.0));
        g->setName(i == 0 ? tr("safety scores") : tr("utility scores"));
    }
    // the legend belongs to the histograms: move it into their corner
    top->insetLayout()->take(p->legend);
    top->insetLayout()->simplify();
    hist->insetLayout()->addElement(p->legend, Qt::AlignTop | Qt::AlignLeft);  // the low scores: few entries there
    p->legend->setVisible(true);
    auto *columns = new QCPMarginGroup(p);  // the map and the histograms share their left and right edges
    top->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    hist->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    auto *rows = new QCPMarginGroup(p);  // the colour bar spans the map's height
    top->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    bar->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
}

void MatrixView::render(QCustomPlot *p) const
{
    const Parts parts = partsOf(p);
    const MatrixDetail &d = m_detail;
    const bool shown = !isEmptyState() && d.blockRows > 0 && d.blockCols > 0;
    parts.heatmap->setVisible(shown);
    parts.bar->setVisible(shown);
    parts.hist->setVisible(shown);
    parts.map->setVisible(shown);
    p->legend->setVisible(shown);
    for (int i = 0; i < 2; ++i)
        p->graph(i)->data()->clear();
    if (!shown)
        return;
    QVector<double> flat(qsizetype(d.blockRows) * d.blockCols);
    for (int r = 0; r < d.blockRows; ++r)
        for (int c = 0; c < d.blockCols; ++c)
            flat[qsizetype(r) * d.blockCols + c] = d.removedFraction[size_t(r * d.blockCols + c)];
    parts.heatmap->setData(d.blockCols, d.blockRows, flat, QCPRange(0, d.blockCols - 1), QCPRange(0, d.blockRows - 1));
    const double hi = std::max(1e-9, *std::max_element(d.removedFraction.begin(), d.removedFraction.end()));
    parts.heatmap->setDataRange(QCPRange(0, hi));
    parts.bar->setDataRange(QCPRange(0, hi));
    parts.map->axis(QCPAxis::atBottom)->setRange(-0.5, d.blockCols - 0.5);
    parts.map->axis(QCPAxis::atLeft)->setRange(-0.5, d.blockRows - 0.5);
    double top = 1;
    for (int i = 0; i < 2; ++i) {
        const auto &h = i == 0 ? d.safetyHistogram : d.utilityHistogram;
        QVector<double> x, y;
        for (size_t b = 0; b < h.size(); ++b) {
            x << d.binEdges[b];
            y << double(h[b]);
            top = std::max(top, y.back());
        }
        if (!h.empty()) {  // close the last step
            x << d.binEdges.back();
            y << double(h.back());
        }
        p->graph(i)->setData(x, y, true);
    }
    parts.hist->axis(QCPAxis::atBottom)->setRange(d.binEdges.front(), d.binEdges.back());
    parts.hist->axis(QCPAxis::atLeft)->setRange(0, top * 1.25);  // room for the legend above the bars
}

void MatrixView::setDetail(const MatrixDetail &d, const QString &title)
{
    m_detail = d;
    m_title = title;
    m_caption->setText(title);
    setEmptyText({});
    refresh();
}

void MatrixView::clear(const QString &reason)
{
    m_detail = MatrixDetail{};
    m_title.clear();
    m_caption->clear();
    setEmptyText(reason);
    refresh();
}

DataTable MatrixView::exportTable() const
{
    DataTable t;
    t.labelColumns << QStringLiteral("panel");
    t.columns << QStringLiteral("a") << QStringLiteral("b") << QStringLiteral("value");
    t.labels.resize(1);
    t.values.resize(3);
    const MatrixDetail &d = m_detail;
    for (int r = 0; r < d.blockRows; ++r)
        for (int c = 0; c < d.blockCols; ++c) {
            t.labels[0] << QStringLiteral("removed");
            t.values[0] << r;
            t.values[1] << c;
            t.values[2] << d.removedFraction[size_t(r * d.blockCols + c)];
        }
    for (int i = 0; i < 2; ++i) {
        const auto &h = i == 0 ? d.safetyHistogram : d.utilityHistogram;
        for (size_t b = 0; b < h.size(); ++b) {
            t.labels[0] << (i == 0 ? QStringLiteral("safety") : QStringLiteral("utility"));
            t.values[0] << d.binEdges[b];
            t.values[1] << d.binEdges[b + 1];
            t.values[2] << double(h[b]);
        }
    }
    return t;
}

} // namespace alignscope::ui
