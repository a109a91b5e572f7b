// SPDX-License-Identifier: MIT
// alignscope: the desktop application. Wires settings, translations and the main window.
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "mainwindow.h"
#include "settings.h"
#include "translator.h"
#include "views/matrixview.h"
#include "workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTabWidget>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AlignScope"));
    QApplication::setApplicationName(QStringLiteral("AlignScope"));
    QApplication::setApplicationVersion(QStringLiteral(ALIGNSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("alignscope"));

    using alignscope::ui::Settings;
    alignscope::ui::installTranslators(&app, Settings::instance()->language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "AlignScope: where does a model's safety live?"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QApplication::translate("main", "A Hugging Face model folder to open"),
                                 QStringLiteral("[model]"));
    QCommandLineOption quitAfter(QStringLiteral("quit-after"),
                                 QApplication::translate("main", "Quit after <ms> milliseconds (screenshots, smoke tests)"),
                                 QStringLiteral("ms"));
    parser.addOption(quitAfter);
    QCommandLineOption storeOption(QStringLiteral("store"),
                                   QApplication::translate("main", "Open a store (and its model) at start"),
                                   QStringLiteral("file"));
    parser.addOption(storeOption);
    QCommandLineOption viewOption(QStringLiteral("view"),
                                  QApplication::translate("main", "Show this view beside the tradeoff: 0 layer map, "
                                                                  "1 overlap, 2 matrix, 3 heads"),
                                  QStringLiteral("index"));
    parser.addOption(viewOption);
    QCommandLineOption matrixOption(QStringLiteral("matrix"),
                                    QApplication::translate("main", "With --store: show the matrix view of layer L, "
                                                                    "matrix M (0 q … 6 down)"),
                                    QStringLiteral("L,M"));
    parser.addOption(matrixOption);
    QCommandLineOption workspaceOption(QStringLiteral("workspace"),
                                       QApplication::translate("main", "Open a workspace (model, store, sliders, views) at start"),
                                       QStringLiteral("file"));
    parser.addOption(workspaceOption);
    QCommandLineOption probingOption(QStringLiteral("probing"),
                                     QApplication::translate("main", "Show a probing-result JSON in the heads view"),
                                     QStringLiteral("file"));
    parser.addOption(probingOption);
    QCommandLineOption evaluateOption(QStringLiteral("evaluate"),
                                      QApplication::translate("main", "Evaluate these set-difference edits of the store's score "
                                                                      "pair one after the other, e.g. 0.05:0.1,0.2:0.1 (p:q)"),
                                      QStringLiteral("list"));
    parser.addOption(evaluateOption);
    QCommandLineOption exportDialogOption(QStringLiteral("export-dialog"),
                                          QApplication::translate("main", "Open File ▸ Export figures for the tradeoff at start"));
    parser.addOption(exportDialogOption);
    parser.process(app);

    alignscope::configureThreads(Settings::instance()->threads());
    alignscope::keepFreedMemory();

    alignscope::ui::MainWindow window;
    window.show();
    // the model given on the command line, else the bundled demo model (first launch, offline)
    QString model = parser.positionalArguments().value(0);
    if (model.isEmpty())
        model = QString::fromStdString(alignscope::defaultModelDir());
    if (!model.isEmpty()) {
        QString error;
        if (!window.openModel(model, &error))
            qWarning("%s", qPrintable(error));
    }
    if (parser.isSet(storeOption)) {
        QString error;
        if (!window.openStore(parser.value(storeOption), &error))
            qWarning("%s", qPrintable(error));
    }
    if (parser.isSet(workspaceOption)) {
        QString error;
        if (!window.openWorkspace(parser.value(workspaceOption), &error))
            qWarning("%s", qPrintable(error));
    }
    if (parser.isSet(probingOption)) {
        QString error;
        if (!window.openProbing(parser.value(probingOption), &error))
            qWarning("%s", qPrintable(error));
    }
    // first launch of the demo: its scores are computed right away (about 2 s), then the views fill and the
    // live evaluation starts; later launches open the store this leaves in the app's data folder
    if (parser.positionalArguments().isEmpty() && !window.store() && !window.workspace()->isScoring() &&
        !parser.isSet(storeOption) && !parser.isSet(workspaceOption)) {
        QString error;
        if (!window.computeScores(&error))
            qWarning("%s", qPrintable(error));
    }
    if (parser.isSet(viewOption))
        window.views()->setCurrentIndex(parser.value(viewOption).toInt());
    if (parser.isSet(matrixOption)) {
        const QStringList lm = parser.value(matrixOption).split(QLatin1Char(','));
        QString error;
        if (lm.size() != 2 || !window.showMatrix(lm[0].toInt(), lm[1].toInt(), &error))  // it opens when read
            qWarning("%s", qPrintable(error.isEmpty() ? QStringLiteral("--matrix needs L,M") : error));
    }
    if (parser.isSet(evaluateOption)) {  // scripted sessions and screenshots: the points of a list
        alignscope::ui::Workspace *ws = window.workspace();
        for (const QString &edit : parser.value(evaluateOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QStringList pq = edit.split(QLatin1Char(':'));
            bool okP = false, okQ = false;
            alignscope::ui::SliderValues v = ws->selection();
            v.kind = alignscope::ui::EditKind::SetDifference;
            v.p = pq.value(0).toDouble(&okP);
            v.q = pq.value(1).toDouble(&okQ);
            if (pq.size() != 2 || !okP || !okQ) {
                qWarning("--evaluate: \"%s\" is not p:q", qPrintable(edit));
                return 2;
            }
            ws->evaluate(v, false);
        }
    }
    if (parser.isSet(exportDialogOption))
        QTimer::singleShot(1500, &window, [&window] { window.exportFigures(window.tradeoff()); });
    if (parser.isSet(quitAfter))
        QTimer::singleShot(parser.value(quitAfter).toInt(), &window, &QWidget::close);
    return app.exec();
}
