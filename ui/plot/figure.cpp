// SPDX-License-Identifier: MIT
#include "plot/figure.h"

#include "plot/qcp.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontMetrics>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QTemporaryFile>

#include <algorithm>
#include <cmath>

namespace alignscope::ui {

std::optional<ExportFormat> exportFormatForPath(const QString &path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("png"))
        return ExportFormat::Png;
    if (s == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    if (s == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (s == QLatin1String("csv"))
        return ExportFormat::Csv;
    return std::nullopt;
}

QString exportFormatSuffix(ExportFormat f)
{
    switch (f) {
    case ExportFormat::Png: return QStringLiteral("png");
    case ExportFormat::Pdf: return QStringLiteral("pdf");
    case ExportFormat::Svg: return QStringLiteral("svg");
    case ExportFormat::Csv: return QStringLiteral("csv");
    }
    return {};
}

QString legendPlacementName(LegendPlacement p)
{
    switch (p) {
    case LegendPlacement::Auto: return QStringLiteral("auto");
    case LegendPlacement::Right: return QStringLiteral("right");
    case LegendPlacement::Below: return QStringLiteral("below");
    case LegendPlacement::Inside: return QStringLiteral("inside");
    case LegendPlacement::Hidden: return QStringLiteral("hidden");
    }
    return {};
}

std::optional<LegendPlacement> parseLegendPlacement(const QString &name)
{
    for (LegendPlacement p : {LegendPlacement::Auto, LegendPlacement::Right, LegendPlacement::Below, LegendPlacement::Inside,
                              LegendPlacement::Hidden})
        if (legendPlacementName(p) == name)
            return p;
    return std::nullopt;
}

std::optional<FigureStyle> FigureStyle::preset(const QString &name)
{
    FigureStyle s;
    if (name == QLatin1String("single"))
        s.widthIn = kSingleColumnIn;
    else if (name == QLatin1String("double"))
        s.widthIn = kDoubleColumnIn;
    else
        return std::nullopt;
    return s;
}

int FigureStyle::widthPx() const { return int(std::lround(widthIn * kLogicalDpi)); }

int FigureStyle::heightPx(double aspect) const
{
    return int(std::lround((heightIn > 0 ? heightIn : widthIn * aspect) * kLogicalDpi));
}

int FigureStyle::fontPx(double extraPt) const { return int(std::lround((fontPt + extraPt) * kLogicalDpi / 72.0)); }

LegendPlacement FigureStyle::resolvedLegend() const
{
    if (legend != LegendPlacement::Auto)
        return legend;
    return widthIn < 4.0 ? LegendPlacement::Below : LegendPlacement::Right;
}

namespace {

QFont pixelFont(const QFont &base, int px, bool bold = false)
{
    QFont f = base;
    f.setPixelSize(px);
    f.setBold(bold);
    return f;
}

/** The size of `text` (lines separated by \n) in `font`. */
QSize textSize(const QFont &font, const QString &text)
{
    return QFontMetrics(font).boundingRect(QRect(), Qt::TextDontClip | Qt::AlignCenter, text).size();
}

/** `text` broken at spaces into lines no wider than `width` pixels (a single long word stays whole). */
QString wrapText(const QFont &font, const QString &text, int width)
{
    const QFontMetrics fm(font);
    QStringList lines;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QString line;
        for (const QString &word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
            if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
                lines << line;
                line = word;
            } else {
                line = candidate;
            }
        }
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QList<QCPTextElement *> textElements(QCustomPlot *plot)
{
    QList<QCPTextElement *> out;
    for (QCPLayoutElement *e : plot->plotLayout()->elements(true))
        if (auto *t = qobject_cast<QCPTextElement *>(e))
            out << t;
    return out;
}

/** The axis rect in the same layout grid as the legend's place, and that grid. */
QCPAxisRect *mainRect(QCustomPlot *plot) { return plot->axisRect(0); }

void layOut(QCustomPlot *plot, int w, int h)
{
    plot->resize(w, h);
    plot->setViewport(QRect(0, 0, w, h));
    plot->replot(QCustomPlot::rpImmediateRefresh);
}

/** Where an element sits in a layout grid. */
bool findCell(QCPLayoutGrid *grid, QCPLayoutElement *e, int &row, int &column)
{
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c)
            if (grid->hasElement(r, c) && grid->element(r, c) == e) {
                row = r;
                column = c;
                return true;
            }
    return false;
}

/** Lays the legend's entries out in `columns` columns, row by row (or column by column in `rows` rows). */
void arrangeLegend(QCPLegend *legend, int columns, int rows)
{
    QList<QCPAbstractLegendItem *> items;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem *item = legend->item(i))
            items << item;
    for (QCPAbstractLegendItem *item : items)
        legend->take(item);
    legend->simplify();
    for (int i = 0; i < items.size(); ++i) {
        const int r = rows > 0 ? i % rows : i / columns, c = rows > 0 ? i / rows : i % columns;
        legend->addElement(r, c, items[i]);
    }
}

/** Puts the legend in its place; returns the height it adds below the plot (0 elsewhere). */
int placeLegend(QCustomPlot *plot, const FigureStyle &style, int w, int h)
{
    QCPLegend *legend = plot->legend;
    if (!legend || !legend->visible() || legend->itemCount() == 0)
        return 0;
    LegendPlacement where = style.resolvedLegend();
    if (where == LegendPlacement::Hidden) {
        legend->setVisible(false);
        return 0;
    }
    const int px = style.fontPx();
    legend->setIconSize(QSize(int(2.5 * px), px));
    legend->setIconTextPadding(px / 2);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(px);
    legend->setMargins(QMargins(px / 3, px / 4, px / 3, px / 4));
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(QColor(255, 255, 255, 230));
    if (where == LegendPlacement::Inside)
        return 0;
    // the axis rect whose corner holds the legend now
    QCPAxisRect *rect = mainRect(plot);
    for (QCPAxisRect *r : plot->axisRects())
        if (r->insetLayout()->elements(false).contains(legend))
            rect = r;
    QCPLayoutGrid *top = qobject_cast<QCPLayoutGrid *>(rect->layout());  // the grid the plot lives in
    int row = 0, column = 0;
    if (!top || !findCell(top, rect, row, column))
        return 0;
    rect->insetLayout()->take(legend);
    rect->insetLayout()->simplify();
    // the widest entry decides how many columns fit
    int itemWidth = 0, itemHeight = px;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem *item = legend->item(i)) {
            itemWidth = std::max(itemWidth, item->minimumOuterSizeHint().width());
            itemHeight = std::max(itemHeight, item->minimumOuterSizeHint().height());
        }
    itemWidth += legend->columnSpacing();
    if (where == LegendPlacement::Right) {  // beside, unless it would leave the plot too narrow
        const int rowsThatFit = std::max(1, (h - 2 * px) / std::max(1, itemHeight));
        const int columns = (legend->itemCount() + rowsThatFit - 1) / rowsThatFit;
        if (w - columns * itemWidth < 0.55 * w)
            where = LegendPlacement::Below;
    }
    if (where == LegendPlacement::Below) {
        const int available = w - px;
        const int columns = std::clamp(itemWidth > 0 ? available / itemWidth : 1, 1, std::max(1, legend->itemCount()));
        arrangeLegend(legend, columns, 0);
        const int below = top->rowCount();
        top->addElement(below, column, legend);
        top->setRowStretchFactor(below, 0.001);
        legend->setMargins(QMargins(px, px / 4, px / 3, 0));
        return legend->minimumOuterSizeHint().height();
    } else {  // right: a column beside everything in the main rect's row, rows wrapped into columns if too tall
        const int rowsThatFit = std::max(1, (h - 2 * px) / std::max(1, itemHeight));
        arrangeLegend(legend, 0, rowsThatFit);
        auto *side = new QCPLayoutGrid;
        side->addElement(0, 0, legend);
        side->addElement(1, 0, new QCPLayoutElement(plot));  // takes the remaining height
        side->setRowStretchFactor(0, 0.001);
        const int col = top->columnCount();
        top->addElement(row, col, side);
        top->setColumnStretchFactor(col, 0.001);
    }
    return 0;
}

