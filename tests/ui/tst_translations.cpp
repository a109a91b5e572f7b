// SPDX-License-Identifier: MIT
// Translations: the .qm files are embedded, complete, and actually change the UI's text.
#include "mainwindow.h"
#include "translator.h"
#include "uitestmain.h"

#include <QDir>
#include <QDirIterator>
#include <QMenuBar>
#include <QTabWidget>
#include <QTranslator>

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
