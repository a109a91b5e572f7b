// SPDX-License-Identifier: MIT
// Typed settings: defaults, a round trip through the INI file, recent files, change signals.
#include "settings.h"
#include "uitestmain.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace alignscope::ui;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Settings::instance()->resetToDefaults(); }

    void defaults()
    {
        Settings *s = Settings::instance();
        QCOMPARE(s->language(), QStringLiteral("system"));
        QCOMPARE(s->threads(), 0);
        QVERIFY(s->recentFiles().isEmpty());
        QCOMPARE(s->get(Settings::Key::ExportDpi).toInt(), 600);
        QCOMPARE(s->get(Settings::Key::ExportFontPt).toDouble(), 8.0);
        QCOMPARE(s->get(Settings::Key::ExportSize).toString(), QStringLiteral("single"));
    }

    void roundTripThroughTheFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("roundtrip.ini"));
        Settings::useFile(file);
        Settings *s = Settings::instance();
        s->setLanguage(QStringLiteral("de"));
        s->set(Settings::Key::Threads, 3);
        s->set(Settings::Key::MainWindowGeometry, QByteArray("\x01\x02\x00\xff", 4));
        s->addRecentFile(QStringLiteral("/models/only-one"));  // one-element lists are special in INI files
        s->sync();
        QVERIFY(QFile::exists(file));

        Settings::useFile(file);  // a fresh instance reads what the last one wrote
        s = Settings::instance();
        QCOMPARE(s->language(), QStringLiteral("de"));
        QCOMPARE(s->threads(), 3);
        QCOMPARE(s->get(Settings::Key::Threads).typeId(), int(QMetaType::Int));
        QCOMPARE(s->get(Settings::Key::MainWindowGeometry).toByteArray(), QByteArray("\x01\x02\x00\xff", 4));
        QCOMPARE(s->recentFiles(), QStringList{QStringLiteral("/models/only-one")});
        Settings::useFile(dir.filePath(QStringLiteral("other.ini")));
    }

    void recentFilesAreUniqueNewestFirstAndCapped()
    {
        Settings *s = Settings::instance();
        for (int i = 0; i < 15; ++i)
            s->addRecentFile(QStringLiteral("/m/%1").arg(i));
        s->addRecentFile(QStringLiteral("/m/12"));
        const QStringList r = s->recentFiles();
        QCOMPARE(r.size(), Settings::kMaxRecentFiles);
        QCOMPARE(r.first(), QStringLiteral("/m/12"));
        QCOMPARE(r.count(QStringLiteral("/m/12")), 1);
        QCOMPARE(r.at(1), QStringLiteral("/m/14"));
        QVERIFY(!r.contains(QStringLiteral("/m/0")));
        s->removeRecentFile(QStringLiteral("/m/12"));
        QCOMPARE(s->recentFiles().first(), QStringLiteral("/m/14"));
    }

    void changeSignals()
    {
        Settings *s = Settings::instance();
        QSignalSpy spy(s, &Settings::changed);
        s->set(Settings::Key::ExportDpi, 640);
        s->set(Settings::Key::ExportDpi, 640);  // unchanged: no signal
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), Settings::Key::ExportDpi);
        s->resetToDefaults();
        QCOMPARE(s->get(Settings::Key::ExportDpi).toInt(), 600);
    }

    void keyNamesAreUnique()
    {
        const QMetaEnum e = QMetaEnum::fromType<Settings::Key>();
        QSet<QString> names;
        for (int i = 0; i < e.keyCount(); ++i) {
            const QString n = Settings::keyName(Settings::Key(e.value(i)));
            QVERIFY2(!names.contains(n), qPrintable(n));
            names.insert(n);
            QVERIFY(Settings::defaultValue(Settings::Key(e.value(i))).isValid());
        }
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestSettings)
#include "tst_settings.moc"
