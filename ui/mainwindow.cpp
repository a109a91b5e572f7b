// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alignscope/model_config.h"
#include "alignscope/version.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "plot/qcp.h"
#include "settings.h"
#include "translator.h"
#include "views/generationsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>

namespace alignscope::ui {

namespace {
QString fromStd(const std::string &s) { return QString::fromStdString(s); }
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_modelPanel(new ModelPanel(this)), m_sliders(new SliderPanel(this)),
      m_views(new QTabWidget(this)), m_layerMap(new LayerMapView(this)), m_overlap(new OverlapView(this)),
      m_tradeoff(new TradeoffView(this)), m_generations(new GenerationsView(this)), m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AlignScope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/alignscope.svg")));

    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_views->addTab(m_layerMap, tr("Layer map"));
    m_views->addTab(m_overlap, tr("Overlap"));
    m_views->addTab(m_tradeoff, tr("Tradeoff"));
    m_views->addTab(m_generations, tr("Generations"));
    setCentralWidget(m_views);
    for (PlotView *v : {static_cast<PlotView *>(m_layerMap), m_overlap, m_tradeoff})
        connect(v, &PlotView::exportRequested, this, &MainWindow::exportCurrentFigure);

    auto *modelDock = new QDockWidget(tr("Model & data"), this);
    modelDock->setObjectName(QStringLiteral("modelDock"));
    modelDock->setWidget(m_modelPanel);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    m_modelPanel->setMinimumWidth(300);
    connect(m_modelPanel, &ModelPanel::openModelRequested, this, &MainWindow::chooseModel);

    auto *sliderDock = new QDockWidget(tr("Selection"), this);
    sliderDock->setObjectName(QStringLiteral("sliderDock"));
    sliderDock->setWidget(m_sliders);
    addDockWidget(Qt::RightDockWidgetArea, sliderDock);
    m_sliders->setMinimumWidth(300);

    m_status->setObjectName(QStringLiteral("statusMessage"));
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setMaximumWidth(240);
    m_progress->setTextVisible(false);
    m_progress->setEnabled(false);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the running job"));
    m_cancel->setEnabled(false);  // enabled while a job runs
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_status->setText(tr("Ready"));

    createMenus();

