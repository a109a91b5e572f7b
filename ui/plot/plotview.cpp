// SPDX-License-Identifier: MIT
#include "plot/plotview.h"

#include "plot/qcp.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>

namespace alignscope::ui {

PlotView::PlotView(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this)), m_empty(new QLabel(this))
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1, 0);  // row 0: the view's controls, if it has any
    layout->addWidget(m_empty, 1, 0, Qt::AlignCenter);  // same cell: drawn over the plot
    layout->setRowStretch(1, 1);                          // the plot takes the height, the controls what they need
    m_empty->setObjectName(QStringLiteral("emptyState"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);
    QFont f = m_empty->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    m_empty->setFont(f);
    m_empty->hide();

    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(tr("Export figure…"), this, [this] { Q_EMIT exportRequested(this); });
        menu.exec(m_plot->mapToGlobal(pos));
    });
    updateColors();
}

PlotView::~PlotView() = default;

void PlotView::setControls(QWidget *controls)
{
    static_cast<QGridLayout *>(layout())->addWidget(controls, 0, 0);
}

void PlotView::setControls(std::initializer_list<QWidget *> widgets)
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(6, 6, 6, 0);
    for (QWidget *w : widgets)
        row->addWidget(w);
    row->addStretch();
    setControls(bar);
}

void PlotView::setEmptyText(const QString &text)
{
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
}

QString PlotView::emptyText() const { return m_empty->isVisibleTo(this) ? m_empty->text() : QString(); }

bool PlotView::isEmptyState() const { return !m_empty->isHidden(); }

bool PlotView::exportTo(const QString &path, ExportFormat format, const ExportOptions &options, QString *error)
{
    ExportOptions o = options;
    if (o.title.isEmpty())
        o.title = figureTitle();
    return exportPlot(m_plot, exportTable(), path, format, o, error);
}

void PlotView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColors();
}

void PlotView::updateColors()
{
    const QPalette pal = palette();
    m_plot->setBackground(pal.brush(QPalette::Base));
    const QColor fg = pal.color(QPalette::Text);
    for (QCPAxis *axis : m_plot->axisRect()->axes()) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
    }
    m_empty->setStyleSheet(QStringLiteral("color: %1;").arg(pal.color(QPalette::PlaceholderText).name()));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace alignscope::ui
