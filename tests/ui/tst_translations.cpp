// SPDX-License-Identifier: MIT
// Translations: the .qm files are embedded, complete, and actually change the UI's text.
#include "mainwindow.h"
#include "selection.h"
#include "translator.h"
#include "uitestmain.h"

#include <QDir>
#include <QDirIterator>
#include <QMenuBar>
#include <QTabWidget>
#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace alignscope::ui;

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void embedded()
    {
        const QStringList langs = availableLanguages();
        QVERIFY(langs.contains(QStringLiteral("en")));
        QVERIFY(langs.contains(QStringLiteral("de")));
        QVERIFY(langs.contains(QStringLiteral("zh_CN")));
    }

    void resolve()
    {
        QCOMPARE(resolveLanguage(QStringLiteral("de")), QStringLiteral("de"));
        QCOMPARE(resolveLanguage(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(resolveLanguage(QStringLiteral("fr")), QStringLiteral("en"));
        QVERIFY(availableLanguages().contains(resolveLanguage(QStringLiteral("system"))));
    }

    void everyMessageIsTranslated_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addRow("de") << QStringLiteral("de");
        QTest::addRow("zh_CN") << QStringLiteral("zh_CN");
    }
    void everyMessageIsTranslated()
    {
        // lrelease drops unfinished entries, so a .qm with fewer messages than the source has gaps;
        // check the .ts instead, which the build embeds next to nothing: parse it from the source tree.
        QFETCH(QString, lang);
        QFile ts(QStringLiteral(ALIGNSCOPE_SOURCE_DIR "/translations/alignscope_%1.ts").arg(lang));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(ts.readAll());
        const int messages = int(text.count(QStringLiteral("<message")));
        QVERIFY(messages > 50);
        QCOMPARE(int(text.count(QStringLiteral("type=\"unfinished\""))), 0);
        QCOMPARE(int(text.count(QStringLiteral("type=\"vanished\""))), 0);
    }

    void everySourceMessageIsInTheCatalogues()
    {
        // the .ts files are made by lupdate from the sources: run it now into a scratch file and require
        // every message it finds to be in the committed catalogues, translated (a new tr() without a
        // translation fails here, not in front of a German user)
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
        QProcess lupdate;
        lupdate.start(QStringLiteral(ALIGNSCOPE_LUPDATE), {QStringLiteral("-silent"), QStringLiteral("-no-obsolete"),
                                                           QStringLiteral("-locations"), QStringLiteral("none"),
                                                           QStringLiteral(ALIGNSCOPE_SOURCE_DIR "/ui"),
                                                           QStringLiteral(ALIGNSCOPE_SOURCE_DIR "/app/gui"), QStringLiteral("-ts"), fresh});
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        auto messages = [](const QString &path) {
            QFile f(path);
            QSet<QString> out;
            if (!f.open(QIODevice::ReadOnly))
                return out;
            QXmlStreamReader xml(&f);
            QString context, source;
            while (!xml.atEnd()) {
                xml.readNext();
                if (!xml.isStartElement())
                    continue;
                if (xml.name() == QLatin1String("name"))
                    context = xml.readElementText();
                else if (xml.name() == QLatin1String("source"))
                    source = xml.readElementText();
                else if (xml.name() == QLatin1String("translation") &&
                         xml.attributes().value(QStringLiteral("type")) != QLatin1String("unfinished"))
                    out.insert(context + QLatin1Char('|') + source);
            }
            return out;
        };
        const QSet<QString> needed = [&] {  // lupdate leaves every fresh message unfinished: read its sources
            QFile f(fresh);
            QSet<QString> out;
            if (!f.open(QIODevice::ReadOnly))
                return out;
            QXmlStreamReader xml(&f);
            QString context;
            while (!xml.atEnd()) {
                xml.readNext();
                if (xml.isStartElement() && xml.name() == QLatin1String("name"))
                    context = xml.readElementText();
                else if (xml.isStartElement() && xml.name() == QLatin1String("source"))
                    out.insert(context + QLatin1Char('|') + xml.readElementText());
            }
            return out;
        }();
        QVERIFY(needed.size() > 300);
        for (const char *lang : {"de", "zh_CN"}) {
            const QSet<QString> have = messages(QStringLiteral(ALIGNSCOPE_SOURCE_DIR "/translations/alignscope_%1.ts").arg(QLatin1String(lang)));
            QStringList missing;
            for (const QString &m : needed)
                if (!have.contains(m))
                    missing << m.left(80);
            QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1: %2 message(s) not translated (run the "
                                                                  "update_translations target): %3")
                                                       .arg(QLatin1String(lang))
                                                       .arg(missing.size())
                                                       .arg(missing.mid(0, 5).join(QStringLiteral("; ")))));
        }
    }

    void germanUsesGermanWordsAndNumbers()
    {
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/alignscope_de.qm")));
        QCoreApplication::installTranslator(&t);
        QLocale::setDefault(QLocale(QLocale::German));
        {
            MainWindow w;
            QStringList texts;
            for (int i = 0; i < w.views()->count(); ++i)
                texts << w.views()->tabText(i);
            for (QAction *a : w.menuBar()->actions())
                texts << a->text();
            for (QWidget *child : w.findChildren<QWidget *>())
                if (auto *label = qobject_cast<QLabel *>(child))
                    texts << label->text();
            const QString all = texts.join(QLatin1Char('\n'));
            for (const char *english : {"Heads", "Pruning", "Scores", "coherence", "Model _data"})
                QVERIFY2(!all.contains(QLatin1String(english)), english);
            QCOMPARE(w.views()->tabText(3), QStringLiteral("Köpfe"));
            QCOMPARE(percentText(0.125), QStringLiteral("12,5 %"));
            QCOMPARE(stageText(QStringLiteral("ASR: coherence threshold: generating")),
                     QStringLiteral("ASR: Kohärenzschwelle: Generierung"));
        }
        QLocale::setDefault(QLocale::c());
        QCoreApplication::removeTranslator(&t);
    }

    void changesTheWindow_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("layerMapTab");
        QTest::addColumn<QString>("fileMenu");
        QTest::addRow("de") << QStringLiteral("de") << QStringLiteral("Schichtkarte") << QStringLiteral("&Datei");
        QTest::addRow("zh_CN") << QStringLiteral("zh_CN") << QStringLiteral("层热图") << QStringLiteral("文件(&F)");
    }
    void changesTheWindow()
    {
        QFETCH(QString, lang);
        QFETCH(QString, layerMapTab);
        QFETCH(QString, fileMenu);
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/alignscope_%1.qm").arg(lang)));
        QCoreApplication::installTranslator(&t);
        {
            MainWindow w;
            QCOMPARE(w.views()->tabText(0), layerMapTab);
            QCOMPARE(w.menuBar()->actions().first()->text(), fileMenu);
        }
        QCoreApplication::removeTranslator(&t);
        MainWindow english;
        QCOMPARE(english.views()->tabText(0), QStringLiteral("Layer map"));
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestTranslations)
#include "tst_translations.moc"
