// SPDX-License-Identifier: MIT
#include "views/lineplotview.h"

#include <QComboBox>

#include "alignscope/analysis.h"
#include "alignscope/matrices.h"
#include "plot/figure.h"
#include "plot/palette.h"
#include "plot/qcp.h"

#include <cmath>

namespace alignscope::ui {

namespace {
const char *const kAutoLegend = "alignscopeAutoLegend";
const char *const kAutoLegendConnected = "alignscopeAutoLegendConnected";

/** How much of the plotted data `r` covers: a point counts as much as a whole segment of line. */
int coverage(QCustomPlot *plot, const QRect &r)
{
    int covered = 0;
    for (int g = 0; g < plot->graphCount(); ++g)
        if (plot->graph(g)->visible()) {
            const DataCoverage c = dataUnder(plot->graph(g), r);
            covered += 16 * c.points + c.lineSamples;
        }
    return covered;
}
} // namespace

void placeLegendInEmptiestCorner(QCustomPlot *plot)
{
    QCPLegend *legend = plot->legend;
    QCPAxisRect *rect = plot->axisRect();
    if (!legend || !rect || !legend->visible())
        return;
    QCPLayoutInset *insets = rect->insetLayout();
    int index = -1;
    for (int i = 0; i < insets->elementCount(); ++i)
        if (insets->elementAt(i) == legend)
            index = i;
    if (index < 0)
        return;
    const QSize size = legend->outerRect().size();
    const QRect area = insets->rect();  // the axis rect less the inset layout's margins
    if (size.isEmpty() || area.width() <= size.width() || area.height() <= size.height())
        return;
    const Qt::Alignment corners[] = {Qt::AlignTop | Qt::AlignRight,     Qt::AlignTop | Qt::AlignLeft,
                                     Qt::AlignBottom | Qt::AlignRight,  Qt::AlignBottom | Qt::AlignLeft,
                                     Qt::AlignTop | Qt::AlignHCenter,   Qt::AlignBottom | Qt::AlignHCenter,
                                     Qt::AlignVCenter | Qt::AlignRight, Qt::AlignVCenter | Qt::AlignLeft};
    Qt::Alignment best = corners[0];
    int least = -1;
    for (Qt::Alignment c : corners) {
        const int x = (c & Qt::AlignLeft)    ? area.left()
                      : (c & Qt::AlignHCenter) ? area.left() + (area.width() - size.width()) / 2
                                               : area.right() + 1 - size.width();
        const int y = (c & Qt::AlignTop)     ? area.top()
                      : (c & Qt::AlignVCenter) ? area.top() + (area.height() - size.height()) / 2
                                               : area.bottom() + 1 - size.height();
        const QPoint topLeft(x, y);
        const int covered = coverage(plot, QRect(topLeft, size));
        if (least < 0 || covered < least) {
            least = covered;
            best = c;
        }
    }
    if (insets->insetAlignment(index) != best) {
        insets->setInsetAlignment(index, best);
        insets->update(QCPLayoutElement::upLayout);  // after the layout step, before drawing: this paint shows it
    }
}

LinePlotView::LinePlotView(const QString &xLabel, const QString &yLabel, const QString &title, QWidget *parent)
    : PlotView(parent), m_title(title)
{
    m_x.label = xLabel;
    m_y.label = yLabel;
    setUp();
    clear(tr("No model loaded"));
}

void LinePlotView::setSeries(const QVector<Series> &series)
{
    m_series = series;
    setEmptyText(series.isEmpty() ? tr("No data") : QString());
    refresh();
}

void LinePlotView::setAxes(const AxisSpec &x, const AxisSpec &y)
{
    m_x = x;
    m_y = y;
}

void LinePlotView::clear(const QString &reason)
{
    m_series.clear();
    setEmptyText(reason);
    refresh();
}

std::pair<double, double> LinePlotView::framedRange(const QVector<double> &values, bool log)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values)
        if (std::isfinite(v) && (!log || v > 0)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (!(lo <= hi))
        return log ? std::pair{1e-4, 1.0} : std::pair{0.0, 1.0};
    if (log) {
        const double ratio = std::max(1.3, std::pow(hi / lo, 0.06));
        return {lo / ratio, hi * ratio};
    }
    const double span = hi - lo;
    if (span > 0)
        return {lo - 0.06 * span, hi + 0.06 * span};
    const double pad = hi != 0 ? 0.5 * std::abs(hi) : 0.05;  // one value: centred, with room on both sides
    return {lo - pad, hi + pad};
}