/** The extent of each tick label along its axis, in pixels, in order: [from, to]. */
QVector<QPair<double, double>> tickExtents(QCPAxis *axis)
{
    QVector<QPair<double, double>> out;
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    const QFontMetrics fm(axis->tickLabelFont());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const bool rotated = std::abs(std::remainder(axis->tickLabelRotation(), 180.0)) > 45;
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        if (!axis->range().contains(ticks[i]) || labels[i].isEmpty())
            continue;
        const double at = axis->coordToPixel(ticks[i]);
        const QRect box = fm.boundingRect(QRect(), Qt::TextDontClip | Qt::AlignCenter, labels[i]);
        const double along = horizontal != rotated ? box.width() : box.height();
        out << qMakePair(at - along / 2, at + along / 2);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool ticksOverlap(QCPAxis *axis)
{
    const auto ext = tickExtents(axis);
    for (int i = 1; i < ext.size(); ++i)
        if (ext[i].first < ext[i - 1].second + 1)
            return true;
    return false;
}

/** The axis label's extent along the axis and the axis length. */
std::pair<int, int> labelFit(QCPAxis *axis)
{
    const QSize s = textSize(axis->labelFont(), axis->label());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const int along = horizontal ? s.width() : s.width();  // vertical axes draw their label rotated
    const int length = horizontal ? axis->axisRect()->width() : axis->axisRect()->height();
    return {along, length};
}

QList<QCPAxis *> visibleAxes(QCustomPlot *plot)
{
    QList<QCPAxis *> out;
    for (QCPAxisRect *r : plot->axisRects())
        if (r->visible())
            for (QCPAxis *a : r->axes())
                if (a->visible())
                    out << a;
    return out;
}

} // namespace

