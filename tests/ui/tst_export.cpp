// SPDX-License-Identifier: MIT
// Figure export: every format produces a valid file of the requested size, CSV equals the
// plotted data, and failures name the file.
#include "plot/datatable.h"
#include "plot/export.h"
#include "plot/qcp.h"
#include "uitestmain.h"
#include "views/layermapview.h"
#include "views/tradeoffview.h"

#include <QBuffer>
#include <QImageReader>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <cmath>

using namespace alignscope::ui;

class TestExport : public QObject {
    Q_OBJECT
private:
    static QVector<Series> someSeries()
    {
        return {{QStringLiteral("wanda"), {0.01, 0.02, 0.03}, {0.1, 0.5, 0.9}, true, false},
                {QStringLiteral("snip, \"set diff\""), {0.005, 0.027}, {0.0, 0.91}, false, true}};
    }

private Q_SLOTS:
    void suffixes()
    {
        QCOMPARE(exportFormatForPath(QStringLiteral("a/b.PNG")), std::optional(ExportFormat::Png));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.pdf")), std::optional(ExportFormat::Pdf));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.svg")), std::optional(ExportFormat::Svg));
        QCOMPARE(exportFormatForPath(QStringLiteral("fig.csv")), std::optional(ExportFormat::Csv));
        QVERIFY(!exportFormatForPath(QStringLiteral("fig.jpeg")));
        QVERIFY(!exportFormatForPath(QStringLiteral("fig")));
    }

    void pngHasTheRequestedSizeAndDpi()
    {
        QTemporaryDir dir;
        TradeoffView v;
        v.setSeries(someSeries());
        ExportOptions o;
        o.width = 640;
        o.height = 400;
        o.scale = 2.0;
        o.dpi = 300;
        const QString path = dir.filePath(QStringLiteral("fig.png"));
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Png, o, &error), qPrintable(error));
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage img = reader.read();
        QCOMPARE(img.size(), QSize(1280, 800));
        QCOMPARE(qRound(img.dotsPerMeterX() * 0.0254), 300);
        // something was drawn: not a single flat colour
        QSet<QRgb> colors;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7)
                colors.insert(img.pixel(x, y));
        QVERIFY(colors.size() > 5);
        QVERIFY(QFileInfo(path).permissions() & QFileDevice::ReadOther);
    }

    void pdfHasAPage()
    {
        QTemporaryDir dir;
        OverlapView v;
        v.setSeries(someSeries());
        const QString path = dir.filePath(QStringLiteral("fig.pdf"));
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Pdf, ExportOptions{}, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray pdf = f.readAll();
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.contains("/Type /Page") || pdf.contains("/Type/Page"));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    }

    void svgParsesAndHasPaths()
    {
        QTemporaryDir dir;
        LayerMapView v;
        v.setValues({{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, {0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}},
                    QStringLiteral("Removed (%)"));
        const QString path = dir.filePath(QStringLiteral("fig.svg"));
        QString error;
        ExportOptions o;
        o.description = QStringLiteral("SNIP set difference, p = 0.2, q = 0.1");
        QVERIFY2(v.exportTo(path, ExportFormat::Svg, o, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        int paths = 0, texts = 0;
        bool sawTitle = false, sawDesc = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                // QSvgGenerator writes strokes as <polyline>, filled shapes as <path>: both are vector paths
                if (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline"))
                    ++paths;
                if (xml.name() == QLatin1String("text"))
                    ++texts;
                if (xml.name() == QLatin1String("title"))
                    sawTitle = xml.readElementText().contains(QStringLiteral("Removed (%)"));
                else if (xml.name() == QLatin1String("desc"))
                    sawDesc = xml.readElementText().contains(QStringLiteral("q = 0.1"));
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(paths > 10);  // axes, ticks
        QVERIFY(texts >= 7);  // at least the 7 matrix tick labels, as real text
        QVERIFY(sawTitle);
        QVERIFY(sawDesc);
    }

    void csvEqualsThePlottedData()
    {
        QTemporaryDir dir;
        TradeoffView v;
        v.setSeries(someSeries());
        const QString path = dir.filePath(QStringLiteral("fig.csv"));
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Csv, ExportOptions{}, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        // written by hand from someSeries(): quoting per RFC 4180
        const QByteArray expected = "series,x,y\n"
                                    "wanda,0.01,0.1\n"
                                    "wanda,0.02,0.5\n"
                                    "wanda,0.03,0.9\n"
                                    "\"snip, \"\"set diff\"\"\",0.005,0\n"
                                    "\"snip, \"\"set diff\"\"\",0.027,0.91\n";
        QCOMPARE(f.readAll(), expected);
        // and the plot holds the same numbers
        QCOMPARE(v.plot()->graphCount(), 2);
        QCOMPARE(v.plot()->graph(1)->data()->size(), 2);
        QCOMPARE(v.plot()->graph(1)->data()->at(1)->value, 0.91);
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
        auto *map = v.plot()->findChild<QCPColorMap *>();
        QVERIFY(map);
        QCOMPARE(map->data()->cell(4, 1), 12.0);  // gate of layer 1
        QVERIFY(!map->interpolate());
        v.clear(QStringLiteral("No model loaded"));
        QVERIFY(v.isEmptyState());
        QCOMPARE(v.exportTable().rowCount(), 0);
    }

    void failuresNameTheFile()
    {
        TradeoffView v;
        v.setSeries(someSeries());
        QString error;
        const QString bad = QStringLiteral("/nonexistent-dir-xyz/fig.png");
        QVERIFY(!v.exportTo(bad, ExportFormat::Png, ExportOptions{}, &error));
        QVERIFY2(error.startsWith(bad + QStringLiteral(": ")), qPrintable(error));
        QVERIFY(!v.exportTo(QStringLiteral("/nonexistent-dir-xyz/fig.csv"), ExportFormat::Csv, ExportOptions{}, &error));
        QVERIFY2(error.contains(QStringLiteral("fig.csv")), qPrintable(error));
        ExportOptions zero;
        zero.width = 0;
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
        TradeoffView v;
        v.setSeries({{QStringLiteral("a"), {1}, {2}, false, false}});
        QString error;
        QVERIFY2(v.exportTo(path, ExportFormat::Csv, ExportOptions{}, &error), qPrintable(error));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("series,x,y\na,1,2\n"));
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestExport)
#include "tst_export.moc"
