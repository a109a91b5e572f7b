// SPDX-License-Identifier: MIT
#include "views/lineplotview.h"

#include <QComboBox>
#include <QHBoxLayout>

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
    auto *bar = new QWidget(this);
    auto *h = new QHBoxLayout(bar);
    h->setContentsMargins(6, 6, 6, 0);
    h->addWidget(m_quantity);
    h->addStretch();
    setControls(bar);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &OverlapView::quantityChanged);
}

bool OverlapView::subspace() const { return m_quantity->currentIndex() == 1; }
void OverlapView::setSubspace(bool subspace) { m_quantity->setCurrentIndex(subspace ? 1 : 0); }

TradeoffView::TradeoffView(QWidget *parent)
    : LinePlotView(tr("Actual sparsity"), tr("Attack success rate"), tr("ASR tradeoff"), parent), m_x(new QComboBox(this)),
      m_judge(new QComboBox(this))
{
    setObjectName(QStringLiteral("tradeoffView"));
    m_x->setObjectName(QStringLiteral("tradeoffAxis"));
    m_x->addItem(tr("ASR against sparsity"));
    m_x->addItem(tr("ASR against utility"));
    m_x->setToolTip(tr("The x axis: the edit's actual sparsity (the removed-rank fraction for a projection), or the "
                       "utility measured at the same point"));
    auto *bar = new QWidget(this);
    auto *h = new QHBoxLayout(bar);
    h->setContentsMargins(6, 6, 6, 0);
    h->addWidget(m_x);
    m_judge->setObjectName(QStringLiteral("tradeoffJudge"));
    m_judge->addItem(tr("keyword judge (the paper's)"));
    m_judge->addItem(tr("prefix judge (opens with the target)"));
    m_judge->setToolTip(tr("Whose verdicts count as a successful attack. With the keyword judge, the hatched band "
                           "below each curve holds the responses that are incoherent yet free of refusal phrases: "
                           "a broken model's garbage, not a successful attack"));
    h->addWidget(m_judge);
    connect(m_judge, &QComboBox::currentIndexChanged, this, &TradeoffView::axisChanged);
    h->addStretch();
    setControls(bar);
    connect(m_x, &QComboBox::currentIndexChanged, this, [this](int i) {
        plot()->xAxis->setLabel(i == 1 ? tr("Utility (accuracy)") : tr("Actual sparsity"));
        Q_EMIT axisChanged();
    });
}

bool TradeoffView::utilityOnX() const { return m_x->currentIndex() == 1; }
TradeoffView::Judge TradeoffView::judge() const { return Judge(m_judge->currentIndex()); }
void TradeoffView::setJudge(Judge judge) { m_judge->setCurrentIndex(int(judge)); }
void TradeoffView::setUtilityOnX(bool utility) { m_x->setCurrentIndex(utility ? 1 : 0); }

} // namespace alignscope::ui
