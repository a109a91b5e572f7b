// SPDX-License-Identifier: MIT
// alignscope-figures: renders AlignScope's tables as paper figures, headless, with the app's own
// plot views and exporter (PNG, SVG, PDF, and CSV of exactly the plotted data).
//   alignscope-figures line --csv T.csv [--csv U.csv …] [--label A …] --x COL --y COL[,COL…]
//                      [--where COL=VALUE[|VALUE…] …] [--group COL] [--empty-x X] [--logx] [--yrange LO,HI]
//                      [--title T] [--xlabel X] [--ylabel Y] [--legend best|top-right|top-left|bottom-right|beside]
//                      --out BASE
//   alignscope-figures overlap --json OVERLAP.json --quantity jaccard|subspace_similarity [--title T] --out BASE
//   alignscope-figures store --store FILE [--p P] [--q Q] [--probing JSON] [--workspace FILE]
//                      [--size single|double] [--font-pt PT] [--legend auto|right|below|inside|hidden] --out DIR
//     the app's own views of a store (layer map, overlap, tradeoff, the matrix view of the matrix
//     the set difference thins most, and with --probing the heads view of a probing result), drawn
//     by the app's workspace and views without a window, as File ▸ Export figures writes them; this
//     is what `alignscope-cli figures` runs
// The CSV files are those of `alignscope-cli sweeps --csv`, `finetune-attack --csv`, …; the JSON is
// `alignscope-cli overlap --json`. Each figure is written as BASE.png (200 dpi), BASE.svg, BASE.pdf
// and BASE.csv, 6.75 in wide with 8 pt text unless --size/--font-pt say otherwise.
#include "alignscope/analysis.h"
#include "alignscope/calibration.h"
#include "alignscope/matrices.h"
#include "plot/qcp.h"
#include "settings.h"
#include "viewset.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

using namespace alignscope;
using namespace alignscope::ui;

namespace {

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "alignscope-figures: %s\n", qPrintable(message));
    std::exit(1);
}

double number(const std::string &s)
{
    if (s.empty())
        return std::numeric_limits<double>::quiet_NaN();
    try {
        size_t used = 0;
        const double v = std::stod(s, &used);
        return used == s.size() ? v : std::numeric_limits<double>::quiet_NaN();
    } catch (const std::exception &) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

QString valueOr(const QCommandLineParser &p, const char *name, const QString &fallback)
{
    return p.isSet(QString::fromLatin1(name)) ? p.value(QString::fromLatin1(name)) : fallback;
}

int columnOf(const CsvTable &t, const QString &name, const QString &file)
{
    const int c = t.column(name.toStdString());
    if (c < 0)
        fail(file + QStringLiteral(": no column \"") + name + QStringLiteral("\""));
    return c;
}

/** The figure style of the command line: --size, --font-pt, --legend; line figures are PNGs at 200 dpi. */
FigureStyle styleOf(const QCommandLineParser &p, const QString &title)
{
    FigureStyle s = *FigureStyle::preset(valueOr(p, "size", QStringLiteral("double")));
    if (p.isSet(QStringLiteral("font-pt"))) {
        bool ok = false;
        s.fontPt = p.value(QStringLiteral("font-pt")).toDouble(&ok);
        if (!ok || !(s.fontPt >= 4 && s.fontPt <= 24))
            fail(QStringLiteral("--font-pt: a size in points from 4 to 24"));
    }
    if (p.isSet(QStringLiteral("legend"))) {
        const QString l = p.value(QStringLiteral("legend"));
        const auto placement = parseLegendPlacement(l == QLatin1String("beside") ? QStringLiteral("right") : l);
        s.legend = placement.value_or(LegendPlacement::Inside);  // top-right, bottom-right, top-left: a corner inside
    }
    s.title = !title.isEmpty();
    s.dpi = 200;
    return s;
}

void write(LinePlotView &view, const QString &base, const FigureStyle &style)
{
    for (ExportFormat f : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv}) {
        QString error;
        if (!view.exportTo(base + QLatin1Char('.') + exportFormatSuffix(f), f, style, &error))
            fail(error);
    }
}

