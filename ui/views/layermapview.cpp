// SPDX-License-Identifier: MIT
#include "views/layermapview.h"

#include "alignscope/matrices.h"
#include "plot/palette.h"
#include "plot/qcp.h"

#include <QMouseEvent>
#include <QToolTip>

#include <cmath>
#include <limits>

namespace alignscope::ui {

LayerMapView::LayerMapView(QWidget *parent) : PlotView(parent)
{
    setObjectName(QStringLiteral("layerMapView"));
    QCustomPlot *p = plot();
    QStringList matrices;
    for (auto name : kMatrixNames)
        matrices << QString::fromLatin1(name.data(), int(name.size()));
    setColumns(matrices, tr("Matrix"));
    p->yAxis->setLabel(tr("Layer"));
    auto layers = QSharedPointer<QCPAxisTickerFixed>::create();  // whole layers only
    layers->setTickStep(1.0);
    layers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    p->yAxis->setTicker(layers);
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setVisible(false);
    p->yAxis->setRange(-0.5, 0.5);

    m_map = new QCPColorMap(p->xAxis, p->yAxis);
    m_map->setInterpolate(false);  // one flat colour per cell
    m_map->setGradient(sequentialGradient());
    m_scale = new QCPColorScale(p);
    p->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_map->setColorScale(m_scale);
    auto *group = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    // exact values in tooltips; a click opens the matrix view
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        const auto [l, m] = cellAt(e->pos());
        if (l < 0) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(e->globalPosition().toPoint(),
                           tr("layer %1, %2: %3\n%4").arg(l).arg(m_columns[m])
                               .arg(valueAt(l, m), 0, 'g', 6).arg(m_quantity),
                           plot());
    });
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) {
        const auto [l, m] = cellAt(e->pos());
        if (l >= 0 && e->button() == Qt::LeftButton)
            Q_EMIT cellClicked(l, m);
    });
    clear(tr("No model loaded"));
}

void LayerMapView::setColumns(const QStringList &names, const QString &axisLabel)
{
    m_columns = names;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < names.size(); ++c)
        ticker->addTick(c, names[c]);
    plot()->xAxis->setTicker(ticker);
    plot()->xAxis->setLabel(axisLabel);
    plot()->xAxis->setRange(-0.5, std::max<qsizetype>(1, names.size()) - 0.5);
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

void LayerMapView::setValues(const QVector<QVector<double>> &values, const QString &quantity)
{
    m_values = values;
    m_quantity = quantity;
    const int layers = int(values.size()), columns = int(m_columns.size());
    m_map->data()->setSize(columns, std::max(1, layers));
    m_map->data()->setRange(QCPRange(0, columns - 1), QCPRange(0, std::max(0, layers - 1)));
    for (int l = 0; l < layers; ++l)
        for (int m = 0; m < columns; ++m)
            m_map->data()->setCell(m, l, m < values[l].size() ? values[l][m] : std::numeric_limits<double>::quiet_NaN());
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &row : values)
        for (double x : row)
            if (std::isfinite(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (lo < hi)
        m_map->rescaleDataRange(true);
    else if (lo == hi)  // one value everywhere (e.g. the same rank removed from every matrix): mid-scale
        m_map->setDataRange(lo > 0 ? QCPRange(0, 2 * lo) : lo < 0 ? QCPRange(2 * lo, 0) : QCPRange(-1, 1));
    m_scale->axis()->setLabel(quantity);
    plot()->yAxis->setRange(-0.5, std::max(0, layers - 1) + 0.5);
    m_map->setVisible(layers > 0);
    m_scale->setVisible(layers > 0);
    setEmptyText(layers > 0 ? QString() : tr("No data"));
    plot()->replot();
}

void LayerMapView::clear(const QString &reason)
{
    m_values.clear();
    m_quantity.clear();
    m_map->data()->clear();
    m_map->setVisible(false);
    m_scale->setVisible(false);
    setEmptyText(reason);
    plot()->replot();
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

} // namespace alignscope::ui
