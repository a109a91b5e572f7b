// SPDX-License-Identifier: MIT
#include "views/matrixview.h"

#include "plot/palette.h"
#include "plot/qcp.h"

namespace alignscope::ui {

MatrixView::MatrixView(QWidget *parent) : PlotView(parent)
{
    setObjectName(QStringLiteral("matrixView"));
    QCustomPlot *p = plot();
    QCPAxisRect *top = p->axisRect();
    p->plotLayout()->insertRow(0);  // the title above everything
    m_titleElement = new QCPTextElement(p, QString(), QFont(font().family(), 10, QFont::Bold));
    p->plotLayout()->addElement(0, 0, m_titleElement);
    top->axis(QCPAxis::atBottom)->setLabel(tr("Input column (blocks)"));
    top->axis(QCPAxis::atLeft)->setLabel(tr("Output row (blocks)"));
    top->axis(QCPAxis::atLeft)->setRangeReversed(true);  // row 0 at the top, as a matrix is written
    m_map = new QCPColorMap(top->axis(QCPAxis::atBottom), top->axis(QCPAxis::atLeft));
    m_map->setInterpolate(false);
    m_map->setGradient(sequentialGradient());
    m_scale = new QCPColorScale(p);
    p->plotLayout()->addElement(1, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel(tr("Fraction of the block removed"));
    m_map->setColorScale(m_scale);

    m_histRect = new QCPAxisRect(p);
    p->plotLayout()->addElement(2, 0, m_histRect);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 2.0);
    p->plotLayout()->setRowStretchFactor(2, 1.0);
    m_histRect->axis(QCPAxis::atBottom)->setLabel(tr("log10(score)"));
    m_histRect->axis(QCPAxis::atLeft)->setLabel(tr("Entries"));
    for (int i = 0; i < 2; ++i) {
        QCPGraph *g = p->addGraph(m_histRect->axis(QCPAxis::atBottom), m_histRect->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(categoricalColor(i == 0 ? 5 : 2), 2.0));
        g->setName(i == 0 ? tr("safety scores") : tr("utility scores"));
    }
    auto *legend = new QCPLegend;
    m_histRect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    for (int i = 0; i < 2; ++i)
        legend->addItem(new QCPPlottableLegendItem(legend, p->graph(i)));
    p->legend->setVisible(false);
    auto *group = new QCPMarginGroup(p);
    top->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    m_histRect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    clear(tr("Click a cell of the layer map to look into that matrix"));
}

void MatrixView::setDetail(const MatrixDetail &d, const QString &title)
{
    m_detail = d;
    m_title = title;
    m_titleElement->setText(title);
    m_map->data()->setSize(d.blockCols, d.blockRows);
    m_map->data()->setRange(QCPRange(0, d.blockCols - 1), QCPRange(0, d.blockRows - 1));
    for (int r = 0; r < d.blockRows; ++r)
        for (int c = 0; c < d.blockCols; ++c)
            m_map->data()->setCell(c, r, d.removedFraction[size_t(r * d.blockCols + c)]);
    m_map->setDataRange(QCPRange(0, std::max(1e-9, *std::max_element(d.removedFraction.begin(), d.removedFraction.end()))));
    QCPAxisRect *top = plot()->axisRect(0);
    top->axis(QCPAxis::atBottom)->setRange(-0.5, d.blockCols - 0.5);
    top->axis(QCPAxis::atLeft)->setRange(-0.5, d.blockRows - 0.5);
    for (int i = 0; i < 2; ++i) {
        const auto &h = i == 0 ? d.safetyHistogram : d.utilityHistogram;
        QVector<double> x, y;
        for (size_t b = 0; b < h.size(); ++b) {
            x << d.binEdges[b];
            y << double(h[b]);
        }
        if (!h.empty()) {  // close the last step
            x << d.binEdges.back();
            y << double(h.back());
        }
        plot()->graph(i)->setData(x, y, true);
    }
    m_histRect->axis(QCPAxis::atBottom)->setRange(d.binEdges.front(), d.binEdges.back());
    plot()->graph(0)->rescaleValueAxis(false, true);
    plot()->graph(1)->rescaleValueAxis(true, true);
    m_map->setVisible(true);
    m_scale->setVisible(true);
    setEmptyText({});
    plot()->replot();
}

void MatrixView::clear(const QString &reason)
{
    m_detail = MatrixDetail{};
    m_title.clear();
    m_titleElement->setText({});
    m_map->data()->clear();
    m_map->setVisible(false);
    m_scale->setVisible(false);
    for (int i = 0; i < 2; ++i)
        plot()->graph(i)->data()->clear();
    setEmptyText(reason);
    plot()->replot();
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