    Settings *s = Settings::instance();
    if (!restoreGeometry(s->get(Settings::Key::MainWindowGeometry).toByteArray()))
        resize(1600, 1000);
    restoreState(s->get(Settings::Key::MainWindowState).toByteArray());
    m_views->setCurrentIndex(std::clamp(s->get(Settings::Key::CurrentView).toInt(), 0, m_views->count() - 1));
}

MainWindow::~MainWindow() = default;

LinePlotView *MainWindow::overlap() const { return static_cast<LinePlotView *>(m_overlap); }
LinePlotView *MainWindow::tradeoff() const { return static_cast<LinePlotView *>(m_tradeoff); }

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openModel = file->addAction(tr("&Open model…"), this, &MainWindow::chooseModel);
    openModel->setObjectName(QStringLiteral("actionOpenModel"));
    openModel->setShortcut(QKeySequence::Open);
    QAction *openStore = file->addAction(tr("Open &store…"));
    openStore->setObjectName(QStringLiteral("actionOpenStore"));
    openStore->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    openStore->setEnabled(false);
    openStore->setToolTip(tr("Score stores are not supported by this version yet"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    rebuildRecentMenu();
    connect(Settings::instance(), &Settings::changed, this, [this](Settings::Key k) {
        if (k == Settings::Key::RecentFiles)
            rebuildRecentMenu();
    });
    file->addSeparator();
    QAction *exportFig = file->addAction(tr("&Export figure…"), this, [this] {
        if (PlotView *v = currentPlotView())
            exportCurrentFigure(v);
    });
    exportFig->setObjectName(QStringLiteral("actionExportFigure"));
    exportFig->setShortcut(QKeySequence(tr("Ctrl+E")));
    auto updateExport = [this, exportFig] { exportFig->setEnabled(currentPlotView() != nullptr); };
    connect(m_views, &QTabWidget::currentChanged, this, updateExport);
    updateExport();
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        view->addAction(d->toggleViewAction());

    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    QMenu *language = settings->addMenu(tr("&Language"));
    language->setObjectName(QStringLiteral("menuLanguage"));
    auto *group = new QActionGroup(this);
    const QString current = Settings::instance()->language();
    auto addLanguage = [&](const QString &code, const QString &name) {
        QAction *a = language->addAction(name);
        a->setCheckable(true);
        a->setChecked(code == current);
        a->setData(code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] {
            Settings::instance()->setLanguage(code);
            m_status->setText(tr("The language changes when AlignScope is started again."));
        });
    };
    addLanguage(QStringLiteral("system"), tr("System default"));
    for (const QString &code : availableLanguages()) {
        const QLocale loc(code);
        const QString native = code == QLatin1String("en") ? QStringLiteral("English") : loc.nativeLanguageName();
        addLanguage(code, native);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About AlignScope"), this,
                                     [this] { QMessageBox::about(this, tr("About AlignScope"), aboutText()); });
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Settings::instance()->recentFiles();
    for (const QString &f : files) {
        m_recentMenu->addAction(QDir::toNativeSeparators(f), this, [this, f] {
            QString error;
            if (!openModel(f, &error)) {
                Settings::instance()->removeRecentFile(f);
                showError(tr("Cannot open model"), error);
            }
        });
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this,
                                [] { Settings::instance()->set(Settings::Key::RecentFiles, QStringList()); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

QString MainWindow::aboutText()
{
    const VersionInfo v = versionInfo();
    return tr("<h3>AlignScope %1</h3>"
              "<p>Finds where a language model's safety lives: the sparse safety-critical weights and ranks "
              "of Wei et al. (ICML 2024, arXiv 2402.05162).</p>"
              "<table>"
              "<tr><td>Qt</td><td>%2</td></tr>"
              "<tr><td>libtorch</td><td>%3</td></tr>"
              "<tr><td>HDF5</td><td>%4</td></tr>"
              "<tr><td>QCustomPlot</td><td>%5</td></tr>"
              "</table>")
        .arg(fromStd(v.program), QString::fromLatin1(qVersion()),
             fromStd(v.libtorch) + (v.cuda ? QStringLiteral(" (CUDA)") : QStringLiteral(" (CPU)")), fromStd(v.hdf5),
             QStringLiteral(QCUSTOMPLOT_VERSION_STR));
}

bool MainWindow::openModel(const QString &dir, QString *error)
{
    ModelConfig config;
    try {
        config = readModelConfig(QDir(dir).absolutePath().toStdString());
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    const QString abs = QDir(dir).absolutePath();
    m_modelPanel->showModel(abs, config);
    int maxRank = 0;
    for (int m = 0; m < 7; ++m) {
        const auto [o, i] = config.matrixShape(m);
        maxRank = std::max<int>(maxRank, int(std::min(o, i)));
    }
    m_sliders->setMaxRank(maxRank);
    const QString noScores = tr("No scores computed for this model yet");
    m_layerMap->clear(noScores);
    overlap()->clear(noScores);
    tradeoff()->clear(tr("No evaluated points yet"));
    m_generations->clear(tr("No generations yet"));
    Settings::instance()->addRecentFile(abs);
    Settings::instance()->set(Settings::Key::LastOpenDir, QFileInfo(abs).absolutePath());
    setWindowTitle(tr("%1 — AlignScope").arg(QFileInfo(abs).fileName()));
    m_status->setText(tr("Opened %1").arg(QDir::toNativeSeparators(abs)));
    return true;
}

void MainWindow::chooseModel()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a Hugging Face model folder"), Settings::instance()->get(Settings::Key::LastOpenDir).toString());
    if (dir.isEmpty())
        return;
    QString error;
    if (!openModel(dir, &error))
        showError(tr("Cannot open model"), error);
}

PlotView *MainWindow::currentPlotView() const { return qobject_cast<PlotView *>(m_views->currentWidget()); }

void MainWindow::exportCurrentFigure(PlotView *view)
{
    if (!view)
        return;
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure"), Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)"), &selected);
    if (path.isEmpty())
        return;
    auto format = exportFormatForPath(path);
    QString target = path;
    if (!format) {  // no or unknown suffix: take the filter's
        const QString suffix = selected.section(QStringLiteral("*."), 1).section(QLatin1Char(')'), 0, 0);
        target += QLatin1Char('.') + suffix;
        format = exportFormatForPath(target);
    }
    Settings *s = Settings::instance();
    ExportOptions o;
    o.width = s->get(Settings::Key::ExportWidth).toInt();
    o.height = s->get(Settings::Key::ExportHeight).toInt();
    o.dpi = s->get(Settings::Key::ExportDpi).toInt();
    o.description = m_modelPanel->modelDir();
    QString error;
    if (!format || !view->exportTo(target, *format, o, &error))
        showError(tr("Export failed"), format ? error : tr("%1: unknown file type").arg(target));
    else
        m_status->setText(tr("Exported %1").arg(QDir::toNativeSeparators(target)));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_status->setText(message);
    QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    Settings *s = Settings::instance();
    s->set(Settings::Key::MainWindowGeometry, saveGeometry());
    s->set(Settings::Key::MainWindowState, saveState());
    s->set(Settings::Key::CurrentView, m_views->currentIndex());
    s->sync();
    event->accept();
}

} // namespace alignscope::ui
