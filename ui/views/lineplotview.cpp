// SPDX-License-Identifier: MIT
#include "views/lineplotview.h"

#include <QComboBox>

#include "alignscope/analysis.h"
#include "alignscope/matrices.h"
#include "plot/palette.h"
#include "plot/qcp.h"

namespace alignscope::ui {

LinePlotView::LinePlotView(const QString &xLabel, const QString &yLabel, const QString &title, QWidget *parent)
    : PlotView(parent), m_title(title)
{
    QCustomPlot *p = plot();
    p->xAxis->setLabel(xLabel);
    p->yAxis->setLabel(yLabel);
    p->legend->setVisible(false);
    p->legend->setBrush(QColor(255, 255, 255, 200));
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    clear(tr("No model loaded"));
}

void LinePlotView::setSeries(const QVector<Series> &series)
{
    m_series = series;
    QCustomPlot *p = plot();
    p->clearGraphs();
    for (int i = 0; i < series.size(); ++i) {
        const Series &s = series[i];
        QCPGraph *g = p->addGraph();
        g->setName(s.name);
        g->setData(s.x, s.y, /*alreadySorted=*/false);
        QPen pen(categoricalColor(i), 2.0);
        if (s.dashed)
            pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        if (s.points) {
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, categoricalColor(i), 7));
        }
    }
    p->legend->setVisible(!series.isEmpty());
    p->rescaleAxes();
    setEmptyText(series.isEmpty() ? tr("No data") : QString());
    p->replot();
}

void LinePlotView::clear(const QString &reason)
{
    m_series.clear();
    plot()->clearGraphs();
    plot()->legend->setVisible(false);
    setEmptyText(reason);
    plot()->replot();
}

DataTable LinePlotView::exportTable() const
{
    DataTable t;
    t.labelColumns << QStringLiteral("series");
    t.columns << QStringLiteral("x") << QStringLiteral("y");
    t.labels.resize(1);
    t.values.resize(2);
    for (const Series &s : m_series) {
        for (int i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            t.labels[0] << s.name;
            t.values[0] << s.x[i];
            t.values[1] << s.y[i];
        }
    }
    return t;
}

OverlapView::OverlapView(QWidget *parent)
    : LinePlotView(tr("Layer"), tr("Jaccard index"), tr("Safety vs utility overlap"), parent), m_quantity(new QComboBox(this))
{
    setObjectName(QStringLiteral("overlapView"));
    m_quantity->setObjectName(QStringLiteral("overlapQuantity"));
    m_quantity->addItem(tr("Jaccard index of the top weights (neurons)"));
    m_quantity->addItem(tr("Subspace similarity of the top directions (ranks)"));
    m_quantity->setToolTip(tr("Weights: the Jaccard index of the top p safety and utility scores. Ranks: the subspace "
                              "similarity of the ActSVD bases' top m − r_s safety and m − r_u utility directions"));
    setControls({m_quantity});
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &OverlapView::quantityChanged);
}

bool OverlapView::subspace() const { return m_quantity->currentIndex() == 1; }
void OverlapView::setSubspace(bool subspace) { m_quantity->setCurrentIndex(subspace ? 1 : 0); }

void OverlapView::draw(const OverlapReport &report, const QString &yLabel)
{
    const bool sub = subspace();
    const auto &perMatrix = sub ? report.subspace : report.jaccard;
    const auto &attention = sub ? report.subspaceAttention : report.jaccardAttention;
    const auto &mlp = sub ? report.subspaceMlp : report.jaccardMlp;
    const int L = report.layers;
    QVector<Series> lines;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const std::string_view name = matrixName(Matrix(m));
        Series s{QString::fromLatin1(name.data(), int(name.size())), {}, {}, false, false};
        for (int l = 0; l < L; ++l) {
            s.x << l;
            s.y << perMatrix[size_t(l * kMatricesPerLayer + m)];
        }
        lines << s;
    }
    Series att{tr("attention (pooled)"), {}, {}, false, true}, ml{tr("MLP (pooled)"), {}, {}, false, true};
    for (int l = 0; l < L; ++l) {
        att.x << l;
        att.y << attention[size_t(l)];
        ml.x << l;
        ml.y << mlp[size_t(l)];
    }
    lines << att << ml;
    setSeries(lines);
    QCustomPlot *op = plot();
    const int n = op->graphCount();  // the pooled aggregates stand apart: thick black and grey
    op->graph(n - 2)->setPen(QPen(Qt::black, 3.0, Qt::DashLine));
    op->graph(n - 1)->setPen(QPen(QColor(0x77, 0x77, 0x77), 3.0, Qt::DashLine));
    op->yAxis->setLabel(yLabel);
    op->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed));
    op->xAxis->setRange(-0.2, L - 0.8);
    op->yAxis->setRange(0, std::max(0.05, op->yAxis->range().upper * 1.05));
    op->replot();
}

} // namespace alignscope::ui