void LinePlotView::render(QCustomPlot *p) const
{
    p->clearGraphs();
    p->clearItems();
    QVector<double> xs, ys;
    for (int i = 0; i < m_series.size(); ++i) {
        const Series &s = m_series[i];
        QCPGraph *g = p->addGraph();
        g->setName(s.name);
        g->setData(s.x, s.y, /*alreadySorted=*/false);
        const QColor color = s.penColor.isValid() ? s.penColor : categoricalColor(s.color >= 0 ? s.color : i);
        QPen pen(color, s.width);
        if (s.dashed)
            pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        const Marker marker = s.points && s.marker == Marker::None ? Marker::Circle : s.marker;
        if (s.points)
            g->setLineStyle(QCPGraph::lsNone);
        switch (marker) {
        case Marker::None: break;
        case Marker::Circle: g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1.5), Qt::white, s.markerSize)); break;
        case Marker::Disc: g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, s.markerSize)); break;
        case Marker::Cross: g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(color, 1.5), Qt::NoBrush, s.markerSize)); break;
        case Marker::Ring:
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 2.5), Qt::NoBrush, s.markerSize));
            break;
        }
        if (!s.legend)
            g->removeFromLegend();
        for (int k = 0; k < s.labels.size() && k < s.x.size(); ++k) {  // above right of its point, in its colour
            auto *label = new QCPItemText(p);
            label->setClipToAxisRect(true);
            label->position->setType(QCPItemPosition::ptPlotCoords);
            label->position->setCoords(s.x[k], s.y[k]);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
            label->setPadding(QMargins(4, 0, 0, 2));
            label->setText(s.labels[k]);
            label->setColor(color.darker(130));
            QFont f = p->font();
            f.setPointSizeF(f.pointSizeF() * 0.85);
            label->setFont(f);
        }
        xs += s.x;
        ys += s.y;
    }
    for (int i = 0; i < m_series.size(); ++i)  // bands, once both of their lines exist
        if (const int to = m_series[i].fillTo; to >= 0 && to < p->graphCount()) {
            QColor c = p->graph(i)->pen().color();
            c.setAlpha(90);
            p->graph(i)->setBrush(QBrush(c, Qt::BDiagPattern));
            p->graph(i)->setChannelFillGraph(p->graph(to));
        }
    auto apply = [](QCPAxis *a, const AxisSpec &spec, const QVector<double> &values) {
        a->setLabel(spec.label);
        a->setScaleType(spec.log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (!spec.ticksAt.isEmpty()) {
            auto t = QSharedPointer<QCPAxisTickerText>::create();
            for (double v : spec.ticksAt)
                t->addTick(v, QLocale().toString(v, 'g', 4));
            a->setTicker(t);
        } else if (spec.log)
            a->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        else if (spec.integerTicks) {
            auto t = QSharedPointer<QCPAxisTickerFixed>::create();
            t->setTickStep(1.0);
            t->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
            a->setTicker(t);
        } else if (qSharedPointerDynamicCast<QCPAxisTickerLog>(a->ticker()) ||
                   qSharedPointerDynamicCast<QCPAxisTickerFixed>(a->ticker()) ||
                   qSharedPointerDynamicCast<QCPAxisTickerText>(a->ticker()))
            a->setTicker(QSharedPointer<QCPAxisTicker>::create());
        const auto [lo, hi] = spec.fixedRange ? std::pair{spec.lower, spec.upper} : framedRange(values, spec.log);
        a->setRange(lo, hi);
    };
    apply(p->xAxis, m_x, xs);
    apply(p->yAxis, m_y, ys);
    bool anyLegend = false;
    for (const Series &s : m_series)
        anyLegend |= s.legend;
    p->legend->setVisible(anyLegend);
    p->legend->setBrush(QColor(255, 255, 255, 210));
    const bool automatic = !m_legendCorner;
    if (automatic && !p->property(kAutoLegendConnected).toBool()) {  // once per plot: the screen's and every figure's
        p->setProperty(kAutoLegendConnected, true);
        connect(p, &QCustomPlot::afterLayout, p, [p] {
            if (p->property(kAutoLegend).toBool())
                placeLegendInEmptiestCorner(p);
        });
    }
    p->setProperty(kAutoLegend, automatic);
    if (!automatic && p->axisRect()->insetLayout()->elements(false).contains(p->legend))
        p->axisRect()->insetLayout()->setInsetAlignment(0, m_legendCorner);
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
    m_quantity->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_quantity->setMinimumContentsLength(10);
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
    double top = 0;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const std::string_view name = matrixName(Matrix(m));
        Series s;
        s.name = QString::fromLatin1(name.data(), int(name.size()));
        s.color = m;
        s.width = 1.5;
        s.marker = Marker::Disc;
        s.markerSize = 4;
        for (int l = 0; l < L; ++l) {
            s.x << l;
            s.y << perMatrix[size_t(l * kMatricesPerLayer + m)];
            top = std::max(top, s.y.back());
        }
        lines << s;
    }
    Series att, ml;
    att.name = tr("attention (pooled)");
    ml.name = tr("MLP (pooled)");
    att.penColor = QColor(0x55, 0x55, 0x55);  // greys: the seven matrices have the palette's colours
    ml.penColor = QColor(0xaa, 0xaa, 0xaa);
    att.dashed = ml.dashed = true;
    att.width = ml.width = 3.0;
    for (int l = 0; l < L; ++l) {
        att.x << l;
        att.y << attention[size_t(l)];
        ml.x << l;
        ml.y << mlp[size_t(l)];
        top = std::max({top, att.y.back(), ml.y.back()});
    }
    lines << att << ml;
    AxisSpec x{tr("Layer"), false, true, -0.3, L - 0.7, true, {}};
    AxisSpec y{yLabel, false, true, 0, std::max(0.05, top * 1.08), false, {}};
    setAxes(x, y);
    setSeries(lines);
}

} // namespace alignscope::ui
