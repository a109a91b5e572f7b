// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "uitestmain.h"

using namespace alignscope::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opens()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }
};

ALIGNSCOPE_UI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
