// SPDX-License-Identifier: MIT
#include "plot/plotview.h"

#include "plot/qcp.h"

#include <QComboBox>
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
    m_empty->setWordWrap(true);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);
    QFont f = m_empty->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_empty->setFont(f);
    m_empty->hide();

    m_plot->setMinimumSize(160, 120);
    m_plot->setLocale(QLocale());  // tick labels with the user's decimal separator
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

void PlotView::setUp()
{
    if (m_setUp)
        return;
    m_setUp = true;
    setupPlot(m_plot);
}

void PlotView::refresh()
{
    setUp();
    render(m_plot);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT redrawn();
}

void PlotView::setControls(QWidget *controls) { static_cast<QGridLayout *>(layout())->addWidget(controls, 0, 0); }

void PlotView::setControls(std::initializer_list<QWidget *> widgets)
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(6, 6, 6, 0);
    for (QWidget *w : widgets) {
        // choosers grow up to their longest entry when there is room and shrink (full text in the tooltip) when not
        if (auto *combo = qobject_cast<QComboBox *>(w)) {
            int widest = 0;
            for (int i = 0; i < combo->count(); ++i)
                widest = std::max(widest, combo->fontMetrics().horizontalAdvance(combo->itemText(i)));
            combo->setMaximumWidth(widest + 48);
            combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
            row->addWidget(combo, 10);
        } else {
            row->addWidget(w);
        }
    }
    row->addStretch(1);
    setControls(bar);
}

void PlotView::setEmptyText(const QString &text)
{
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
}

QString PlotView::emptyText() const { return m_empty->isVisibleTo(this) ? m_empty->text() : QString(); }

bool PlotView::isEmptyState() const { return !m_empty->isHidden(); }

std::unique_ptr<QCustomPlot> PlotView::figure(const FigureStyle &style, int *wOut, int *hOut) const
{
    auto fig = std::make_unique<QCustomPlot>();
    fig->setAttribute(Qt::WA_DontShowOnScreen);
    fig->setLocale(m_plot->locale());
    fig->setFont(font());
    setupPlot(fig.get());
    if (!isEmptyState())
        render(fig.get());
    const QString title = figureTitle();
    if (style.title && !title.isEmpty()) {
        // the title spans the figure: the view's layout moves one level down, below it
        QCPLayoutGrid *top = fig->plotLayout();
        const QList<double> rows = top->rowStretchFactors(), columns = top->columnStretchFactors();
        struct Cell {
            int row, column;
            QCPLayoutElement *element;
        };
        QVector<Cell> cells;
        for (int r = 0; r < top->rowCount(); ++r)
            for (int c = 0; c < top->columnCount(); ++c)
                if (top->hasElement(r, c)) {
                    cells.push_back({r, c, top->element(r, c)});
                    top->take(cells.back().element);
                }
        top->simplify();
        auto *body = new QCPLayoutGrid;
        top->addElement(0, 0, new QCPTextElement(fig.get(), title));
        top->addElement(1, 0, body);  // in the plot before it takes elements
        top->setRowStretchFactor(0, 0.001);
        body->setRowSpacing(top->rowSpacing());
        body->setColumnSpacing(top->columnSpacing());
        for (const Cell &c : cells)
            body->addElement(c.row, c.column, c.element);
        body->setRowStretchFactors(rows);
        body->setColumnStretchFactors(columns);
    }
    const int w = style.widthPx();
    int h = style.heightPx(figureAspect());
    applyFigureStyle(fig.get(), style, w, h);
    if (wOut)
        *wOut = w;
    if (hOut)
        *hOut = h;
    return fig;
}

bool PlotView::exportTo(const QString &path, ExportFormat format, const FigureStyle &style, QString *error) const
{
    if (format == ExportFormat::Csv) {
        CsvWriter w;
        if (!w.write(exportTable(), path)) {
            if (error)
                *error = w.errorString();
            return false;
        }
        return true;
    }
    int w = 0, h = 0;
    const std::unique_ptr<QCustomPlot> fig = figure(style, &w, &h);
    FigureStyle s = style;
    if (s.documentTitle.isEmpty())
        s.documentTitle = figureTitle();
    return writeFigure(fig.get(), s, w, h, format, path, error);
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
    for (QCPAxisRect *r : m_plot->axisRects())
        for (QCPAxis *axis : r->axes()) {
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
