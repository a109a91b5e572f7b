// SPDX-License-Identifier: MIT
#include "views/layermapview.h"

#include "alignscope/matrices.h"
#include "plot/heatmap.h"
#include "plot/palette.h"
#include "plot/qcp.h"
#include "selection.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QMouseEvent>
#include <QToolTip>

#include <cmath>
#include <limits>

namespace alignscope::ui {

namespace {
HeatmapPlottable *heatmapOf(QCustomPlot *p) { return qobject_cast<HeatmapPlottable *>(p->plottable(0)); }
ColorBar *colorBarOf(QCustomPlot *p)
{
    for (QCPLayoutElement *e : p->plotLayout()->elements(true))
        if (auto *b = qobject_cast<ColorBar *>(e))
            return b;
    return nullptr;
}
} // namespace

LayerMapView::LayerMapView(QWidget *parent) : PlotView(parent)
{
    setObjectName(QStringLiteral("layerMapView"));
    QStringList matrices;
    for (auto name : kMatrixNames)
        matrices << QString::fromLatin1(name.data(), int(name.size()));
    setColumns(matrices, tr("Matrix"));
    setUp();
    QCustomPlot *p = plot();
    // exact values in tooltips; a click opens the matrix view
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        const auto [l, m] = cellAt(e->pos());
        if (l < 0) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(e->globalPosition().toPoint(),
                           tr("layer %1, %2: %3\n%4").arg(l).arg(m_columns[m]).arg(numberText(valueAt(l, m), 6)).arg(m_quantity),
                           plot());
    });
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) {
        const auto [l, m] = cellAt(e->pos());
        if (l >= 0 && e->button() == Qt::LeftButton)
            Q_EMIT cellClicked(l, m);
    });
    clear(tr("No model loaded"));
}

void LayerMapView::setupPlot(QCustomPlot *p) const
{
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setVisible(false);
    auto *map = new HeatmapPlottable(p->xAxis, p->yAxis);
    map->setGradient(sequentialGradient());
    auto *bar = new ColorBar(p);
    bar->setGradient(sequentialGradient());
    p->plotLayout()->addElement(0, 1, bar);
    p->plotLayout()->setColumnStretchFactor(1, 0.001);
    auto *group = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    bar->setMarginGroup(QCP::msBottom | QCP::msTop, group);
}

void LayerMapView::setColumns(const QStringList &names, const QString &axisLabel)
{
    m_columns = names;
    m_axisLabel = axisLabel;
}

std::pair<int, int> LayerMapView::cellAt(const QPoint &pos) const
{
    if (m_values.isEmpty() || !plot()->axisRect()->rect().contains(pos))
        return {-1, -1};
    const int m = int(std::lround(plot()->xAxis->pixelToCoord(pos.x())));
    const int l = int(std::lround(plot()->yAxis->pixelToCoord(pos.y())));
    if (l < 0 || l >= m_values.size() || m < 0 || m >= m_columns.size())
        return {-1, -1};
    return {l, m};
}

void LayerMapView::setValues(const QVector<QVector<double>> &values, const QString &quantity, const QString &scale)
{
    m_values = values;
    m_quantity = quantity;
    m_scaleLabel = scale.isEmpty() ? quantity : scale;
    setEmptyText(values.isEmpty() ? tr("No data") : QString());
    refresh();
}

void LayerMapView::setColorScale(const ColorScale &scale)
{
    m_scale = scale;
    if (m_fixed) {
        const QSignalBlocker b1(m_fixed), b2(m_max);
        m_fixed->setChecked(scale.fixed);
        m_max->setValue(scale.max);
        m_max->setEnabled(scale.fixed);
    }
    refresh();
}

void LayerMapView::addScaleControls()
{
    m_fixed = new QCheckBox(tr("Fixed colour scale: 0 to"), this);
    m_fixed->setObjectName(QStringLiteral("fixedScale"));
    m_fixed->setToolTip(tr("Keep the colours' meaning while the controls move: 0 to the value on the right. Off: 0 "
                           "to the largest value shown"));
    m_max = new QDoubleSpinBox(this);
    m_max->setObjectName(QStringLiteral("scaleMax"));
    m_max->setDecimals(3);
    m_max->setRange(0.001, 1000);
    m_max->setSingleStep(0.01);
    m_max->setValue(m_scale.max);
    m_max->setEnabled(false);
    auto changed = [this] {
        ColorScale s = m_scale;
        s.fixed = m_fixed->isChecked();
        if (s.fixed && !m_scale.fixed) {  // turned on: start from what is shown now
            const QSignalBlocker block(m_max);
            m_max->setValue(colorRange().second);
        }
        s.max = m_max->value();
        m_max->setEnabled(s.fixed);
        m_scale = s;
        refresh();
        Q_EMIT colorScaleChanged(s);
    };
    connect(m_fixed, &QCheckBox::toggled, this, changed);
    connect(m_max, &QDoubleSpinBox::valueChanged, this, changed);
    setControls({m_fixed, m_max});
}