void applyFigureStyle(QCustomPlot *plot, const FigureStyle &style, int w, int &h)
{
    const int px = style.fontPx(), titlePx = style.fontPx(1);
    const QFont base = plot->font();
    const QPen ink(Qt::black, 1.0);  // 1 px = 0.5 pt
    plot->setBackground(Qt::white);
    for (QCPAxisRect *r : plot->axisRects()) {
        r->setBackground(Qt::NoBrush);
        for (QCPAxis *a : r->axes()) {
            a->setTickLabelFont(pixelFont(base, px));
            a->setLabelFont(pixelFont(base, px));
            a->setTickLabelColor(Qt::black);
            a->setLabelColor(Qt::black);
            a->setBasePen(ink);
            a->setTickPen(ink);
            a->setSubTickPen(ink);
            a->setTickLength(0, px / 3);
            a->setSubTickLength(0, px / 6);
            a->setTickLabelPadding(px / 4);
            a->setLabelPadding(px / 3);
            a->grid()->setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1.0, Qt::DotLine));
            a->grid()->setZeroLinePen(Qt::NoPen);
        }
    }
    for (QCPTextElement *t : textElements(plot)) {
        t->setFont(pixelFont(base, titlePx, true));
        t->setTextColor(Qt::black);
        t->setVisible(style.title);
        if (style.title)
            t->setText(wrapText(t->font(), QString(t->text()).replace(QLatin1Char('\n'), QLatin1Char(' ')), w - px));
    }
    if (!style.title)  // a hidden title takes no room
        for (QCPTextElement *t : textElements(plot))
            if (QCPLayoutGrid *g = qobject_cast<QCPLayoutGrid *>(t->layout()))
                g->take(t), g->simplify(), delete t;
    for (int i = 0; i < plot->itemCount(); ++i)  // point labels: the figure's size too
        if (auto *t = qobject_cast<QCPItemText *>(plot->item(i)))
            t->setFont(pixelFont(base, px));
    if (QCPLegend *l = plot->legend) {
        l->setFont(pixelFont(base, px));
        l->setTextColor(Qt::black);
        for (int i = 0; i < l->itemCount(); ++i)
            if (QCPAbstractLegendItem *item = l->item(i)) {
                item->setFont(pixelFont(base, px));
                item->setTextColor(Qt::black);
            }
    }
    const int below = placeLegend(plot, style, w, h);
    if (style.heightIn <= 0)  // an open height: the legend below does not take the plot's room
        h += below;
    layOut(plot, w, h);
    // what does not fit: axis labels wrap, crowded category labels turn upright, crowded numbers thin out
    for (int pass = 0; pass < 3; ++pass) {
        bool changed = false;
        for (QCPAxis *a : visibleAxes(plot)) {
            if (!a->label().isEmpty()) {
                const auto [along, length] = labelFit(a);
                if (along > length && length > 0) {
                    const QString wrapped = wrapText(a->labelFont(), QString(a->label()).replace(QLatin1Char('\n'), QLatin1Char(' ')),
                                                     std::max(length, px * 4));
                    if (wrapped != a->label()) {
                        a->setLabel(wrapped);
                        changed = true;
                    }
                }
            }
            if (a->tickLabels() && ticksOverlap(a)) {
                if (const auto text = qSharedPointerDynamicCast<QCPAxisTickerText>(a->ticker())) {
                    if (a->orientation() == Qt::Horizontal && a->tickLabelRotation() == 0) {
                        a->setTickLabelRotation(90);  // names stand upright
                    } else {  // still crowded: every k-th label
                        const QMap<double, QString> ticks = text->ticks();
                        const auto ext = tickExtents(a);
                        double extent = 0;
                        for (const auto &[from, to] : ext)
                            extent = std::max(extent, to - from);
                        const double spacing = ticks.size() > 1 ? std::abs(a->coordToPixel(std::next(ticks.begin()).key()) -
                                                                           a->coordToPixel(ticks.begin().key()))
                                                                : 1.0;
                        const int k = std::max(2, int(std::ceil((extent + 2) / std::max(1.0, spacing))));
                        auto thinned = QSharedPointer<QCPAxisTickerText>::create();
                        int i = 0;
                        for (auto it = ticks.begin(); it != ticks.end(); ++it, ++i)
                            if (i % k == 0)
                                thinned->addTick(it.key(), it.value());
                        a->setTicker(thinned);
                    }
                    changed = true;
                } else if (a->ticker()->tickCount() > 2) {
                    a->ticker()->setTickCount(std::max(2, a->ticker()->tickCount() / 2));
                    changed = true;
                }
            }
        }
        if (!changed)
            break;
        layOut(plot, w, h);
    }
}

