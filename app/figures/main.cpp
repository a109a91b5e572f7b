// SPDX-License-Identifier: MIT
// alignscope-figures: renders AlignScope's tables as paper figures, headless, with the app's own
// plot views and exporter (PNG, SVG, PDF, and CSV of exactly the plotted data).
//   alignscope-figures line --csv T.csv [--csv U.csv …] [--label A …] --x COL --y COL[,COL…]
//                      [--where COL=VALUE[|VALUE…] …] [--group COL] [--empty-x X] [--logx] [--yrange LO,HI]
//                      [--title T] [--xlabel X] [--ylabel Y] --out BASE
//   alignscope-figures overlap --json OVERLAP.json --quantity jaccard|subspace_similarity [--title T] --out BASE
//   alignscope-figures store --store FILE [--p P] [--q Q] [--probing JSON] [--size single|double] --out DIR
//     the app's own views of a store (layer map, overlap, tradeoff, the matrix view of the matrix
//     the set difference thins most, and with --probing the heads view of a probing result), as
//     File ▸ Export figure set writes them; this is what `alignscope-cli figures` runs
// The CSV files are those of `alignscope-cli sweeps --csv`, `finetune-attack --csv`, …; the JSON is
// `alignscope-cli overlap --json`. Each figure is written as BASE.png (2× scale), BASE.svg, BASE.pdf
// and BASE.csv.
#include "alignscope/analysis.h"
#include "alignscope/calibration.h"
#include "alignscope/matrices.h"
#include "mainwindow.h"
#include "panels/sliderpanel.h"
#include "plot/qcp.h"
#include "settings.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"

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

/** Moves the legend beside the plot, top-aligned, where it covers no line. */
void legendBeside(QCustomPlot *plot)
{
    plot->axisRect()->insetLayout()->take(plot->legend);
    auto *side = new QCPLayoutGrid;
    int row = 0;  // the axis rect's row (a title may sit above it)
    for (int r = 0; r < plot->plotLayout()->rowCount(); ++r)
        if (plot->plotLayout()->element(r, 0) == plot->axisRect())
            row = r;
    plot->plotLayout()->addElement(row, 1, side);
    side->addElement(0, 0, plot->legend);
    side->addElement(1, 0, new QCPLayoutElement(plot));  // takes the remaining height
    side->setRowStretchFactor(0, 0.001);
    plot->plotLayout()->setColumnStretchFactor(1, 0.001);
}

