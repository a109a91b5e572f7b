// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alignscope/store.h"
#include "dialogs/exportdialog.h"
#include "help.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "settings.h"
#include "translator.h"
#include "viewset.h"
#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"
#include "workspace.h"

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
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>

namespace alignscope::ui {

namespace {
/** A panel in a scroll area: a short screen scrolls it instead of pushing the window off the screen. */
QScrollArea *scrolling(QWidget *panel)
{
    auto *area = new QScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return area;
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_ws(new Workspace(this)), m_modelPanel(new ModelPanel), m_sliders(new SliderPanel),
      m_views(new QTabWidget), m_plots(new QSplitter(Qt::Horizontal)), m_central(new QSplitter(Qt::Vertical)),
      m_status(new QLabel(this)), m_activity(new QLabel(this)), m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AlignScope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/alignscope.svg")));
    m_viewSet = new ViewSet(m_ws, this);

    // the centre: a view beside the tradeoff, the generations in a drawer below
    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_views->addTab(layerMap(), tr("Layer map"));
    m_views->addTab(overlap(), tr("Overlap"));
    m_views->addTab(matrixView(), tr("Matrix"));
    m_views->addTab(headsView(), tr("Heads"));
    m_plots->setObjectName(QStringLiteral("plotsSplitter"));
    m_plots->addWidget(m_views);
    m_plots->addWidget(tradeoff());
    m_plots->setChildrenCollapsible(false);
    m_plots->setStretchFactor(0, 1);
    m_plots->setStretchFactor(1, 1);
    m_drawer = generations();
    m_central->setObjectName(QStringLiteral("centralSplitter"));
    m_central->addWidget(m_plots);
    m_central->addWidget(m_drawer);
    m_central->setCollapsible(0, false);
    m_central->setCollapsible(1, true);
    m_central->setStretchFactor(0, 3);
    m_central->setStretchFactor(1, 1);
    setCentralWidget(m_central);

    // the selection and the model & data panel share the right-hand dock area as tabs
    m_sliderDock = new QDockWidget(tr("Selection"), this);
    m_sliderDock->setObjectName(QStringLiteral("sliderDock"));
    m_sliderDock->setWidget(scrolling(m_sliders));
    m_modelDock = new QDockWidget(tr("Model and data"), this);  // no "&": a dock title shows it, its tab takes it as a mnemonic
    m_modelDock->setObjectName(QStringLiteral("modelDock"));
    m_modelDock->setWidget(scrolling(m_modelPanel));
    for (QDockWidget *d : {m_sliderDock, m_modelDock})
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, m_sliderDock);
    addDockWidget(Qt::RightDockWidgetArea, m_modelDock);
    tabifyDockWidget(m_sliderDock, m_modelDock);
    m_sliders->setMinimumWidth(280);
    m_modelPanel->setMinimumWidth(280);