DataCoverage dataUnder(const QCPGraph *graph, const QRect &rect)
{
    DataCoverage c;
    const bool lines = graph->lineStyle() != QCPGraph::lsNone;
    QPointF previous;
    bool first = true;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
        if (!std::isfinite(it->key) || !std::isfinite(it->value)) {  // a gap: no line across it
            first = true;
            continue;
        }
        const QPointF at = graph->coordsToPixels(it->key, it->value);
        c.points += rect.contains(at.toPoint()) ? 1 : 0;
        if (lines && !first)
            for (int k = 1; k < 16; ++k)
                c.lineSamples += rect.contains((previous + (at - previous) * (k / 16.0)).toPoint()) ? 1 : 0;
        previous = at;
        first = false;
    }
    return c;
}

QStringList layoutProblems(QCustomPlot *plot, int fontPx, int titlePx)
{
    QStringList problems;
    const QRect view = plot->viewport().adjusted(-1, -1, 1, 1);
    const QCPAxisRect *main = plot->axisRect(0);
    for (QCPLayoutElement *e : plot->plotLayout()->elements(true)) {
        if (!e || !e->visible())
            continue;
        if (!view.contains(e->outerRect()))
            problems << QStringLiteral("%1 lies outside the figure (%2,%3 %4x%5)")
                            .arg(QString::fromLatin1(e->metaObject()->className()))
                            .arg(e->outerRect().x())
                            .arg(e->outerRect().y())
                            .arg(e->outerRect().width())
                            .arg(e->outerRect().height());
        if (auto *t = qobject_cast<QCPTextElement *>(e)) {
            if (t->font().pixelSize() != titlePx)
                problems << QStringLiteral("title \"%1\" is %2 px, not %3").arg(t->text()).arg(t->font().pixelSize()).arg(titlePx);
            if (textSize(t->font(), t->text()).width() > e->outerRect().width() + 1)
                problems << QStringLiteral("title \"%1\" is wider than the figure").arg(t->text());
            if (main && t->outerRect().intersects(main->rect()))
                problems << QStringLiteral("title \"%1\" covers the plot").arg(t->text());
        }
    }
    if (QCPLegend *l = plot->legend; l && l->visible() && l->itemCount() > 0) {
        if (l->font().pixelSize() != fontPx)
            problems << QStringLiteral("legend text is %1 px, not %2").arg(l->font().pixelSize()).arg(fontPx);
        bool inside = false;
        for (QCPAxisRect *r : plot->axisRects())
            inside |= r->insetLayout()->elements(false).contains(l);
        if (!inside) {
            for (QCPAxisRect *r : plot->axisRects())
                if (r->visible() && l->outerRect().intersects(r->rect()))
                    problems << QStringLiteral("the legend covers a plot");
        } else {
            for (int g = 0; g < plot->graphCount(); ++g)  // the points and the lines between them
                if (dataUnder(plot->graph(g), l->outerRect()).any())
                    problems << QStringLiteral("the legend covers data of \"%1\"").arg(plot->graph(g)->name());
        }
        for (int i = 0; i < l->itemCount(); ++i)
            if (QCPAbstractLegendItem *item = l->item(i); item && !view.contains(item->outerRect()))
                problems << QStringLiteral("a legend entry is cut off");
    }
    for (QCPAxis *a : visibleAxes(plot)) {
        if (a->tickLabels() && a->tickLabelFont().pixelSize() != fontPx)
            problems << QStringLiteral("tick labels are %1 px, not %2").arg(a->tickLabelFont().pixelSize()).arg(fontPx);
        if (!a->label().isEmpty()) {
            if (a->labelFont().pixelSize() != fontPx)
                problems << QStringLiteral("axis label \"%1\" is %2 px, not %3").arg(a->label()).arg(a->labelFont().pixelSize()).arg(fontPx);
            const auto [along, length] = labelFit(a);
            if (along > length + 2 * fontPx)  // a label may overhang its axis a little, not be cut
                problems << QStringLiteral("axis label \"%1\" is longer than its axis (%2 > %3 px)").arg(a->label()).arg(along).arg(length);
        }
        if (a->tickLabels()) {
            if (ticksOverlap(a)) {
                QStringList at;
                for (const auto &[from, to] : tickExtents(a))
                    at << QStringLiteral("%1–%2").arg(from, 0, 'f', 0).arg(to, 0, 'f', 0);
                problems << QStringLiteral("tick labels of \"%1\" overlap (%2)").arg(a->label(), at.join(QStringLiteral(", ")));
            }
            const auto ext = tickExtents(a);
            const bool horizontal = a->orientation() == Qt::Horizontal;
            for (const auto &[from, to] : ext)
                if (from < (horizontal ? view.left() : view.top()) || to > (horizontal ? view.right() : view.bottom()))
                    problems << QStringLiteral("a tick label of \"%1\" is cut off").arg(a->label());
        }
    }
    problems.removeDuplicates();
    return problems;
}