std::pair<double, double> LayerMapView::colorRange() const
{
    if (m_scale.fixed)
        return {0.0, m_scale.max > 0 ? m_scale.max : 1.0};
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &row : m_values)
        for (double x : row)
            if (std::isfinite(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (!(lo <= hi))
        return {0.0, 1.0};
    if (lo >= 0 && m_scale.fromZero)  // fractions, indices: a colour means the same amount on every map
        lo = 0;
    if (lo == hi)  // one value everywhere (e.g. no weight removed)
        return lo == 0 ? std::pair{0.0, 1.0} : std::pair{std::min(lo, 0.0), std::max(hi, 0.0)};
    return {lo, hi};
}

void LayerMapView::render(QCustomPlot *p) const
{
    HeatmapPlottable *map = heatmapOf(p);
    ColorBar *bar = colorBarOf(p);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < m_columns.size(); ++c)
        ticker->addTick(c, m_columns[c]);
    p->xAxis->setTicker(ticker);
    p->xAxis->setLabel(m_axisLabel);
    p->xAxis->setSubTicks(false);
    p->xAxis->setRange(-0.5, std::max<qsizetype>(1, m_columns.size()) - 0.5);
    auto layers = QSharedPointer<QCPAxisTickerFixed>::create();  // whole layers only
    layers->setTickStep(1.0);
    layers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    p->yAxis->setTicker(layers);
    p->yAxis->setSubTicks(false);
    p->yAxis->setLabel(tr("Layer"));
    const int rows = int(m_values.size()), columns = int(m_columns.size());
    const bool shown = rows > 0 && !isEmptyState();
    QVector<double> flat(qsizetype(rows) * columns, std::numeric_limits<double>::quiet_NaN());
    for (int l = 0; l < rows; ++l)
        for (int m = 0; m < columns && m < m_values[l].size(); ++m)
            flat[qsizetype(l) * columns + m] = m_values[l][m];
    map->setData(columns, rows, flat, QCPRange(0, std::max(0, columns - 1)), QCPRange(0, std::max(0, rows - 1)));
    const auto [lo, hi] = colorRange();
    map->setDataRange(QCPRange(lo, hi));
    bar->setDataRange(QCPRange(lo, hi));
    bar->axis()->setLabel(m_scaleLabel);
    p->yAxis->setRange(-0.5, std::max(0, rows - 1) + 0.5);
    map->setVisible(shown);
    bar->setVisible(shown);
    p->xAxis->setVisible(shown);  // an empty map says why, without a lone "0" of an axis
    p->yAxis->setVisible(shown);
}

void LayerMapView::clear(const QString &reason)
{
    m_values.clear();
    m_quantity.clear();
    setEmptyText(reason);
    refresh();
}

double LayerMapView::valueAt(int layer, int matrix) const
{
    if (layer < 0 || layer >= m_values.size() || matrix < 0 || matrix >= m_values[layer].size())
        return std::numeric_limits<double>::quiet_NaN();
    return m_values[layer][matrix];
}

DataTable LayerMapView::exportTable() const
{
    DataTable t;
    t.columns << QStringLiteral("layer") << m_columns;
    t.values.resize(t.columns.size());
    for (int l = 0; l < m_values.size(); ++l) {
        t.values[0] << l;
        for (int m = 0; m < m_columns.size(); ++m)
            t.values[m + 1] << valueAt(l, m);
    }
    return t;
}

QString LayerMapView::figureTitle() const
{
    return m_quantity.isEmpty() ? tr("Layer map") : tr("Layer map: %1").arg(m_quantity);
}

double LayerMapView::figureAspect() const
{
    // square-ish cells: as tall as the layers need, within a sensible page share
    const double cells = double(std::max(1, int(m_values.size()))) / double(std::max<qsizetype>(1, m_columns.size()));
    return std::clamp(0.35 + 0.45 * cells, 0.45, 1.1);
}

} // namespace alignscope::ui