void write(LinePlotView &view, const QString &base, const QString &title)
{
    view.resize(900, 600);
    view.plot()->replot();
    ExportOptions o;
    o.width = 900;
    o.height = 600;
    o.scale = 2.0;
    o.title = title;
    for (ExportFormat f : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv}) {
        QString error;
        if (!view.exportTo(base + QLatin1Char('.') + exportFormatSuffix(f), f, o, &error))
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
    LinePlotView view(valueOr(p, "xlabel", xName), valueOr(p, "ylabel", ys.join(QStringLiteral(", "))),
                      title);
    view.setSeries(series);
    QCustomPlot *plot = view.plot();
    for (int i = 0; i < plot->graphCount(); ++i)
        plot->graph(i)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    if (p.isSet(QStringLiteral("logx"))) {
        plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
        // a grid of a few values (the usual sweep) is labelled at exactly those values
        QVector<double> xs;
        for (const Series &s : series)
            for (double x : s.x)
                if (x > 0 && !xs.contains(x))
                    xs << x;
        if (!xs.isEmpty() && xs.size() <= 12) {
            std::sort(xs.begin(), xs.end());
            QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
            for (double x : xs)
                ticks->addTick(x, QString::number(x, 'g', 4));
            plot->xAxis->setTicker(ticks);
        } else {
            plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        }
        plot->rescaleAxes();
    }
    if (p.isSet(QStringLiteral("yrange"))) {
        const QStringList r = p.value(QStringLiteral("yrange")).split(QLatin1Char(','));
        if (r.size() != 2)
            fail(QStringLiteral("--yrange needs LO,HI"));
        plot->yAxis->setRange(r[0].toDouble(), r[1].toDouble());
    }
    // a little room around the data
    const QCPRange xr = plot->xAxis->range();
    if (!p.isSet(QStringLiteral("logx")))
        plot->xAxis->setRange(xr.lower - 0.03 * xr.size(), xr.upper + 0.03 * xr.size());
    else
        plot->xAxis->setRange(xr.lower / 1.3, xr.upper * 1.3);
    if (!title.isEmpty()) {
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(QStringLiteral("sans"), 11, QFont::Bold)));
    }
    if (valueOr(p, "legend", QString()) == QStringLiteral("beside") || (!p.isSet(QStringLiteral("legend")) && series.size() > 6))
        legendBeside(plot);
    else
        plot->axisRect()->insetLayout()->setInsetAlignment(
        0, valueOr(p, "legend", QStringLiteral("top-right")) == QStringLiteral("bottom-right")
               ? Qt::AlignBottom | Qt::AlignRight
               : p.value(QStringLiteral("legend")) == QStringLiteral("top-left") ? Qt::AlignTop | Qt::AlignLeft
                                                                               : Qt::AlignTop | Qt::AlignRight);
    write(view, p.value(QStringLiteral("out")), title);
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
    view.setSubspace(!jaccard);
    view.draw(r, jaccard ? QStringLiteral("Jaccard index") : QStringLiteral("Subspace similarity"));
    QCustomPlot *plot = view.plot();
    const int n = plot->graphCount();
    for (int i = 0; i < n; ++i)  // markers on every line, discs on the pooled aggregates
        plot->graph(i)->setScatterStyle(i < n - 2 ? QCPScatterStyle(QCPScatterStyle::ssCircle, 5)
                                                  : QCPScatterStyle(QCPScatterStyle::ssDisc, plot->graph(i)->pen().color(), 6));
    legendBeside(plot);
    if (!title.isEmpty()) {
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(QStringLiteral("sans"), 11, QFont::Bold)));
    }
    write(view, p.value(QStringLiteral("out")), title);
    return 0;
}

int storeFigures(const QCommandLineParser &p)
{
    const QString store = p.value(QStringLiteral("store")), out = p.value(QStringLiteral("out"));
    if (store.isEmpty())
        fail(QStringLiteral("store needs --store FILE"));
    MainWindow w;
    w.resize(1600, 1000);
    QString error;
    if (!w.openStore(store, &error))
        fail(error);
    if (p.isSet(QStringLiteral("probing")) && !w.openProbing(p.value(QStringLiteral("probing")), &error))
        fail(error);
    SliderValues v = w.sliderPanel()->values();
    if (p.isSet(QStringLiteral("p")))
        v.p = p.value(QStringLiteral("p")).toDouble();
    if (p.isSet(QStringLiteral("q")))
        v.q = p.value(QStringLiteral("q")).toDouble();
    w.sliderPanel()->setValues(v);
    // the matrix the set difference thins most
    int bestL = -1, bestM = -1;
    double best = -1;
    for (int l = 0; l < w.layerMap()->layerCount(); ++l)
        for (int m = 0; m < 7; ++m)
            if (w.layerMap()->valueAt(l, m) > best) {
                best = w.layerMap()->valueAt(l, m);
                bestL = l;
                bestM = m;
            }
    if (bestL >= 0 && !w.showMatrix(bestL, bestM, &error))
        fail(error);
    const QStringList files = w.exportFigureSet(out, valueOr(p, "size", QStringLiteral("double")), &error);
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
                          "out", "json", "quantity", "legend", "store", "p", "q", "size", "probing"})
        p.addOption(QCommandLineOption(QString::fromLatin1(o), QString::fromLatin1(o), QStringLiteral("value")));
    p.addOption(QCommandLineOption(QStringLiteral("logx"), QStringLiteral("logarithmic x axis")));
    p.addOption(QCommandLineOption(QStringLiteral("dash-rest"), QStringLiteral("dash every y column but the first")));
    p.process(app);
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