bool writeFigure(QCustomPlot *plot, const FigureStyle &style, int w, int h, ExportFormat format, const QString &path,
                 QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QDir::toNativeSeparators(path) + QStringLiteral(": ") + why;
        return false;
    };
    if (w <= 0 || h <= 0 || style.dpi <= 0)
        return fail(QStringLiteral("invalid figure size"));
    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return fail(QStringLiteral("the folder does not exist"));
    // a unique temporary name next to the target: the rename stays on one file system
    QTemporaryFile tmp(target.absoluteDir().filePath(QStringLiteral(".alignscope-export-XXXXXX.") + exportFormatSuffix(format)));
    if (!tmp.open())
        return fail(tmp.errorString());
    const QString tmpName = tmp.fileName();
    tmp.close();
    plot->deselectAll();
    bool ok = false;
    auto paint = [&](QPaintDevice *device) {
        QCPPainter painter;
        if (!painter.begin(device))
            return false;
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.setWindow(0, 0, w, h);  // logical pixels onto the whole page, whatever the device's resolution
        plot->toPainter(&painter, w, h);
        return painter.end();
    };
    switch (format) {
    case ExportFormat::Png:
        ok = plot->savePng(tmpName, w, h, style.dpi / FigureStyle::kLogicalDpi, -1, style.dpi, QCP::ruDotsPerInch);
        break;
    case ExportFormat::Pdf: {
        QPdfWriter pdf(tmpName);
        pdf.setCreator(QStringLiteral("AlignScope"));
        pdf.setTitle(style.documentTitle);
        pdf.setResolution(int(FigureStyle::kLogicalDpi));
        pdf.setPageSize(QPageSize(QSizeF(w / FigureStyle::kLogicalDpi, h / FigureStyle::kLogicalDpi), QPageSize::Inch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        ok = paint(&pdf);
        break;
    }
    case ExportFormat::Svg: {
        QSvgGenerator svg;
        svg.setFileName(tmpName);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setResolution(int(FigureStyle::kLogicalDpi));
        svg.setTitle(style.documentTitle);
        svg.setDescription(style.description);
        ok = paint(&svg);
        break;
    }
    case ExportFormat::Csv: return fail(QStringLiteral("CSV is the table, not the figure"));
    }
    if (!ok) {
        QFile::remove(tmpName);
        return fail(QStringLiteral("could not render the figure"));
    }
    tmp.setAutoRemove(false);
    if (QFile::exists(path) && !QFile::remove(path)) {
        QFile::remove(tmpName);
        return fail(QStringLiteral("cannot replace the existing file"));
    }
    if (!QFile::rename(tmpName, path)) {
        QFile::remove(tmpName);
        return fail(QStringLiteral("cannot write the file"));
    }
    // QTemporaryFile creates owner-only files; a figure is an ordinary document
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    return true;
}

} // namespace alignscope::ui