    // status bar: the last result (it stays), the running job (it ends with the job), progress and cancel
    m_status->setObjectName(QStringLiteral("statusMessage"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumWidth(0);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_activity->setObjectName(QStringLiteral("activityMessage"));
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->setEnabled(false);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the running job"));
    m_cancel->setEnabled(false);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_activity);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_status->setText(tr("Ready"));

    // the widgets → the workspace
    connect(m_sliders, &SliderPanel::valuesChanged, this, [this] {
        if (!m_syncing)
            m_ws->setSelection(m_sliders->values());
    });
    connect(m_sliders, &SliderPanel::pairChanged, this, [this](int pair) {
        if (!m_syncing)
            m_ws->setPair(pair);
    });
    connect(m_sliders, &SliderPanel::quantityChanged, this, [this](MapQuantity q) {
        if (!m_syncing)
            m_ws->setMapQuantity(q);
    });
    connect(m_modelPanel, &ModelPanel::jobChanged, this, [this] {
        if (m_syncing)
            return;
        ScoreJobSettings s;
        s.safety = m_modelPanel->safetyDataset();
        s.utility = m_modelPanel->utilityDataset();
        s.method = m_modelPanel->method();
        s.nsamples = m_modelPanel->nsamples();
        s.seed = m_modelPanel->seed();
        s.maxLength = m_modelPanel->maxLength();
        m_ws->setScoreJob(s);
    });
    connect(m_modelPanel, &ModelPanel::openModelRequested, this, &MainWindow::chooseModel);
    connect(m_modelPanel, &ModelPanel::computeRequested, this, [this] {
        QString error;
        if (!computeScores(&error))
            showError(tr("Cannot compute scores"), error);
    });
    connect(m_cancel, &QToolButton::clicked, m_ws, &Workspace::cancel);
    connect(layerMap(), &LayerMapView::cellClicked, this, [this](int layer, int matrix) {
        QString error;
        if (!showMatrix(layer, matrix, &error))
            m_status->setText(error);
    });
    connect(m_ws, &Workspace::matrixReady, this, [this] { m_views->setCurrentWidget(matrixView()); });
    connect(headsView(), &HeadsView::openRequested, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open probing results"),
                                                          Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                          tr("Probing results (*.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openProbing(path, &error))
            showError(tr("Cannot open probing results"), error);
    });
    for (const auto &[name, view] : m_viewSet->plotViews())
        connect(view, &PlotView::exportRequested, this, &MainWindow::exportFigures);
    connect(m_views, &QTabWidget::currentChanged, this, [this](int i) {
        if (m_syncing)
            return;
        ViewOptions o = m_ws->viewOptions();
        o.view = i;
        m_ws->setViewOptions(o);
    });

    // the workspace → the widgets
    connect(m_ws, &Workspace::modelChanged, this, &MainWindow::syncModel);
    connect(m_ws, &Workspace::scoreJobChanged, this, &MainWindow::syncModel);
    connect(m_ws, &Workspace::selectionChanged, this, &MainWindow::syncFromWorkspace);
    connect(m_ws, &Workspace::dataChanged, this, &MainWindow::syncFromWorkspace);
    connect(m_ws, &Workspace::viewOptionsChanged, this, [this] {
        const QSignalBlocker block(m_views);
        m_views->setCurrentIndex(m_ws->viewOptions().view);
    });
    connect(m_ws, &Workspace::storeChanged, this, [this] {
        QStringList safety, utility;
        if (const StoreSession *s = m_ws->session())
            for (const auto &[a, b] : s->pairs()) {
                safety << QString::fromStdString(a);
                utility << QString::fromStdString(b);
            }
        m_syncing = true;
        m_sliders->setPairs(safety, utility);
        m_syncing = false;
        if (m_ws->session() && !m_ws->session()->pairs().empty())
            m_sliderDock->raise();  // the scores exist: the controls matter now, the model panel folds away
        else if (!m_ws->isScoring())
            m_modelDock->raise();
        syncFromWorkspace();
    });
    connect(m_ws, &Workspace::estimateChanged, m_modelPanel, &ModelPanel::setEstimate);
    connect(m_ws, &Workspace::scoringChanged, m_modelPanel, &ModelPanel::setBusy);
    connect(m_ws, &Workspace::statusMessage, m_status, &QLabel::setText);
    connect(m_ws, &Workspace::activityChanged, this, &MainWindow::syncActivity);
    connect(m_ws, &Workspace::failed, this, &MainWindow::showError);

    createMenus();
    Settings *s = Settings::instance();
    if (!restoreGeometry(s->get(Settings::Key::MainWindowGeometry).toByteArray()))
        resize(defaultSize(screen() ? screen()->availableGeometry().size() : QSize(1600, 1000)));
    restoreState(s->get(Settings::Key::MainWindowState).toByteArray());
    ViewOptions view = m_ws->viewOptions();  // the view beside the tradeoff, as it was left
    view.view = std::clamp(s->get(Settings::Key::CurrentView).toInt(), 0, m_views->count() - 1);
    m_ws->setViewOptions(view);
    const int drawer = s->get(Settings::Key::GenerationsHeight).toInt();
    m_central->setSizes({std::max(200, height() - drawer), drawer});
    syncModel();
    syncFromWorkspace();
}

MainWindow::~MainWindow() = default;

QSize MainWindow::defaultSize(const QSize &available)
{
    // 1600 × 1000 where it fits, else nearly the whole screen (a 1366 × 768 laptop included)
    return QSize(std::min(1600, int(available.width() * 0.96)), std::min(1000, int(available.height() * 0.94)));
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_placed)
        return;
    m_placed = true;
    // a saved geometry from a larger screen: keep the window on this one
    if (const QScreen *sc = screen()) {
        const QRect avail = sc->availableGeometry();
        if (width() > avail.width() || height() > avail.height())
            resize(defaultSize(avail.size()));
        if (!avail.contains(frameGeometry().topLeft()))
            move(avail.topLeft());
    }
}

const Store *MainWindow::store() const { return m_ws->store(); }
LayerMapView *MainWindow::layerMap() const { return m_viewSet->layerMap(); }
OverlapView *MainWindow::overlap() const { return m_viewSet->overlap(); }
TradeoffView *MainWindow::tradeoff() const { return m_viewSet->tradeoff(); }
GenerationsView *MainWindow::generations() const { return m_viewSet->generations(); }
HeadsView *MainWindow::headsView() const { return m_viewSet->heads(); }
MatrixView *MainWindow::matrixView() const { return m_viewSet->matrix(); }
PlotView *MainWindow::currentPlotView() const { return qobject_cast<PlotView *>(m_views->currentWidget()); }

bool MainWindow::openModel(const QString &dir, QString *error) { return m_ws->openModel(dir, error); }
bool MainWindow::openStore(const QString &path, QString *error) { return m_ws->openStore(path, error); }
bool MainWindow::openWorkspace(const QString &path, QString *error) { return m_ws->load(path, error); }
bool MainWindow::saveWorkspace(const QString &path, QString *error) const { return m_ws->save(path, error); }
bool MainWindow::openProbing(const QString &path, QString *error) { return m_ws->openProbing(path, error); }
bool MainWindow::computeScores(QString *error) { return m_ws->computeScores(error); }
bool MainWindow::showMatrix(int layer, int matrix, QString *error) { return m_ws->showMatrix(layer, matrix, error); }

QStringList MainWindow::exportFigureSet(const QString &dir, const FigureStyle &style, QString *error)
{
    return m_viewSet->exportFigureSet(dir, style, error);
}

bool MainWindow::generationsOpen() const { return m_central->sizes().value(1) > 0; }

void MainWindow::setGenerationsOpen(bool open)
{
    const int total = m_central->height();
    const int drawer = open ? std::max(160, Settings::instance()->get(Settings::Key::GenerationsHeight).toInt()) : 0;
    m_central->setSizes({total - drawer, drawer});
}

void MainWindow::syncModel()
{
    m_syncing = true;
    if (!m_ws->modelDir().isEmpty()) {
        m_modelPanel->showModel(m_ws->modelDir(), m_ws->config());
        m_sliders->setMaxRank(m_ws->maxRank());
        setWindowTitle(tr("%1 — AlignScope").arg(QFileInfo(m_ws->modelDir()).fileName()));
    }
    const ScoreJobSettings &s = m_ws->scoreJob();
    if (m_modelPanel->safetyDataset() != s.safety)
        m_modelPanel->setSafetyDataset(s.safety);
    if (m_modelPanel->utilityDataset() != s.utility)
        m_modelPanel->setUtilityDataset(s.utility);
    m_modelPanel->setMethod(s.method);
    m_modelPanel->setNsamples(s.nsamples);
    m_modelPanel->setSeed(s.seed);
    m_modelPanel->setMaxLength(s.maxLength);
    m_modelPanel->setEstimate(m_ws->estimate());
    m_modelPanel->setBusy(m_ws->isScoring());
    m_syncing = false;
}

void MainWindow::syncFromWorkspace()
{
    m_syncing = true;
    m_sliders->setValues(m_ws->selection());
    m_sliders->setCurrentPair(m_ws->pair());
    m_sliders->setLayerMapQuantity(m_ws->mapQuantity());
    QString text;
    const double fraction = m_ws->removed(text);
    if (text.isEmpty())
        m_sliders->setActualSparsity(fraction);
    else
        m_sliders->setReadout(text);
    m_syncing = false;
}

void MainWindow::syncActivity()
{
    const Activity &a = m_ws->activity();
    m_activity->setText(a.text);
    m_activity->setVisible(a.busy);
    m_progress->setEnabled(a.busy);
    m_progress->setRange(0, a.busy && a.fraction < 0 ? 0 : 1000);  // busy indicator while the amount is unknown
    m_progress->setValue(a.fraction >= 0 ? int(1000 * a.fraction) : 0);
    m_cancel->setEnabled(a.busy && a.cancellable);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openModel = file->addAction(tr("&Open model…"), this, &MainWindow::chooseModel);
    openModel->setObjectName(QStringLiteral("actionOpenModel"));
    openModel->setShortcut(QKeySequence::Open);
    QAction *openStore = file->addAction(tr("Open &store…"), this, &MainWindow::chooseStore);
    openStore->setObjectName(QStringLiteral("actionOpenStore"));
    openStore->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    openStore->setToolTip(tr("Open the HDF5 store with a model's scores, summaries and sweeps"));
    QAction *reload = file->addAction(tr("Re&load store"), this, [this] {
        QString error;
        if (!m_ws->reloadStore(&error))
            showError(tr("Cannot read the store again"), error);
    });
    reload->setObjectName(QStringLiteral("actionReloadStore"));
    reload->setShortcut(QKeySequence::Refresh);
    reload->setToolTip(tr("Read the open store again: what a CLI job or a cluster's shards committed since"));
    QAction *watch = file->addAction(tr("&Watch store for changes"));
    watch->setObjectName(QStringLiteral("actionWatchStore"));
    watch->setCheckable(true);
    watch->setChecked(m_ws->watchesStore());
    watch->setToolTip(tr("Read the open store again by itself whenever another process commits to it (e.g. the "
                         "shards of `alignscope-cli slurm submit` as each one ends)"));
    connect(watch, &QAction::toggled, m_ws, &Workspace::setWatchStore);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    rebuildRecentMenu();
    connect(Settings::instance(), &Settings::changed, this, [this](Settings::Key k) {
        if (k == Settings::Key::RecentFiles)
            rebuildRecentMenu();
    });
    file->addSeparator();
    QAction *openWs = file->addAction(tr("Open &workspace…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a workspace"),
                                                          Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                          tr("AlignScope workspace (*.alignscope.json *.json)"));
        QString error;
        if (!path.isEmpty() && !openWorkspace(path, &error))
            showError(tr("Cannot open workspace"), error);
    });
    openWs->setObjectName(QStringLiteral("actionOpenWorkspace"));
    QAction *saveWs = file->addAction(tr("Save w&orkspace…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save the workspace"),
                                                    Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                    tr("AlignScope workspace (*.alignscope.json)"));
        if (path.isEmpty())
            return;
        if (!path.endsWith(QStringLiteral(".json")))
            path += QStringLiteral(".alignscope.json");
        QString error;
        if (!saveWorkspace(path, &error))
            showError(tr("Cannot save workspace"), error);
        else
            m_status->setText(tr("Saved %1 (ASR points: %2)").arg(QDir::toNativeSeparators(path)).arg(m_ws->points().points().size()));
    });
    saveWs->setObjectName(QStringLiteral("actionSaveWorkspace"));
    saveWs->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction *exportFig = file->addAction(tr("&Export figures…"), this, [this] { exportFigures(currentPlotView()); });
    exportFig->setObjectName(QStringLiteral("actionExportFigure"));
    exportFig->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportFig->setToolTip(tr("One view or every view with data, sized for a paper: PDF, SVG, PNG or CSV"));
    QAction *exportTradeoff = file->addAction(tr("Export the &tradeoff…"), this, [this] { exportFigures(tradeoff()); });
    exportTradeoff->setObjectName(QStringLiteral("actionExportTradeoff"));
    exportTradeoff->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    const QString tabs[] = {tr("&Layer map"), tr("&Overlap"), tr("&Matrix"), tr("&Heads")};
    for (int i = 0; i < 4; ++i) {
        QAction *a = view->addAction(tabs[i], this, [this, i] { m_views->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *drawer = view->addAction(tr("&Generations drawer"));
    drawer->setObjectName(QStringLiteral("actionGenerations"));
    drawer->setCheckable(true);
    drawer->setShortcut(QKeySequence(tr("Ctrl+G")));
    connect(view, &QMenu::aboutToShow, drawer, [this, drawer] { drawer->setChecked(generationsOpen()); });
    connect(drawer, &QAction::triggered, this, [this](bool on) { setGenerationsOpen(on); });
    QAction *sel = m_sliderDock->toggleViewAction();
    sel->setText(tr("&Selection panel"));
    view->addAction(sel);
    QAction *model = m_modelDock->toggleViewAction();
    model->setText(tr("Model and &data panel"));
    view->addAction(model);

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
        addLanguage(code, code == QLatin1String("en") ? QStringLiteral("English") : loc.nativeLanguageName());
    }

    // keyboard steps of the controls, one grid value at a time
    QMenu *selection = menuBar()->addMenu(tr("Se&lection"));
    selection->setObjectName(QStringLiteral("menuSelection"));
    struct Step {
        const char *name;
        QString text;
        QKeySequence key;
        bool isP;
        int delta;
    };
    const Step steps[] = {{"actionPUp", tr("Increase p"), QKeySequence(tr("Ctrl+Alt+Right")), true, 1},
                          {"actionPDown", tr("Decrease p"), QKeySequence(tr("Ctrl+Alt+Left")), true, -1},
                          {"actionQUp", tr("Increase q"), QKeySequence(tr("Ctrl+Alt+Up")), false, 1},
                          {"actionQDown", tr("Decrease q"), QKeySequence(tr("Ctrl+Alt+Down")), false, -1}};
    for (const Step &st : steps) {
        QAction *a = selection->addAction(st.text, this, [this, isP = st.isP, delta = st.delta] {
            SliderValues v = m_ws->selection();
            double &f = isP ? v.p : v.q;
            f = gridFraction(gridPosition(f) + delta);
            m_ws->setSelection(v);
        });
        a->setObjectName(QString::fromLatin1(st.name));
        a->setShortcut(st.key);
    }
    selection->addSeparator();
    QAction *evaluate = selection->addAction(tr("&Evaluate now"), m_ws, &Workspace::evaluateCurrent);
    evaluate->setShortcut(QKeySequence(tr("Ctrl+Return")));
    QAction *clear = selection->addAction(tr("&Clear the ASR points"), m_ws, &Workspace::clearPoints);
    clear->setObjectName(QStringLiteral("actionClearPoints"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *viewHelp = help->addAction(tr("About these &views"), this,
                                        [this] { QMessageBox::information(this, tr("About these views"), viewHelpText()); });
    viewHelp->setObjectName(QStringLiteral("actionViewHelp"));
    viewHelp->setShortcut(QKeySequence::HelpContents);
    QAction *about = help->addAction(tr("&About AlignScope"), this, [this] { QMessageBox::about(this, tr("About AlignScope"), aboutText()); });
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

QString MainWindow::viewHelpText() const
{
    const QWidget *v = m_views->currentWidget();
    const HelpTopic left = v == overlap() ? HelpTopic::Overlap
                           : v == matrixView() ? HelpTopic::Matrix
                           : v == headsView() ? HelpTopic::Heads
                                              : HelpTopic::LayerMap;
    return ui::viewHelpText(left) + ui::viewHelpText(HelpTopic::Tradeoff) + ui::viewHelpText(HelpTopic::Generations);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Settings::instance()->recentFiles();
    for (const QString &f : files) {
        m_recentMenu->addAction(QDir::toNativeSeparators(f), this, [this, f] {
            QString error;
            const bool workspace = f.endsWith(QStringLiteral(".json"));
            if (!(workspace ? openWorkspace(f, &error) : openModel(f, &error))) {
                Settings::instance()->removeRecentFile(f);
                showError(tr("Cannot open model"), error);
            }
        });
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this, [] { Settings::instance()->set(Settings::Key::RecentFiles, QStringList()); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::chooseModel()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Hugging Face model folder"),
                                                          Settings::instance()->get(Settings::Key::LastOpenDir).toString());
    if (dir.isEmpty())
        return;
    QString error;
    if (!openModel(dir, &error))
        showError(tr("Cannot open model"), error);
}

void MainWindow::chooseStore()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a store"), Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                      tr("AlignScope store (*.h5 *.hdf5);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openStore(path, &error))
        showError(tr("Cannot open store"), error);
}

void MainWindow::exportFigures(PlotView *view)
{
    ExportDialog dialog(m_viewSet, view, this);
    dialog.setFigureSet(view == nullptr);
    if (dialog.exec() == QDialog::Accepted)
        m_status->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(dialog.destination())));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_status->setText(message);
    QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // closing cancels the running job cleanly (the store stays as it was) and waits for it
    for (JobKind k : {JobKind::Score, JobKind::Evaluate, JobKind::Probe, JobKind::Ablate})
        m_ws->engineLane()->cancelKind(k);
    m_ws->waitForIdle();
    Settings *s = Settings::instance();
    s->set(Settings::Key::MainWindowGeometry, saveGeometry());
    s->set(Settings::Key::MainWindowState, saveState());
    s->set(Settings::Key::CurrentView, m_views->currentIndex());
    if (m_central->sizes().value(1) > 0)
        s->set(Settings::Key::GenerationsHeight, m_central->sizes().value(1));
    s->sync();
    event->accept();
}

} // namespace alignscope::ui
