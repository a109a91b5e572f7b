// SPDX-License-Identifier: MIT
// main() of the widget suites: offscreen platform (real fonts, unlike "minimal"), 96 DPI,
// C locale, settings in a temporary INI file and data (stores) in a temporary XDG_DATA_HOME, so no
// test touches the user's settings or files.
#pragma once
#include "settings.h"

#include <QApplication>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

#define ALIGNSCOPE_UI_TEST_MAIN(TestClass)                                                        \
    int main(int argc, char **argv)                                                               \
    {                                                                                             \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                       \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                              \
        QTemporaryDir dataDir;                                                                    \
        qputenv("XDG_DATA_HOME", dataDir.path().toLocal8Bit());                                   \
        QCoreApplication::setAttribute(Qt::AA_Use96Dpi, true);                                    \
        QLocale::setDefault(QLocale::c());                                                        \
        QApplication app(argc, argv);                                                             \
        QApplication::setOrganizationName(QStringLiteral("AlignScopeTests"));                     \
        QTemporaryDir settingsDir;                                                                \
        alignscope::ui::Settings::useFile(settingsDir.filePath(QStringLiteral("settings.ini")));  \
        TestClass tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                \
        return QTest::qExec(&tc, argc, argv);                                                     \
    }
