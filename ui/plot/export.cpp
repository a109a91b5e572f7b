// SPDX-License-Identifier: MIT
#include "plot/export.h"

#include "plot/datatable.h"
#include "plot/qcp.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QTemporaryFile>

#include <tuple>
#include <vector>

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

namespace {

bool writeSvg(QCustomPlot *plot, const QString &file, const ExportOptions &o)
{
    QSvgGenerator gen;
    gen.setFileName(file);
    gen.setSize(QSize(o.width, o.height));
    gen.setViewBox(QRect(0, 0, o.width, o.height));
    gen.setTitle(o.title);
    gen.setDescription(o.description);
    QCPPainter painter;
    if (!painter.begin(&gen))
        return false;
    plot->toPainter(&painter, o.width, o.height);
    return painter.end();
}

} // namespace

bool exportPlot(QCustomPlot *plot, const DataTable &table, const QString &path, ExportFormat format,
                const ExportOptions &o, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = path + QStringLiteral(": ") + why;
        return false;
    };
    if (o.width <= 0 || o.height <= 0 || o.scale <= 0 || o.dpi <= 0)
        return fail(QStringLiteral("invalid figure size"));
    if (format == ExportFormat::Csv) {
        CsvWriter w;
        if (!w.write(table, path)) {
            if (error)
                *error = w.errorString();
            return false;
        }
        return true;
    }
    if (!plot)
        return fail(QStringLiteral("nothing to export"));

    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return fail(QStringLiteral("the folder does not exist"));
    // Reserve a unique temporary name next to the target so the final rename stays on one file system.
    QTemporaryFile tmp(target.absoluteDir().filePath(QStringLiteral(".alignscope-export-XXXXXX.") +
                                                     exportFormatSuffix(format)));
    if (!tmp.open())
        return fail(tmp.errorString());
    const QString tmpName = tmp.fileName();
    tmp.close();

    plot->deselectAll();
    // paper style for the export only: one font size for every text, a wider legend; restored after
    struct Restore {
        std::vector<std::pair<QCPAxis *, std::pair<QFont, QFont>>> axes;
        std::vector<std::pair<QCPTextElement *, QFont>> texts;
        std::vector<std::pair<QCPLegend *, std::tuple<QFont, int, QCPLayoutGrid::FillOrder, QSize>>> legends;
        ~Restore()
        {
            for (auto &[a, f] : axes) {
                a->setTickLabelFont(f.first);
                a->setLabelFont(f.second);
            }
            for (auto &[t, f] : texts)
                t->setFont(f);
            for (auto &[l, st] : legends) {
                l->setFont(std::get<0>(st));
                l->setFillOrder(std::get<2>(st), false);
                l->setWrap(std::get<1>(st));
                l->setIconSize(std::get<3>(st));
            }
        }
    } restore;
    if (o.fontPoints > 0) {
        auto resize = [&](QCPAxis *a) {
            restore.axes.push_back({a, {a->tickLabelFont(), a->labelFont()}});
            QFont t = a->tickLabelFont(), l = a->labelFont();
            t.setPointSizeF(o.fontPoints);
            l.setPointSizeF(o.fontPoints);
            a->setTickLabelFont(t);
            a->setLabelFont(l);
        };
        for (QCPAxisRect *r : plot->axisRects())
            for (QCPAxis *a : r->axes())
                resize(a);
        QList<QCPLayoutElement *> elements = plot->plotLayout()->elements(true);
        for (QCPLayoutElement *e : elements) {
            if (auto *t = qobject_cast<QCPTextElement *>(e)) {
                restore.texts.push_back({t, t->font()});
                QFont f = t->font();
                f.setPointSizeF(o.fontPoints + 1);
                t->setFont(f);
            } else if (auto *c = qobject_cast<QCPColorScale *>(e)) {
                resize(c->axis());
            }
        }
        std::vector<QCPLegend *> legends = {plot->legend};
        for (QCPAxisRect *r : plot->axisRects())
            for (QCPLayoutElement *e : r->insetLayout()->elements(false))
                if (auto *l = qobject_cast<QCPLegend *>(e); l && l != plot->legend)
                    legends.push_back(l);
        for (QCPLegend *l : legends) {
            restore.legends.push_back({l, {l->font(), l->wrap(), l->fillOrder(), l->iconSize()}});
            l->setIconSize(QSize(int(2.2 * o.fontPoints), int(o.fontPoints)));
            QFont f = l->font();
            f.setPointSizeF(o.fontPoints);
            l->setFont(f);
            for (int i = 0; i < l->itemCount(); ++i)
                if (l->item(i))
                    l->item(i)->setFont(f);
            if (o.legendColumns > 0) {
                l->setWrap(o.legendColumns);
                l->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
            }
        }
    }
    bool ok = false;
    switch (format) {
    case ExportFormat::Png:
        ok = plot->savePng(tmpName, o.width, o.height, o.scale, -1, o.dpi, QCP::ruDotsPerInch);
        break;
    case ExportFormat::Pdf:
        ok = plot->savePdf(tmpName, o.width, o.height, QCP::epAllowCosmetic, QStringLiteral("AlignScope"), o.title);
        break;
    case ExportFormat::Svg:
        ok = writeSvg(plot, tmpName, o);
        break;
    case ExportFormat::Csv:
        break;
    }
    if (!ok)
        return fail(QStringLiteral("could not render the figure"));
    tmp.setAutoRemove(false);
    if (QFile::exists(path) && !QFile::remove(path)) {
        QFile::remove(tmpName);
        return fail(QStringLiteral("cannot replace the existing file"));
    }
    if (!QFile::rename(tmpName, path)) {
        QFile::remove(tmpName);
        return fail(QStringLiteral("cannot write the file"));
    }
    // QTemporaryFile creates owner-only files; a figure is an ordinary document.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                    QFileDevice::ReadOther);
    return true;
}

} // namespace alignscope::ui