int lineFigure(const QCommandLineParser &p)
{
    const QStringList csvs = p.values(QStringLiteral("csv")), labels = p.values(QStringLiteral("label"));
    const QString xName = p.value(QStringLiteral("x"));
    const QStringList ys = p.value(QStringLiteral("y")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (csvs.isEmpty() || xName.isEmpty() || ys.isEmpty())
        fail(QStringLiteral("line needs --csv, --x and --y"));
    const QStringList yLabels = p.value(QStringLiteral("ylabels")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    QVector<Series> series;
    for (int k = 0; k < csvs.size(); ++k) {
        CsvTable t;
        try {
            t = readCsvTable(csvs[k].toStdString());
        } catch (const std::exception &e) {
            fail(QString::fromStdString(e.what()));
        }
        const int xc = columnOf(t, xName, csvs[k]);
        std::vector<std::pair<int, std::string>> where;
        for (const QString &w : p.values(QStringLiteral("where"))) {
            const int eq = int(w.indexOf(QLatin1Char('=')));
            if (eq < 0)
                fail(QStringLiteral("--where needs COL=VALUE"));
            where.emplace_back(columnOf(t, w.left(eq), csvs[k]), w.mid(eq + 1).toStdString());
        }
        const QString groupName = p.value(QStringLiteral("group"));
        const int gc = groupName.isEmpty() ? -1 : columnOf(t, groupName, csvs[k]);
        // --where COL=A|B: the row's value is one of the alternatives (as text or as a number)
        auto selected = [&](const std::vector<std::string> &row) {
            for (const auto &[c, v] : where) {
                if (size_t(c) >= row.size())
                    return false;
                bool any = false;
                for (const QString &alt : QString::fromStdString(v).split(QLatin1Char('|')))
                    any |= row[size_t(c)] == alt.toStdString() || number(row[size_t(c)]) == number(alt.toStdString());
                if (!any)
                    return false;
            }
            return true;
        };
        std::vector<std::string> groups;  // in order of appearance among the selected rows
        if (gc >= 0)
            for (const auto &row : t.rows)
                if (selected(row) && size_t(gc) < row.size() && !row[size_t(gc)].empty() &&
                    std::find(groups.begin(), groups.end(), row[size_t(gc)]) == groups.end())
                    groups.push_back(row[size_t(gc)]);
        if (groups.empty())
            groups.emplace_back();
        for (int j = 0; j < ys.size(); ++j) {
            const int yc = columnOf(t, ys[j], csvs[k]);
            for (const std::string &g : groups) {
                Series s;
                QStringList name;
                if (k < labels.size())
                    name << labels[k];
                if (ys.size() > 1)
                    name << (j < yLabels.size() ? yLabels[j] : ys[j]);
                if (gc >= 0)
                    name << groupName + QStringLiteral(" = ") + QString::fromStdString(g);
                s.name = name.join(QLatin1Char(' '));
                s.dashed = j > 0 && ys.size() > 1 && p.isSet(QStringLiteral("dash-rest"));
                for (const auto &row : t.rows) {
                    const bool keep = (gc < 0 || (size_t(gc) < row.size() && row[size_t(gc)] == g)) && selected(row);
                    if (!keep || size_t(std::max(xc, yc)) >= row.size())
                        continue;
                    double x = number(row[size_t(xc)]);
                    if (std::isnan(x) && p.isSet(QStringLiteral("empty-x")))
                        x = p.value(QStringLiteral("empty-x")).toDouble();
                    const double y = number(row[size_t(yc)]);
                    if (std::isnan(x) || std::isnan(y))
                        continue;
                    s.x << x;
                    s.y << y;
                }
                series << s;
            }
        }
    }
    const QString title = p.value(QStringLiteral("title"));
    LinePlotView view(valueOr(p, "xlabel", xName), valueOr(p, "ylabel", ys.join(QStringLiteral(", "))), title);
    for (Series &s : series) {
        s.marker = Marker::Circle;
        s.markerSize = 5;
    }
    AxisSpec x{valueOr(p, "xlabel", xName), p.isSet(QStringLiteral("logx")), false, 0, 1, false, {}};
    AxisSpec y{valueOr(p, "ylabel", ys.join(QStringLiteral(", "))), false, false, 0, 1, false, {}};
    if (x.log) {  // a grid of a few values (the usual sweep) is labelled at exactly those values
        QVector<double> xs;
        for (const Series &s : series)
            for (double v : s.x)
                if (v > 0 && !xs.contains(v))
                    xs << v;
        if (!xs.isEmpty() && xs.size() <= 12) {
            std::sort(xs.begin(), xs.end());
            x.ticksAt = xs;
        }
    }
    if (p.isSet(QStringLiteral("yrange"))) {
        const QStringList r = p.value(QStringLiteral("yrange")).split(QLatin1Char(','));
        bool ok1 = false, ok2 = false;
        if (r.size() != 2 || (y.lower = r[0].toDouble(&ok1), y.upper = r[1].toDouble(&ok2), !ok1 || !ok2) || !(y.lower < y.upper))
            fail(QStringLiteral("--yrange needs LO,HI with LO < HI"));
        y.fixedRange = true;
    }
    view.setAxes(x, y);
    const QString corner = valueOr(p, "legend", QStringLiteral("best"));  // best: the corner over the fewest points
    view.setLegendCorner(corner == QLatin1String("bottom-right") ? Qt::AlignBottom | Qt::AlignRight
                         : corner == QLatin1String("top-left")   ? Qt::AlignTop | Qt::AlignLeft
                         : corner == QLatin1String("top-right")  ? Qt::AlignTop | Qt::AlignRight
                                                                 : Qt::Alignment());
    view.setSeries(series);
    FigureStyle style = styleOf(p, title);
    if (!p.isSet(QStringLiteral("legend")))
        style.legend = series.size() > 6 ? LegendPlacement::Right : LegendPlacement::Inside;
    write(view, p.value(QStringLiteral("out")), style);
    return 0;
}

int overlapFigure(const QCommandLineParser &p)
{
    const QString file = p.value(QStringLiteral("json")), quantity = valueOr(p, "quantity", QStringLiteral("jaccard"));
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        fail(file + QStringLiteral(": cannot read"));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    const QJsonArray layers = doc.object().value(QStringLiteral("layers")).toArray();
    if (layers.isEmpty())
        fail(file + QStringLiteral(": not the JSON of `alignscope-cli overlap --json`"));
    const bool jaccard = quantity == QStringLiteral("jaccard");
    const QString aggregate = jaccard ? QStringLiteral("jaccard") : QStringLiteral("subspace");
    // the JSON's values as the overlap view's report, drawn by the view itself
    OverlapReport r;
    r.layers = int(layers.size());
    std::vector<double> perMatrix, attention, mlp;
    for (const auto &l : layers) {
        const QJsonObject o = l.toObject();
        for (const std::string_view m : kMatrixNames) {
            const QJsonValue v = o.value(QString::fromLatin1(m.data(), int(m.size()))).toObject().value(quantity);
            if (v.isUndefined())
                fail(file + QStringLiteral(": no ") + quantity + QStringLiteral(" values"));
            perMatrix.push_back(v.toDouble());
        }
        attention.push_back(o.value(aggregate + QStringLiteral("_attention")).toDouble());
        mlp.push_back(o.value(aggregate + QStringLiteral("_mlp")).toDouble());
    }
    (jaccard ? r.jaccard : r.subspace) = perMatrix;
    (jaccard ? r.jaccardAttention : r.subspaceAttention) = attention;
    (jaccard ? r.jaccardMlp : r.subspaceMlp) = mlp;
    const QString title = p.value(QStringLiteral("title"));
    OverlapView view;
    view.setTitle(title);
    view.setSubspace(!jaccard);
    view.draw(r, jaccard ? QStringLiteral("Jaccard index") : QStringLiteral("Subspace similarity"));
    FigureStyle style = styleOf(p, title);
    if (!p.isSet(QStringLiteral("legend")))
        style.legend = LegendPlacement::Right;
    write(view, p.value(QStringLiteral("out")), style);
    return 0;
}

int storeFigures(const QCommandLineParser &p)
{
    const QString store = p.value(QStringLiteral("store")), out = p.value(QStringLiteral("out"));
    if (store.isEmpty())
        fail(QStringLiteral("store needs --store FILE"));
    Workspace ws;
    ViewSet views(&ws, nullptr);
    QString error;
    if (p.isSet(QStringLiteral("workspace")) ? !ws.load(p.value(QStringLiteral("workspace")), &error) : !ws.openStore(store, &error))
        fail(error);
    if (ws.session() && !ws.session()->sweepError().isEmpty())  // a tradeoff figure cannot be drawn from it
        fail(ws.session()->sweepError());
    if (p.isSet(QStringLiteral("probing")) && !ws.openProbing(p.value(QStringLiteral("probing")), &error))
        fail(error);
    SliderValues v = ws.selection();
    auto fraction = [&](const char *name, double &f) {
        if (!p.isSet(QString::fromLatin1(name)))
            return;
        bool ok = false;
        f = p.value(QString::fromLatin1(name)).toDouble(&ok);
        if (!ok || !(f >= 0 && f <= 1))
            fail(QStringLiteral("--%1: a fraction from 0 to 1").arg(QString::fromLatin1(name)));
    };
    fraction("p", v.p);
    fraction("q", v.q);
    ws.setSelection(v);
    ws.waitForIdle();  // what the views read in the background (mean scores, bases)
    // the matrix the set difference thins most
    int bestL = -1, bestM = -1;
    double best = -1;
    for (int l = 0; l < views.layerMap()->layerCount(); ++l)
        for (int m = 0; m < 7; ++m)
            if (views.layerMap()->valueAt(l, m) > best) {
                best = views.layerMap()->valueAt(l, m);
                bestL = l;
                bestM = m;
            }
    if (bestL >= 0 && !ws.showMatrix(bestL, bestM, &error))
        fail(error);
    ws.waitForIdle();
    FigureStyle style = styleOf(p, QStringLiteral("titles"));
    style.dpi = 600;
    const QStringList files = views.exportFigureSet(out, style, &error);
    if (files.isEmpty())
        fail(error);
    for (const QString &f : files)
        std::printf("%s\n", qPrintable(f));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir settingsDir;  // never the user's settings or stores
    qputenv("XDG_DATA_HOME", settingsDir.filePath(QStringLiteral("data")).toLocal8Bit());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AlignScope"));
    QApplication::setApplicationName(QStringLiteral("alignscope-figures"));
    alignscope::ui::Settings::useFile(settingsDir.filePath(QStringLiteral("settings.ini")));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Renders AlignScope tables as figures (PNG, SVG, PDF, CSV)"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("kind"), QStringLiteral("line or overlap"));
    for (const char *o : {"csv", "label", "x", "y", "ylabels", "where", "group", "empty-x", "yrange", "title", "xlabel", "ylabel",
                          "out", "json", "quantity", "legend", "store", "p", "q", "size", "probing", "font-pt",
                          "workspace"})
        p.addOption(QCommandLineOption(QString::fromLatin1(o), QString::fromLatin1(o), QStringLiteral("value")));
    p.addOption(QCommandLineOption(QStringLiteral("logx"), QStringLiteral("logarithmic x axis")));
    p.addOption(QCommandLineOption(QStringLiteral("dash-rest"), QStringLiteral("dash every y column but the first")));
    p.process(app);
    if (p.isSet(QStringLiteral("size")) && !FigureStyle::preset(p.value(QStringLiteral("size"))))
        fail(QStringLiteral("--size: single (3.25 in) or double (6.75 in)"));
    if (!p.isSet(QStringLiteral("out")))
        fail(QStringLiteral("--out BASE is required"));
    const QString kind = p.positionalArguments().value(0);
    if (kind == QStringLiteral("line"))
        return lineFigure(p);
    if (kind == QStringLiteral("overlap"))
        return overlapFigure(p);
    if (kind == QStringLiteral("store"))
        return storeFigures(p);
    fail(QStringLiteral("unknown figure kind \"") + kind + QStringLiteral("\" (line, overlap or store)"));
}
