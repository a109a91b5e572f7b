// SPDX-License-Identifier: MIT
// Figures for papers: every view, drawn with realistic data at one and two column widths, is laid
// out without a clipped or overlapping legend, label, title or tick label and with every text at the
// requested size (checked on the laid-out plot and, independently, in the SVG and PDF written);
// heatmaps and colour bars are vectors, never JPEG; PNGs have the requested pixels and dpi; the CSV
// equals the plotted data; failures name the file.
#include "alignscope/analysis.h"
#include "alignscope/sweep.h"
#include "plot/datatable.h"
#include "plot/figure.h"
#include "plot/heatmap.h"
#include "plot/palette.h"
#include "plot/qcp.h"
#include "uitestmain.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"

#include <QImageReader>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <cmath>
#include <memory>

using namespace alignscope::ui;
using alignscope::AsrSetting;

namespace {

Series series(const QString &name, const QVector<double> &x, const QVector<double> &y, bool points = false, bool dashed = false)
{
    Series s;
    s.name = name;
    s.x = x;
    s.y = y;
    s.points = points;
    s.dashed = dashed;
    return s;
}

QVector<Series> someSeries()
{
    return {series(QStringLiteral("wanda"), {0.01, 0.02, 0.03}, {0.1, 0.5, 0.9}, true),
            series(QStringLiteral("snip, \"set diff\""), {0.005, 0.027}, {0.0, 0.91}, false, true)};
}

QVector<QVector<double>> someMap(int layers)
{
    QVector<QVector<double>> v(layers, QVector<double>(7));
    for (int l = 0; l < layers; ++l)
        for (int m = 0; m < 7; ++m)
            v[l][m] = 0.01 + 0.05 * std::sin(l * 0.7 + m) * std::sin(l * 0.7 + m);
    return v;
}

alignscope::OverlapReport someOverlap(int layers)
{
    alignscope::OverlapReport r;
    r.layers = layers;
    for (int l = 0; l < layers; ++l) {
        for (int m = 0; m < 7; ++m)
            r.jaccard.push_back(0.1 + 0.02 * m + 0.01 * (l % 5));
        r.jaccardAttention.push_back(0.12 + 0.01 * (l % 3));
        r.jaccardMlp.push_back(0.2 + 0.01 * (l % 4));
    }
    return r;
}

/** A set-difference sweep over p × q with the columns the tradeoff reads. */
alignscope::SweepTable someSweep()
{
    alignscope::SweepTable t;
    t.name = "grid";
    t.kind = "set_difference";
    t.description = R"({"selection":{"safety":"s","utility":"u"}})";
    t.columns = {"p", "q", "actual_sparsity", "asr_vanilla", "asr_vanilla_prefix", "incoherent_success_vanilla", "utility"};
    const double ps[] = {0.05, 0.1, 0.2}, qs[] = {0.02, 0.05, 0.1};
    t.values.assign(t.columns.size(), {});
    for (double p : ps)
        for (double q : qs) {
            const double x = q * (1 - p) * 0.5;
            const std::vector<double> row = {p, q, x, std::min(1.0, q * 8), std::min(1.0, q * 6), 0.02, 0.95 - x};
            for (size_t c = 0; c < row.size(); ++c)
                t.values[c].push_back(row[c]);
            t.done.push_back(true);
        }
    return t;
}

AsrPointSet somePoints()
{
    AsrPointSet set;
    const double qs[] = {0.02, 0.05, 0.1, 0.2};
    for (double q : qs)
        for (double p : {0.05, 0.1, 0.2, 0.5}) {
            AsrPoint pt;
            pt.edit.p = p;
            pt.edit.q = q;
            pt.safetySet = QStringLiteral("s");
            pt.utilitySet = QStringLiteral("u");
            pt.actualSparsity = q * (1 - p) * 0.5;
            pt.asr = std::min(1.0, q * p * 40);
            pt.prefixAsr = pt.asr * 0.8;
            pt.incoherentSuccess = pt.asr * 0.1;
            pt.utility = 0.97 - pt.actualSparsity;
            pt.prompts = 100;
            pt.complete = true;
            set.upsert(pt);
        }
    return set;
}

alignscope::MatrixDetail someMatrix()
{
    alignscope::MatrixDetail d;
    d.rows = 4096;
    d.cols = 4096;
    d.blockRows = d.blockCols = 64;
    for (int i = 0; i < 64 * 64; ++i)
        d.removedFraction.push_back(((i * 37) % 101) / 1000.0);
    d.removed = 12345;
    for (int b = 0; b <= 60; ++b)
        d.binEdges.push_back(-8 + b * 0.1);
    for (int b = 0; b < 60; ++b) {
        d.safetyHistogram.push_back(std::int64_t(1000 * std::exp(-std::pow((b - 30) / 8.0, 2))));
        d.utilityHistogram.push_back(std::int64_t(800 * std::exp(-std::pow((b - 25) / 9.0, 2))));
    }
    return d;
}

alignscope::HeadProbing someProbing(int layers, int heads)
{
    alignscope::HeadProbing p;
    p.layers = layers;
    p.heads = heads;
    for (int i = 0; i < layers * heads; ++i)
        p.accuracy.push_back(0.5 + 0.5 * ((i * 13) % 17) / 16.0);
    p.source = "probing.json";
    return p;
}

/** Every view of the application with realistic data (a 32-layer model where the shape matters). */
struct Views {
    LayerMapView map, bigMap;
    OverlapView overlap;
    TradeoffView tradeoff;
    MatrixView matrix;
    HeadsView heads;
    SeriesColors colors;
    Views()
    {
        map.setValues(someMap(4), QStringLiteral("Removed at p = 20 %, q = 10 % (fraction of the matrix)"));
        bigMap.setValues(someMap(32), QStringLiteral("Removed at p = 20 %, q = 10 % (fraction of the matrix)"));
        overlap.draw(someOverlap(32), QStringLiteral("Jaccard index of the top 20 %"));
        TradeoffCursor at;
        at.edit.p = 0.2;
        at.edit.q = 0.05;
        at.safety = "s";
        at.utility = "u";
        const AsrPointSet points = somePoints();
        tradeoff.draw({someSweep()}, points, points.idOf(points.points()[6].key()), at, colors);
        matrix.setDetail(someMatrix(), QStringLiteral("Layer 2, up: 12,345 of 16,777,216 weights removed at p = 20 %, q = 10 %"));
        heads.setProbing(someProbing(32, 32));
    }
    QList<QPair<QString, PlotView *>> all()
    {
        return {{QStringLiteral("layer map"), &map}, {QStringLiteral("layer map, 32 layers"), &bigMap},
                {QStringLiteral("overlap"), &overlap}, {QStringLiteral("tradeoff"), &tradeoff},
                {QStringLiteral("matrix"), &matrix}, {QStringLiteral("heads"), &heads}};
    }
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/** Every font-size in an SVG, converted to points through its width (mm) and viewBox. */
QVector<double> svgFontPoints(const QString &path, double *widthIn)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QXmlStreamReader xml(&f);
    double unitsPerInch = 0;
    QVector<double> out;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto a = xml.attributes();
        if (xml.name() == QLatin1String("svg")) {
            const double mm = a.value(QStringLiteral("width")).toString().remove(QStringLiteral("mm")).toDouble();
            const QStringList box = a.value(QStringLiteral("viewBox")).toString().split(QLatin1Char(' '));
            *widthIn = mm / 25.4;
            unitsPerInch = box.value(2).toDouble() / *widthIn;
        }
        if (a.hasAttribute(QStringLiteral("font-size")) && xml.name() == QLatin1String("text"))
            out << a.value(QStringLiteral("font-size")).toDouble() / unitsPerInch * 72.0;
    }
    return out;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void suffixes()
    {
        QCOMPARE(exportFormatForPath(QStringLiteral("a/b.PNG")), std::optional(ExportFormat::Png));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.pdf")), std::optional(ExportFormat::Pdf));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.svg")), std::optional(ExportFormat::Svg));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.csv")), std::optional(ExportFormat::Csv));
        QVERIFY(!exportFormatForPath(QStringLiteral("fig.jpeg")));
        QVERIFY(!exportFormatForPath(QStringLiteral("fig")));
        QCOMPARE(FigureStyle::preset(QStringLiteral("single"))->widthIn, 3.25);
        QCOMPARE(FigureStyle::preset(QStringLiteral("double"))->widthIn, 6.75);
        QVERIFY(!FigureStyle::preset(QStringLiteral("a4")));
    }

    void everyViewFitsAtBothWidths_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<double>("fontPt");
        QTest::addColumn<int>("legend");
        QTest::newRow("single, 8 pt") << QStringLiteral("single") << 8.0 << int(LegendPlacement::Auto);
        QTest::newRow("double, 8 pt") << QStringLiteral("double") << 8.0 << int(LegendPlacement::Auto);
        QTest::newRow("single, 7 pt, legend beside") << QStringLiteral("single") << 7.0 << int(LegendPlacement::Right);
        QTest::newRow("double, 10 pt, legend below") << QStringLiteral("double") << 10.0 << int(LegendPlacement::Below);
        QTest::newRow("double, 9 pt, no legend") << QStringLiteral("double") << 9.0 << int(LegendPlacement::Hidden);
    }

    void everyViewFitsAtBothWidths()
    {
        QFETCH(QString, size);
        QFETCH(double, fontPt);
        QFETCH(int, legend);
        Views views;
        FigureStyle style = *FigureStyle::preset(size);
        style.fontPt = fontPt;
        style.legend = LegendPlacement(legend);
        QStringList all;
        for (const auto &[name, view] : views.all()) {
            int w = 0, h = 0;
            const std::unique_ptr<QCustomPlot> fig = view->figure(style, &w, &h);
            QCOMPARE(w, int(std::lround(style.widthIn * FigureStyle::kLogicalDpi)));
            for (const QString &p : layoutProblems(fig.get(), style.fontPx(), style.fontPx(1)))
                all << name + QStringLiteral(": ") + p;
            if (style.legend == LegendPlacement::Hidden)
                QVERIFY(!fig->legend->visible());
        }
        QVERIFY2(all.isEmpty(), qPrintable(all.join(QLatin1Char('\n'))));
    }

    void theLayoutCheckFindsProblems()
    {
        // the check itself: a legend inside over the data, a title far wider than the figure, text of another size
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("A title"));
        QVector<Series> s;
        for (int i = 0; i < 6; ++i)
            s << series(QStringLiteral("a rather long series name number %1").arg(i), {0, 1}, {0.2 + 0.1 * i, 1.0});
        v.setSeries(s);
        FigureStyle style = *FigureStyle::preset(QStringLiteral("single"));
        style.legend = LegendPlacement::Inside;
        const std::unique_ptr<QCustomPlot> fig = v.figure(style);
        const QStringList problems = layoutProblems(fig.get(), style.fontPx(), style.fontPx(1));
        QVERIFY2(problems.join(QLatin1Char(' ')).contains(QStringLiteral("legend covers data")), qPrintable(problems.join(QLatin1Char('\n'))));
        const QStringList sizes = layoutProblems(fig.get(), style.fontPx() + 2, style.fontPx(1));
        QVERIFY(sizes.join(QLatin1Char(' ')).contains(QStringLiteral("tick labels are")));
        // with the legend outside the same figure has no problem
        style.legend = LegendPlacement::Right;
        const std::unique_ptr<QCustomPlot> ok = v.figure(style);
        const QStringList none = layoutProblems(ok.get(), style.fontPx(), style.fontPx(1));
        QVERIFY2(none.isEmpty(), qPrintable(none.join(QLatin1Char('\n'))));
    }

    void legendTakesTheEmptiestCorner()
    {
        // points in three corners: an inside legend goes to the fourth, over none of them; a corner the caller
        // names is kept; with points in every corner, the middle of the top edge; with every place free, top right
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("t"));
        v.setSeries({series(QStringLiteral("top right"), {0.9, 1.0}, {0.9, 1.0}, true),
                     series(QStringLiteral("top left"), {0.0, 0.1}, {0.9, 1.0}, true),
                     series(QStringLiteral("bottom left"), {0.0, 0.1}, {0.0, 0.1}, true)});
        FigureStyle style = *FigureStyle::preset(QStringLiteral("single"));
        style.legend = LegendPlacement::Inside;
        auto corner = [&](const QCustomPlot *fig) -> QString {
            const QPoint c = fig->legend->outerRect().center(), a = fig->axisRect()->rect().center();
            return QString::fromLatin1(c.y() < a.y() ? "top " : "bottom ") + QString::fromLatin1(c.x() < a.x() ? "left" : "right");
        };
        std::unique_ptr<QCustomPlot> fig = v.figure(style);
        fig->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(corner(fig.get()), QStringLiteral("bottom right"));
        const QStringList problems = layoutProblems(fig.get(), style.fontPx(), style.fontPx(1));
        QVERIFY2(!problems.join(QLatin1Char(' ')).contains(QStringLiteral("covers data")), qPrintable(problems.join(QLatin1Char('\n'))));
        v.setLegendCorner(Qt::AlignTop | Qt::AlignLeft);
        v.refresh();
        fig = v.figure(style);
        fig->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(corner(fig.get()), QStringLiteral("top left"));
        v.setLegendCorner({});
        AxisSpec unit;
        unit.fixedRange = true;
        v.setAxes(unit, unit);
        v.setSeries({series(QStringLiteral("corners"), {0.15, 0.15, 0.85, 0.85}, {0.15, 0.85, 0.15, 0.85}, true)});
        fig = v.figure(style);
        fig->replot(QCustomPlot::rpImmediateRefresh);
        const QRect top = fig->legend->outerRect(), area = fig->axisRect()->rect();
        QVERIFY2(top.bottom() < area.center().y() && std::abs(top.center().x() - area.center().x()) <= 1,
                 qPrintable(QStringLiteral("legend %1,%2 %3x%4 in %5,%6 %7x%8").arg(top.x()).arg(top.y()).arg(top.width()).arg(top.height()).arg(area.x()).arg(area.y()).arg(area.width()).arg(area.height())));
        v.setSeries({series(QStringLiteral("centre"), {0.5}, {0.5}, true)});
        fig = v.figure(style);
        fig->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(corner(fig.get()), QStringLiteral("top right"));
    }

    void filesHaveThePhysicalSizeAndFonts()
    {
        QTemporaryDir dir;
        Views views;
        for (const QString &size : {QStringLiteral("single"), QStringLiteral("double")}) {
            FigureStyle style = *FigureStyle::preset(size);
            style.fontPt = 8;
            style.dpi = 300;
            for (const auto &[name, view] : views.all()) {
                const QString keep = qEnvironmentVariable("ALIGNSCOPE_KEEP_FIGURES");  // to look at them
                const QString base = (keep.isEmpty() ? dir.path() : keep) + QLatin1Char('/') + (size + QLatin1Char('-') + QString(name).replace(QLatin1Char(' '), QLatin1Char('_')).remove(QLatin1Char(',')));
                QString error;
                for (ExportFormat f : {ExportFormat::Png, ExportFormat::Pdf, ExportFormat::Svg})
                    QVERIFY2(view->exportTo(base + QLatin1Char('.') + exportFormatSuffix(f), f, style, &error), qPrintable(error));
                // PNG: width × dpi pixels, tagged with the dpi
                QImageReader reader(base + QStringLiteral(".png"));
                const QImage img = reader.read();
                QCOMPARE(img.width(), int(std::lround(style.widthIn * 300)));
                QCOMPARE(qRound(img.dotsPerMeterX() * 0.0254), 300);
                // SVG: the physical width, and every text at 8 pt
                double widthIn = 0;
                const QVector<double> pts = svgFontPoints(base + QStringLiteral(".svg"), &widthIn);
                QVERIFY2(std::abs(widthIn - style.widthIn) < 0.01, qPrintable(QString::number(widthIn)));
                QVERIFY(!pts.isEmpty());
                for (double pt : pts)  // titles are 1 pt larger
                    QVERIFY2(std::abs(pt - 8) < 0.05 || std::abs(pt - 9) < 0.05,
                             qPrintable(QStringLiteral("%1: text of %2 pt").arg(name).arg(pt)));
                // PDF: the page is the figure (points), and no image, lossy or not: vectors only
                const QByteArray pdf = readAll(base + QStringLiteral(".pdf"));
                QVERIFY(pdf.startsWith("%PDF-"));
                const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
                const auto m = box.match(QString::fromLatin1(pdf));
                QVERIFY2(m.hasMatch(), pdf.left(400).constData());
                QVERIFY2(std::abs(m.captured(1).toDouble() - style.widthIn * 72) < 0.6, qPrintable(m.captured(0)));
                QVERIFY2(!pdf.contains("/DCTDecode"), qPrintable(name));
                QVERIFY2(!pdf.contains("/Subtype /Image") && !pdf.contains("/Subtype/Image"), qPrintable(name));
                QVERIFY(!readAll(base + QStringLiteral(".svg")).contains("<image"));
            }
        }
    }

    void colourScaleNeverEndsInTheBackground()
    {
        LayerMapView v;
        v.setValues(someMap(4), QStringLiteral("fraction"));
        const auto [lo, hi] = v.colorRange();
        QCOMPARE(lo, 0.0);  // fractions start at 0: a colour means one amount on every map
        auto *map = qobject_cast<HeatmapPlottable *>(v.plot()->plottable(0));
        QVERIFY(map);
        const QColor top = map->colorOf(hi), bottom = map->colorOf(lo);
        QCOMPARE(top, QColor(0xfd, 0xe7, 0x25));     // viridis' yellow
        QCOMPARE(bottom, QColor(0x44, 0x01, 0x54));  // and its dark purple
        QVERIFY(top != QColor(Qt::white));
        QCOMPARE(map->colorOf(std::nan("")), HeatmapPlottable::missingColor());
        // the rendered figure: the largest cell is drawn in the scale's top colour
        double best = -1;
        int bl = 0, bm = 0;
        const auto values = someMap(4);
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 7; ++m)
                if (values[l][m] > best)
                    best = values[l][m], bl = l, bm = m;
        FigureStyle style;
        int w = 0, h = 0;
        const std::unique_ptr<QCustomPlot> fig = v.figure(style, &w, &h);
        const QImage img = fig->toPixmap(w, h, 1.0).toImage();
        const QPoint at(int(fig->xAxis->coordToPixel(bm)), int(fig->yAxis->coordToPixel(bl)));
        QCOMPARE(QColor(img.pixel(at)), top);
        // a fixed scale keeps the colours across slider moves
        v.setColorScale(ColorScale{true, 0.5, true});
        QCOMPARE(v.colorRange(), std::make_pair(0.0, 0.5));
        v.setValues(someMap(2), QStringLiteral("fraction"));
        QCOMPARE(v.colorRange(), std::make_pair(0.0, 0.5));
    }

    void tradeoffCsvCarriesEveryParameter()
    {
        Views views;
        const DataTable t = views.tradeoff.exportTable();
        for (const char *c : {"p", "q", "s", "r_u", "r_s", "x", "y", "actual_sparsity", "asr_keyword", "asr_prefix", "utility"})
            QVERIFY2(t.columns.contains(QLatin1String(c)), c);
        QCOMPARE(t.labelColumns, (QStringList{QStringLiteral("series"), QStringLiteral("source"), QStringLiteral("edit"),
                                              QStringLiteral("setting")}));
        QCOMPARE(t.rowCount(), 9 + 16);  // the sweep's points and the live ones
        const int p = int(t.columns.indexOf(QStringLiteral("p"))), q = int(t.columns.indexOf(QStringLiteral("q")));
        const AsrPointSet points = somePoints();
        int live = 0;
        for (int r = 0; r < t.rowCount(); ++r)
            if (t.labels[1][r] == QStringLiteral("evaluated here")) {
                ++live;
                bool found = false;
                for (const AsrPoint &pt : points.points())
                    found |= pt.edit.p == t.values[p][r] && pt.edit.q == t.values[q][r];
                QVERIFY(found);
            }
        QCOMPARE(live, 16);
    }

    void csvEqualsThePlottedData()
    {
        QTemporaryDir dir;
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("t"));
        v.setSeries(someSeries());
        const QString path = dir.filePath(QStringLiteral("fig.csv"));
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Csv, FigureStyle{}, &error), qPrintable(error));
        // written by hand from someSeries(): quoting per RFC 4180
        const QByteArray expected = "series,x,y\n"
                                    "wanda,0.01,0.1\n"
                                    "wanda,0.02,0.5\n"
                                    "wanda,0.03,0.9\n"
                                    "\"snip, \"\"set diff\"\"\",0.005,0\n"
                                    "\"snip, \"\"set diff\"\"\",0.027,0.91\n";
        QCOMPARE(readAll(path), expected);
        // and the plot holds the same numbers
        QCOMPARE(v.plot()->graphCount(), 2);
        QCOMPARE(v.plot()->graph(1)->data()->size(), 2);
        QCOMPARE(v.plot()->graph(1)->data()->at(1)->value, 0.91);
    }

    void axesFrameTheData()
    {
        // one point: the axis frames it with a margin instead of spanning −2.5 … 2.5
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("t"));
        v.setSeries({series(QStringLiteral("a"), {0.04}, {0.5}, true)});
        const QCPRange r = v.plot()->xAxis->range();
        QVERIFY(r.contains(0.04) && r.lower > -0.1 && r.upper < 0.2);
        QVERIFY(r.upper - 0.04 > 0.004 && 0.04 - r.lower > 0.004);  // a marker at the edge is not cut
        // on a log axis, points spread over decades
        AxisSpec x;
        x.log = true;
        v.setAxes(x, AxisSpec{});
        v.setSeries({series(QStringLiteral("a"), {1e-4, 1e-2, 0.3}, {0.1, 0.2, 0.3}, true)});
        QCOMPARE(v.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(v.plot()->xAxis->range().lower < 1e-4 && v.plot()->xAxis->range().upper > 0.3);
    }

    void layerMapCsvAndCells()
    {
        LayerMapView v;
        const QVector<QVector<double>> values = {{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11, 12, 13, std::nan("")}};
        v.setValues(values, QStringLiteral("Jaccard"));
        QVERIFY(!v.isEmptyState());
        QCOMPARE(v.layerCount(), 2);
        QCOMPARE(CsvWriter::toString(v.exportTable()), QStringLiteral("layer,q,k,v,o,gate,up,down\n"
                                                                      "0,1,2,3,4,5,6,7\n"
                                                                      "1,8,9,10,11,12,13,\n"));
        auto *map = qobject_cast<HeatmapPlottable *>(v.plot()->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->value(4, 1), 12.0);  // gate of layer 1
        v.clear(QStringLiteral("No model loaded"));
        QVERIFY(v.isEmptyState());
        QCOMPARE(v.exportTable().rowCount(), 0);
    }

    void failuresNameTheFile()
    {
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("t"));
        v.setSeries(someSeries());
        QString error;
        const QString bad = QStringLiteral("/nonexistent-dir-xyz/fig.png");
        QVERIFY(!v.exportTo(bad, ExportFormat::Png, FigureStyle{}, &error));
        QVERIFY2(error.startsWith(bad + QStringLiteral(": ")), qPrintable(error));
        QVERIFY(!v.exportTo(QStringLiteral("/nonexistent-dir-xyz/fig.csv"), ExportFormat::Csv, FigureStyle{}, &error));
        QVERIFY2(error.contains(QStringLiteral("fig.csv")), qPrintable(error));
        FigureStyle zero;
        zero.dpi = 0;
        QTemporaryDir dir;
        QVERIFY(!v.exportTo(dir.filePath(QStringLiteral("z.png")), ExportFormat::Png, zero, &error));
        QVERIFY(error.contains(QStringLiteral("invalid figure size")));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());  // no temporary left behind
    }

    void replacesAnExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fig.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("old contents that are longer than the new table\n");
        f.close();
        LinePlotView v(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("t"));
        v.setSeries({series(QStringLiteral("a"), {1}, {2})});
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Csv, FigureStyle{}, &error), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("series,x,y\na,1,2\n"));
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestExport)
#include "tst_export.moc"
