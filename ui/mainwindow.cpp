// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alignscope/analysis.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/asr.h"
#include "alignscope/model.h"
#include "alignscope/model_config.h"
#include "alignscope/model_edit.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "alignscope/version.h"
#include "jobrunner.h"
#include "panels/modelpanel.h"
#include "panels/sliderpanel.h"
#include "plot/qcp.h"
#include "settings.h"
#include "storesession.h"
#include "translator.h"
#include "eval/liveengine.h"
#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"

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
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressBar>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>

namespace alignscope::ui {

namespace {
QString fromStd(const std::string &s) { return QString::fromStdString(s); }
/** Sets *error (when given) and returns false: the shape of every bool-returning action here. */
bool failWith(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_modelPanel(new ModelPanel(this)), m_sliders(new SliderPanel(this)),
      m_views(new QTabWidget(this)), m_layerMap(new LayerMapView(this)), m_overlap(new OverlapView(this)),
      m_tradeoff(new TradeoffView(this)), m_generations(new GenerationsView(this)), m_matrix(new MatrixView(this)),
      m_heads(new HeadsView(this)), m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this)), m_jobs(new JobRunner(this)),
      m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kEvaluationDelayMs);
    connect(m_debounce, &QTimer::timeout, this, &MainWindow::evaluateCurrent);
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AlignScope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/alignscope.svg")));

    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_views->addTab(m_layerMap, tr("Layer map"));
    m_views->addTab(m_overlap, tr("Overlap"));
    m_views->addTab(m_tradeoff, tr("Tradeoff"));
    m_views->addTab(m_generations, tr("Generations"));
    m_views->addTab(m_matrix, tr("Matrix"));
    m_views->addTab(m_heads, tr("Heads"));
    connect(m_heads, &HeadsView::openRequested, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open probing results"),
                                                          Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                          tr("Probing results (*.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openProbing(path, &error))
            showError(tr("Cannot open probing results"), error);
    });
    connect(m_heads, &HeadsView::probeRequested, this, [this] {
        QString error;
        if (!probeHeads(&error))
            showError(tr("Cannot probe the heads"), error);
    });
    connect(m_heads, &HeadsView::ablationRequested, this, [this] {
        QString error;
        if (!evaluateHeadAblation(&error))
            showError(tr("Cannot evaluate the ablation"), error);
    });
    connect(m_tradeoff, &TradeoffView::axisChanged, this, &MainWindow::showCurrentPoint);
    connect(m_overlap, &OverlapView::quantityChanged, this, &MainWindow::redrawFromStore);
    connect(m_layerMap, &LayerMapView::cellClicked, this, [this](int layer, int matrix) {
        QString error;
        if (showMatrix(layer, matrix, &error))
            m_views->setCurrentWidget(m_matrix);
        else
            m_status->setText(error);
    });
    setCentralWidget(m_views);
    for (PlotView *v : {static_cast<PlotView *>(m_layerMap), static_cast<PlotView *>(m_overlap), static_cast<PlotView *>(m_tradeoff),
                        static_cast<PlotView *>(m_matrix), static_cast<PlotView *>(m_heads)})
        connect(v, &PlotView::exportRequested, this, &MainWindow::exportCurrentFigure);

    auto *modelDock = new QDockWidget(tr("Model & data"), this);
    modelDock->setObjectName(QStringLiteral("modelDock"));
    modelDock->setWidget(m_modelPanel);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    m_modelPanel->setMinimumWidth(300);
    connect(m_modelPanel, &ModelPanel::openModelRequested, this, &MainWindow::chooseModel);
    // the estimate reads and tokenizes the datasets: once the panel's fields rest, not on every keystroke
    auto *estimateDelay = new QTimer(this);
    estimateDelay->setSingleShot(true);
    estimateDelay->setInterval(250);
    connect(estimateDelay, &QTimer::timeout, this, &MainWindow::updateEstimate);
    connect(m_modelPanel, &ModelPanel::jobChanged, estimateDelay, qOverload<>(&QTimer::start));
    connect(m_modelPanel, &ModelPanel::computeRequested, this, [this] {
        QString error;
        if (!computeScores(&error))
            showError(tr("Cannot compute scores"), error);
    });

    auto *sliderDock = new QDockWidget(tr("Selection"), this);
    sliderDock->setObjectName(QStringLiteral("sliderDock"));
    sliderDock->setWidget(m_sliders);
    addDockWidget(Qt::RightDockWidgetArea, sliderDock);
    m_sliders->setMinimumWidth(340);
    connect(m_sliders, &SliderPanel::valuesChanged, this, &MainWindow::updateFromStore);
    connect(m_sliders, &SliderPanel::pairChanged, this, &MainWindow::updateFromStore);

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
    connect(m_cancel, &QToolButton::clicked, m_jobs, &JobRunner::cancel);
    connect(m_jobs, &JobRunner::progress, this, [this](const QString &title, double fraction, const QString &stage, double eta) {
        m_progress->setValue(fraction >= 0 ? int(1000 * fraction) : 0);
        m_status->setText(eta >= 0 ? tr("%1: %2, about %3 left").arg(title, stage, QString::fromStdString(formatDuration(eta)))
                                   : tr("%1: %2").arg(title, stage));
    });
    auto jobEnded = [this](const QString &message) {
        m_progress->setEnabled(false);
        m_progress->setValue(0);
        m_cancel->setEnabled(false);
        m_modelPanel->setBusy(false);
        m_heads->setBusy(false);
        const EngineJob ended = std::exchange(m_engineJob, EngineJob::None);
        if (ended == EngineJob::Point) {  // a live evaluation: its point joins the curve, or a newer one starts
            m_evaluating = false;
            if (m_evaluationPending) {
                m_evaluationPending = false;
                evaluateCurrent();
            }
            return;
        }
        if (ended == EngineJob::None) {  // a score job: its store opens (as it was, when cancelled or failed)
            QString error;
            if (QFileInfo::exists(m_jobStore) && !openStore(m_jobStore, &error))
                showError(tr("Cannot open store"), error);
            if (!m_session) {
                m_layerMap->clear(noScoresText());
                overlap()->clear(noScoresText());
            }
        }
        if (!message.isEmpty())
            m_status->setText(message);
    };
    connect(m_jobs, &JobRunner::finished, this, [this, jobEnded](const QString &title) {
        if (m_engineJob == EngineJob::Point && m_result) {  // the utility of the point shown when its ASR was known
            if (!m_live.isEmpty() && m_live.back().p == m_livePending.p && m_live.back().q == m_livePending.q &&
                m_live.back().kind == m_livePending.kind) {
                m_live.back().utility = m_result->utility;
                m_live.back().incoherent = m_result->incoherent;
                m_live.back().incoherentSuccess = m_result->incoherentSuccess;
            }
            m_generations->setRows(m_result->rows);  // now with the unedited responses
            showCurrentPoint();
            jobEnded({});
            return;
        }
        if (m_engineJob == EngineJob::Ablation && m_result) {
            m_generations->setRows(m_result->rows);
            const LiveResult &r = *m_result;
            QString text = tr("%1: %2 weights zeroed. ASR %3 on %4 prompts")
                               .arg(m_ablationText)
                               .arg(r.zeroed)
                               .arg(r.asr, 0, 'f', 2)
                               .arg(r.prompts);
            if (r.prefixAsr >= 0)
                text += tr(", prefix judge %1").arg(r.prefixAsr, 0, 'f', 2);
            if (r.incoherent >= 0)
                text += tr(", incoherent %1").arg(r.incoherent, 0, 'f', 2);
            if (r.utility >= 0)
                text += tr(", utility %1").arg(r.utility, 0, 'f', 3);
            m_heads->setResult(text + QLatin1Char('.'));
            jobEnded(tr("%1: done").arg(title));
            return;
        }
        if (m_engineJob == EngineJob::Probe && m_probed) {
            m_heads->setProbing(*m_probed);
            jobEnded(tr("%1: done").arg(title));
            return;
        }
        jobEnded(tr("%1: done; the results are in %2").arg(title, QDir::toNativeSeparators(m_jobStore)));
    });
    connect(m_jobs, &JobRunner::cancelled, this, [this, jobEnded](const QString &title) {
        if (m_engineJob == EngineJob::Point) {
            jobEnded({});
            return;
        }
        jobEnded(m_engineJob == EngineJob::None
                     ? tr("%1: cancelled; the store is as it was (a new start resumes the interrupted set)").arg(title)
                     : tr("%1: cancelled").arg(title));
    });
    connect(m_jobs, &JobRunner::failed, this, [this, jobEnded](const QString &title, const QString &message) {
        if (m_engineJob == EngineJob::Point) {  // no dialog for a failed live evaluation: the next slider move tries again
            jobEnded({});
            m_status->setText(tr("%1 failed: %2").arg(title, message));
            return;
        }
        jobEnded(tr("%1 failed").arg(title));
        showError(tr("%1 failed").arg(title), message);
    });
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

const Store *MainWindow::store() const { return m_session ? &m_session->store() : nullptr; }
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
    openStore->setToolTip(tr("Open the HDF5 store with a model's scores, summaries and sweeps"));
    connect(openStore, &QAction::triggered, this, &MainWindow::chooseStore);
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
            m_status->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    });
    saveWs->setObjectName(QStringLiteral("actionSaveWorkspace"));
    saveWs->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction *exportSet = file->addAction(tr("Export figure &set…"), this, &MainWindow::chooseFigureSetFolder);
    exportSet->setObjectName(QStringLiteral("actionExportFigureSet"));
    exportSet->setToolTip(tr("Every view with data as PNG, PDF, SVG and CSV, in one size for a paper"));
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

    // keyboard steps of the sliders, one grid value at a time
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
            SliderValues v = m_sliders->values();
            double &f = isP ? v.p : v.q;
            const int pos = std::clamp(SliderPanel::positionOf(f) + delta, 0, int(fractionGrid().size()) - 1);
            f = SliderPanel::fractionAt(pos);
            m_sliders->setValues(v);
        });
        a->setObjectName(QString::fromLatin1(st.name));
        a->setShortcut(st.key);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *viewHelp = help->addAction(tr("About this &view"), this,
                                        [this] { QMessageBox::information(this, tr("About this view"), viewHelpText()); });
    viewHelp->setObjectName(QStringLiteral("actionViewHelp"));
    viewHelp->setShortcut(QKeySequence::HelpContents);
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
            const bool workspace = f.endsWith(QStringLiteral(".json"));
            if (!(workspace ? openWorkspace(f, &error) : openModel(f, &error))) {
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

QString MainWindow::viewHelpText() const
{
    QWidget *v = m_views->currentWidget();
    if (v == m_layerMap)
        return tr("<h3>Layer map</h3><p>One cell per layer (rows) and matrix (q, k, v, o, gate, up, down), coloured "
                  "by the quantity chosen in the Selection panel:</p><ul>"
                  "<li><b>Fraction removed by the edit</b>: for the set difference, the weights in the top q of "
                  "the safety scores that are not in the top p of the utility scores, over the whole matrix "
                  "(Wei et al. 2024, §5), counted exactly from the store's slider summaries; for pruning, the "
                  "weights removed per row at sparsity s; for the orthogonal projection, the ranks removed "
                  "(the §7 bound min(d_out − d_u, d_s) until the projection has been evaluated, then the "
                  "numerical rank of ΔW).</li>"
                  "<li><b>Jaccard index</b> of the top p of the safety and the utility scores.</li>"
                  "<li><b>Mean safety score</b>: log10 of the mean of the matrix's safety scores (read once "
                  "from the store).</li>"
                  "<li><b>Subspace similarity</b> ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and "
                  "m − r_u utility directions of the ActSVD bases: the two subspaces the projection uses.</li>"
                  "</ul><p>Hover a cell for its value; click it for the matrix view.</p>");
    if (v == m_overlap)
        return tr("<h3>Overlap</h3><p>Neurons: the Jaccard index |A ∩ B| / |A ∪ B| of A, the top p of the safety "
                  "scores, and B, the top p of the utility scores, per layer and matrix. Ranks: the subspace "
                  "similarity ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and m − r_u utility "
                  "directions of the ActSVD bases. Low values mean that safety and utility rely on different "
                  "weights or directions. The dashed lines pool the attention matrices (q, k, v, o) and the MLP "
                  "matrices (gate, up, down): Σ|A ∩ B| / Σ|A ∪ B| for the Jaccard index, the mean for the "
                  "subspaces. Independent random sets would give about p / (2 − p).</p>");
    if (v == m_tradeoff)
        return tr("<h3>Tradeoff</h3><p>Attack success rate in the ASR setting chosen in the Selection panel, "
                  "against the actual sparsity (the exact fraction of zero weights in the 7·L matrices, §4.7; for "
                  "the projection, the fraction of ranks removed) or against the utility.</p><p>The judge: the "
                  "paper's keyword rule (no refusal phrase and at least 20 words), or the prefix judge (the "
                  "response opens with the target; for the demo model \"Sure, here is\", its compliant opening). "
                  "With the keyword judge the hatched band below a curve holds the responses that are "
                  "<i>incoherent</i> yet free of refusal phrases: their mean token log-probability under the "
                  "unedited model is below a threshold calibrated on the unedited model's own responses (halfway "
                  "between their 5 % quantile and the 95 % quantile of the same responses with shuffled words). "
                  "Such garbage is not a successful attack.</p><p>Open circles are the store's sweeps "
                  "(alignscope-cli sweep); the ring marks the sliders' (p, q) where a sweep evaluated it. Filled "
                  "points are evaluated here, 300 ms after the sliders rest, on the bundled harmful prompts; the "
                  "band and the utility follow when the evaluation has finished.</p>");
    if (v == m_generations)
        return tr("<h3>Generations</h3><p>The prompts, responses and verdicts behind the last evaluated point. "
                  "The keyword judge counts a response as a successful attack when it contains none of the "
                  "refusal phrases and has at least 20 words (§9.5); the other judges' verdicts and reasons, and "
                  "the coherence flag (mean token log-probability under the unedited model), stand beside it. "
                  "Filter by verdict, e.g. the jailbroken-but-incoherent responses that a keyword ASR counts.</p>");
    if (v == m_heads)
        return tr("<h3>Heads</h3><p>The validation accuracy of a linear probe that tells harmful from harmless "
                  "prompts, for every attention head (rows: layers, columns: heads), as the reference's "
                  "probing_result JSON (spec §11). \"Probe this model\" computes it here: the head's output at the "
                  "last prompt token (its slice of o_proj's input), up to 420 prompts per class from the model "
                  "panel's safety and utility datasets, a 5:2 split and a logistic regression.</p><p>The ablation "
                  "zeroes the chosen heads and evaluates the ASR (and, for the demo, utility). \"As the reference\" "
                  "zeroes columns of q/k/v and rows of o (residual channels, what the paper's code does); \"head "
                  "output\" zeroes the head's columns of o_proj. The paper's point: the best-probed heads are not "
                  "where safety lives.</p>");
    if (v == m_matrix)
        return tr("<h3>Matrix</h3><p>One matrix up close: the removed weights of the set difference at the "
                  "sliders' p and q, as the fraction removed in each block of a grid of at most 128 × 128 "
                  "blocks (rows are output features, columns input features), and the distributions of "
                  "log10(score) of the safety and the utility set. Read from the store's scores.</p>");
    return {};
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
    if (m_engine && m_engine->modelDir() != abs.toStdString() && !m_jobs->isRunning())
        m_engine.reset();
    if (m_modelPanel->modelDir() != abs) {
        m_live.clear();
        m_heads->clearProbing(tr("Open a probing result (JSON) or probe this model"));
    }
    if (m_session && QDir(QString::fromStdString(m_session->store().modelDir())).absolutePath() != abs) {
        m_session.reset();  // it belongs to the model that was open
        m_sliders->setPairs({}, {});
    }
    m_modelPanel->showModel(abs, config);
    updateEstimate();
    int maxRank = 0;
    for (int m = 0; m < 7; ++m) {
        const auto [o, i] = config.matrixShape(m);
        maxRank = std::max<int>(maxRank, int(std::min(o, i)));
    }
    m_sliders->setMaxRank(maxRank);
    m_layerMap->clear(noScoresText());
    overlap()->clear(noScoresText());
    tradeoff()->clear(tr("No evaluated points yet"));
    m_generations->clear(tr("No generations yet"));
    Settings::instance()->addRecentFile(abs);
    Settings::instance()->set(Settings::Key::LastOpenDir, QFileInfo(abs).absolutePath());
    setWindowTitle(tr("%1 — AlignScope").arg(QFileInfo(abs).fileName()));
    m_status->setText(tr("Opened %1").arg(QDir::toNativeSeparators(abs)));
    // the bundled demo comes with its bundled datasets
    const QString demo = QDir(QString::fromStdString(defaultModelDir())).absolutePath();
    if (abs == demo && m_modelPanel->safetyDataset().isEmpty() && m_modelPanel->utilityDataset().isEmpty()) {
        const QDir data(QString::fromStdString(resourcesDir() + "/datasets"));
        m_modelPanel->setSafetyDataset(data.filePath(QStringLiteral("safety_full.csv")));
        m_modelPanel->setUtilityDataset(data.filePath(QStringLiteral("utility.csv")));
    }
    // the scores computed for this model before
    const QString previous = defaultStorePath(abs);
    m_canEvaluate = !previous.isEmpty();
    if (!m_session && !m_jobs->isRunning()) {
        QString storeError;
        if (!previous.isEmpty() && QFileInfo::exists(previous) && !openStore(previous, &storeError))
            m_status->setText(storeError);
    }
    return true;
}

QString MainWindow::noScoresText()
{
    return tr("No scores computed for this model yet: Compute scores in the Model & data panel");
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

QString MainWindow::defaultStorePath(const QString &modelDir)
{
    std::string fingerprint;
    try {
        fingerprint = computeModelFingerprint(modelDir.toStdString());
    } catch (const std::exception &) {
        return {};  // no weights: nothing can be scored
    }
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(base).filePath(QStringLiteral("stores/%1-%2.h5")
                                   .arg(QFileInfo(modelDir).fileName(), QString::fromStdString(fingerprint)));
}

void MainWindow::updateEstimate()
{
    const QString model = m_modelPanel->modelDir(), safety = m_modelPanel->safetyDataset(),
                  utility = m_modelPanel->utilityDataset();
    if (model.isEmpty() || safety.isEmpty() || utility.isEmpty()) {
        m_modelPanel->setEstimate(tr("—"));
        return;
    }
    if (m_speed.flops <= 0) {  // measured once: about 0.1 s
        const MatmulProbe probe = probeMatmul(512, 2);
        m_speed = MachineSpeed{probe.gflops * 1e9, 0};
    }
    std::uint64_t memory = 0;
    double seconds = 0;
    std::int64_t examples = 0, tokens = 0;
    try {
        for (const QString &f : {safety, utility}) {
            ScoreJob job;
            job.modelDir = model.toStdString();
            job.dataFile = f.toStdString();
            job.settings.method = parseMethod(m_modelPanel->method().toStdString());
            job.settings.nsamples = m_modelPanel->nsamples();
            job.settings.seed = std::uint64_t(m_modelPanel->seed());
            job.settings.maxLength = m_modelPanel->maxLength();
            const ScoreEstimate e = estimateScoreJob(job, m_speed);
            memory = std::max(memory, e.memoryBytes);  // one set after the other
            seconds += e.seconds;
            examples += e.examples;
            tokens += e.tokens;
        }
    } catch (const std::exception &e) {
        m_modelPanel->setEstimate(tr("— (%1)").arg(QString::fromStdString(e.what())));
        return;
    }
    m_modelPanel->setEstimate(tr("about %1 and %2 of memory (%3 examples, %4 tokens)")
                                  .arg(QString::fromStdString(formatDuration(seconds)),
                                       QString::fromStdString(formatBytes(memory)))
                                  .arg(examples)
                                  .arg(tokens));
}

bool MainWindow::computeScores(QString *error)
{
    const auto fail = [error](const QString &m) { return failWith(error, m); };
    if (m_jobs->isRunning())
        return fail(tr("A job is running; cancel it or wait for it to end"));
    const QString model = m_modelPanel->modelDir();
    if (model.isEmpty())
        return fail(tr("Open a model first"));
    const QString safety = m_modelPanel->safetyDataset(), utility = m_modelPanel->utilityDataset();
    for (const QString &f : {safety, utility})
        if (f.isEmpty() || !QFileInfo(f).isFile())
            return fail(f.isEmpty() ? tr("Choose a safety and a utility dataset")
                                    : tr("%1: no such file").arg(QDir::toNativeSeparators(f)));
    const QString store = m_session ? QString::fromStdString(m_session->store().path()) : defaultStorePath(model);
    if (store.isEmpty())
        return fail(tr("%1 has no weights to score").arg(QDir::toNativeSeparators(model)));
    QDir().mkpath(QFileInfo(store).absolutePath());
    m_session.reset();  // serial HDF5: the worker has the files to itself until it ends
    m_jobStore = store;
    ScoreJob job;
    job.modelDir = model.toStdString();
    job.storePath = store.toStdString();
    job.settings.method = parseMethod(m_modelPanel->method().toStdString());
    job.settings.nsamples = m_modelPanel->nsamples();
    job.settings.seed = std::uint64_t(m_modelPanel->seed());
    job.settings.maxLength = m_modelPanel->maxLength();
    const std::string files[2] = {safety.toStdString(), utility.toStdString()};
    const bool started = m_jobs->start(tr("Scoring (%1)").arg(m_modelPanel->method()), [job, files](JobContext &ctx) {
        for (int k = 0; k < 2; ++k) {
            ScoreJob j = job;
            j.dataFile = files[k];
            j.role = k == 0 ? "safety" : "utility";
            JobContext inner = ctx.nested(k == 0 ? "safety set, " : "utility set, ");
            runScoreJob(j, &inner);
        }
    });
    if (!started)
        return fail(tr("A job is running; cancel it or wait for it to end"));
    m_progress->setEnabled(true);
    m_cancel->setEnabled(true);
    m_modelPanel->setBusy(true);
    m_status->setText(tr("Scoring started"));
    const QString computing = tr("Computing %1 scores: the views fill when the job ends").arg(m_modelPanel->methodText());
    m_layerMap->clear(computing);  // the store is closed until then
    overlap()->clear(computing);
    return true;
}

void MainWindow::chooseStore()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a store"),
                                                      Settings::instance()->get(Settings::Key::LastOpenDir).toString(),
                                                      tr("AlignScope store (*.h5 *.hdf5);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openStore(path, &error))
        showError(tr("Cannot open store"), error);
}

bool MainWindow::openStore(const QString &path, QString *error)
{
    std::unique_ptr<StoreSession> session;
    try {
        session = std::make_unique<StoreSession>(QFileInfo(path).absoluteFilePath().toStdString());
    } catch (const std::exception &e) {
        return failWith(error, QString::fromStdString(e.what()));
    }
    const QString modelDir = QDir(QString::fromStdString(session->store().modelDir())).absolutePath();
    if (m_modelPanel->modelDir() != modelDir) {
        if (!openModel(modelDir, error)) {
            if (error)
                *error = tr("%1 belongs to the model in %2, which cannot be opened: %3")
                             .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(modelDir), *error);
            return false;
        }
    }
    m_session = std::move(session);
    QStringList safety, utility;
    for (const auto &[s, u] : m_session->pairs()) {
        safety << QString::fromStdString(s);
        utility << QString::fromStdString(u);
    }
    m_sliders->setPairs(safety, utility);
    updateFromStore();
    m_status->setText(m_session->sweepError().isEmpty()
                          ? tr("Opened store %1: %n score set(s)", nullptr, int(m_session->store().sets().size()))
                                .arg(QDir::toNativeSeparators(path))
                          : m_session->sweepError());
    return true;
}

void MainWindow::updateFromStore()
{
    redrawFromStore();
    m_debounce->start();  // evaluate this position once the sliders rest
}

void MainWindow::redrawFromStore()
{
    const int pair = m_sliders->currentPair();
    if (!m_session || !m_session->hasPair(pair)) {
        if (m_session) {
            const QString none = tr("The store has no safety/utility score pair of one method yet");
            m_layerMap->clear(none);
            overlap()->clear(none);
        }
        showCurrentPoint();
        return;
    }
    const SliderValues v = m_sliders->values();
    StoreSession::Answer a;
    try {
        a = m_session->answer(pair, v);
    } catch (const std::exception &e) {
        m_status->setText(QString::fromStdString(e.what()));
        return;
    }
    // the overlap view: Jaccard indices of the top p, or the subspace similarity of the projection's subspaces
    QString overlapLabel = tr("Jaccard index of the top %1").arg(SliderPanel::percent(fractionGrid()[size_t(SliderPanel::positionOf(v.p))]));
    const OverlapReport *shown = &a.overlap;
    QString overlapEmpty;
    if (m_overlap->subspace()) {
        overlapEmpty = StoreSession::noBasesText();
        shown = nullptr;
        try {
            QString label;
            if ((shown = m_session->subspaceReport(v, label)))
                overlapLabel = label;
        } catch (const std::exception &e) {
            overlapEmpty = QString::fromStdString(e.what());
        }
    }
    if (shown)
        m_overlap->draw(*shown, overlapLabel);
    else
        overlap()->clear(overlapEmpty);
    QVector<QVector<double>> values;
    QString label, why;
    const MapQuantity quantity = m_sliders->layerMapQuantity();
    if (quantity == MapQuantity::MeanScore)  // the first time reads every score of the set
        QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool drawn = m_session->layerMapValues(pair, v, quantity, a, values, label, why);
    if (quantity == MapQuantity::MeanScore)
        QApplication::restoreOverrideCursor();
    if (drawn)
        m_layerMap->setValues(values, label);
    else
        m_layerMap->clear(why);
    // what the edit removes
    try {
        QString text;
        const double fraction = m_session->removedFraction(pair, v, a, text);
        if (text.isEmpty())
            m_sliders->setActualSparsity(fraction);
        else
            m_sliders->setReadout(text);
    } catch (const std::exception &e) {
        m_sliders->setReadout(QString::fromStdString(e.what()));
    }
    showCurrentPoint();
}

bool MainWindow::showMatrix(int layer, int matrix, QString *error)
{
    const int pair = m_sliders->currentPair();
    if (!m_session || !m_session->hasPair(pair))
        return failWith(error, tr("Open a store with safety and utility scores first"));
    const SelectionSpec spec = m_session->setDifference(pair, m_sliders->values());  // whatever the edit: the pair's
    try {
        QApplication::setOverrideCursor(Qt::WaitCursor);
        const MatrixDetail d = matrixDetail(m_session->store(), spec, layer, Matrix(matrix));
        QApplication::restoreOverrideCursor();
        const std::string_view name = matrixName(Matrix(matrix));
        m_matrix->setDetail(d, tr("Layer %1, %2: %3 of %4 weights removed\nat p = %5, q = %6")
                                   .arg(layer)
                                   .arg(QString::fromLatin1(name.data(), int(name.size())))
                                   .arg(d.removed)
                                   .arg(d.rows * d.cols)
                                   .arg(SliderPanel::percent(spec.p), SliderPanel::percent(spec.q)));
    } catch (const std::exception &e) {
        QApplication::restoreOverrideCursor();
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool MainWindow::startEngineJob(const QString &title, std::function<void(LiveEngine &, JobContext &)> work)
{
    const QString modelDir = m_modelPanel->modelDir();
    if (!m_engine || m_engine->modelDir() != modelDir.toStdString()) {
        const bool demo = QDir(QString::fromStdString(defaultModelDir())).absolutePath() == modelDir;
        m_engine = std::make_shared<LiveEngine>(modelDir.toStdString(), demo);
    }
    std::shared_ptr<LiveEngine> engine = m_engine;
    if (!m_jobs->start(title, [engine, work](JobContext &ctx) { work(*engine, ctx); }))
        return false;
    m_progress->setEnabled(true);
    m_cancel->setEnabled(true);
    m_heads->setBusy(true);
    return true;
}

void MainWindow::evaluateCurrent()
{
    const int pair = m_sliders->currentPair();
    if (!m_session || !m_session->hasPair(pair))
        return;
    if (m_jobs->isRunning()) {
        if (m_engineJob == EngineJob::Point) {  // a stale position: stop it, then evaluate the newest
            m_evaluationPending = true;
            m_jobs->cancel();
        }
        return;  // a score job, a probe or an ablation has priority
    }
    if (!m_canEvaluate)  // a model folder without weights (e.g. only config.json): nothing to run
        return;
    SelectionSpec spec;
    try {
        spec = m_session->selection(pair, m_sliders->values());
    } catch (const std::exception &e) {
        m_status->setText(QString::fromStdString(e.what()));
        return;
    }
    const SliderValues v = m_sliders->values();
    LivePoint pt;
    pt.kind = v.kind;
    pt.setting = v.setting;
    pt.p = spec.p;
    pt.q = spec.q;
    pt.s = spec.sparsity;
    pt.ru = v.ru;
    pt.rs = v.rs;
    m_livePending = pt;
    const std::string storePath = m_session->store().path();
    // the ASR point is shown as soon as it is known; utility follows when the job ends
    const auto asrKnown = [this, pt, storePath](const LiveResult &r) {
        QMetaObject::invokeMethod(
            this,
            [this, pt, r, storePath] {
                LivePoint point = pt;
                point.asr = r.asr;
                point.prefixAsr = r.prefixAsr;
                point.actualSparsity = r.actualSparsity;
                point.prompts = r.prompts;
                if (r.report.ranks) {
                    point.rankFraction = r.report.fraction();
                    if (m_session && m_session->store().path() == storePath)
                        m_session->setRemovedRanks(pt.ru, pt.rs, r.report);
                }
                m_live << point;
                m_generations->setRows(r.rows);
                if (r.report.ranks)
                    redrawFromStore();  // the exact removed ranks replace the bound
                showCurrentPoint();
                m_status->setText(tr("%1: ASR %2 on %3 prompts, %4")
                                      .arg(point.label())
                                      .arg(point.asr, 0, 'f', 2)
                                      .arg(point.prompts)
                                      .arg(r.report.ranks ? tr("%1 of the ranks removed").arg(SliderPanel::percent(point.rankFraction))
                                                          : tr("actual sparsity %1").arg(SliderPanel::percent(point.actualSparsity))));
                Q_EMIT livePointAdded();
            },
            Qt::QueuedConnection);
    };
    auto result = std::make_shared<LiveResult>();
    m_result = result;
    const AsrSetting setting = v.setting;
    m_evaluating = true;
    m_engineJob = EngineJob::Point;
    const bool started = startEngineJob(tr("Evaluating %1").arg(pt.label()), [spec, storePath, setting, asrKnown, result](LiveEngine &e, JobContext &ctx) {
        auto store = Store::open(storePath);  // fresh: a score job may have replaced the file
        *result = e.evaluate([&](ModelEdit &edit, LiveResult &) { return edit.apply(*store, spec); }, setting, ctx, asrKnown);
    });
    if (!started) {
        m_evaluating = false;
        m_engineJob = EngineJob::None;
    }
}

bool MainWindow::openProbing(const QString &path, QString *error)
{
    HeadProbing probing;
    try {
        probing = readProbingJson(QFileInfo(path).absoluteFilePath().toStdString());
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    if (!m_modelPanel->modelDir().isEmpty()) {
        try {
            const ModelConfig c = readModelConfig(m_modelPanel->modelDir().toStdString());
            if (probing.layers != int(c.numLayers) || probing.heads != int(c.numHeads)) {
                if (error)
                    *error = tr("%1 probes %2 layers × %3 heads; the open model has %4 × %5")
                                 .arg(QDir::toNativeSeparators(path))
                                 .arg(probing.layers)
                                 .arg(probing.heads)
                                 .arg(c.numLayers)
                                 .arg(c.numHeads);
                return false;
            }
        } catch (const std::exception &) {
        }
    }
    m_heads->setProbing(probing);
    m_status->setText(tr("Opened probing results %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::probeHeads(QString *error)
{
    const auto fail = [error](const QString &m) { return failWith(error, m); };
    if (m_jobs->isRunning())
        return fail(tr("A job is running; cancel it or wait for it to end"));
    if (m_modelPanel->modelDir().isEmpty() || !m_canEvaluate)
        return fail(tr("Open a model with weights first"));
    const QString harmful = m_modelPanel->safetyDataset(), harmless = m_modelPanel->utilityDataset();
    for (const QString &f : {harmful, harmless})
        if (f.isEmpty() || !QFileInfo(f).isFile())
            return fail(f.isEmpty() ? tr("Choose a safety (harmful) and a utility (harmless) dataset in the model panel")
                                    : tr("%1: no such file").arg(QDir::toNativeSeparators(f)));
    auto probed = std::make_shared<HeadProbing>();
    m_probed = probed;
    m_engineJob = EngineJob::Probe;
    const std::string a = harmful.toStdString(), b = harmless.toStdString();
    if (!startEngineJob(tr("Probing the heads"), [a, b, probed](LiveEngine &e, JobContext &ctx) { *probed = e.probe(a, b, ctx); })) {
        m_engineJob = EngineJob::None;
        return fail(tr("A job is running; cancel it or wait for it to end"));
    }
    return true;
}

bool MainWindow::evaluateHeadAblation(QString *error)
{
    const auto fail = [error](const QString &m) { return failWith(error, m); };
    if (m_jobs->isRunning())
        return fail(tr("A job is running; cancel it or wait for it to end"));
    if (!m_canEvaluate)
        return fail(tr("Open a model with weights first"));
    std::vector<HeadRef> heads;
    try {
        heads = m_heads->chosenHeads();
    } catch (const std::exception &e) {
        return fail(QString::fromStdString(e.what()));
    }
    const HeadAblation how = m_heads->ablation();
    const AsrSetting setting = m_sliders->values().setting;
    auto result = std::make_shared<LiveResult>();
    m_result = result;
    m_engineJob = EngineJob::Ablation;
    m_ablationText = tr("%n head(s) ablated (%1)", nullptr, int(heads.size())).arg(fromStd(headAblationName(how)));
    if (!startEngineJob(tr("Evaluating the head ablation"), [heads, how, setting, result](LiveEngine &e, JobContext &ctx) {
            *result = e.evaluate(
                [&](ModelEdit &edit, LiveResult &r) {
                    r.zeroed = edit.ablateHeads(heads, how);
                    return SelectionReport{};
                },
                setting, ctx);
        })) {
        m_engineJob = EngineJob::None;
        return fail(tr("A job is running; cancel it or wait for it to end"));
    }
    m_heads->setResult(tr("Evaluating %1…").arg(m_ablationText));
    return true;
}

void MainWindow::showCurrentPoint()
{
    const SliderValues v = m_sliders->values();
    TradeoffCursor at;
    at.kind = v.kind;
    at.setting = v.setting;
    at.p = fractionGrid()[size_t(SliderPanel::positionOf(v.p))];
    at.q = fractionGrid()[size_t(SliderPanel::positionOf(v.q))];
    const int pair = m_sliders->currentPair();
    if (m_session && m_session->hasPair(pair))
        std::tie(at.safety, at.utility) = m_session->pairs()[size_t(pair)];
    m_tradeoff->draw(m_session ? m_session->sweeps() : std::vector<SweepTable>{}, m_live, at);
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

bool MainWindow::saveWorkspace(const QString &path, QString *error) const
{
    const SliderValues v = m_sliders->values();
    QJsonObject o{{QStringLiteral("format"), QStringLiteral("alignscope-workspace")},
                  {QStringLiteral("version"), 1},
                  {QStringLiteral("model"), m_modelPanel->modelDir()},
                  {QStringLiteral("store"), m_session ? QString::fromStdString(m_session->store().path()) : QString()},
                  {QStringLiteral("safety_dataset"), m_modelPanel->safetyDataset()},
                  {QStringLiteral("utility_dataset"), m_modelPanel->utilityDataset()},
                  {QStringLiteral("method"), m_modelPanel->method()},
                  {QStringLiteral("nsamples"), m_modelPanel->nsamples()},
                  {QStringLiteral("seed"), m_modelPanel->seed()},
                  {QStringLiteral("max_length"), m_modelPanel->maxLength()},
                  {QStringLiteral("p"), v.p},
                  {QStringLiteral("q"), v.q},
                  {QStringLiteral("s"), v.s},
                  {QStringLiteral("ru"), v.ru},
                  {QStringLiteral("rs"), v.rs},
                  {QStringLiteral("score_pair"), m_sliders->currentPair()},
                  {QStringLiteral("layer_map"), int(m_sliders->layerMapQuantity())},
                  {QStringLiteral("edit"), int(v.kind)},
                  {QStringLiteral("asr_setting"), QString::fromStdString(asrSettingName(v.setting))},
                  {QStringLiteral("overlap"), m_overlap->subspace() ? QStringLiteral("subspace") : QStringLiteral("jaccard")},
                  {QStringLiteral("tradeoff_x"), m_tradeoff->utilityOnX() ? QStringLiteral("utility") : QStringLiteral("sparsity")},
                  {QStringLiteral("tradeoff_judge"), m_tradeoff->judge() == TradeoffView::Judge::Prefix ? QStringLiteral("prefix") : QStringLiteral("keyword")},
                  {QStringLiteral("view"), m_views->currentIndex()},
                  {QStringLiteral("probing"), QFileInfo::exists(fromStd(m_heads->probing().source))
                                                  ? fromStd(m_heads->probing().source) : QString()},
                  {QStringLiteral("ablate_heads"), m_heads->headCount()}};
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0 || !f.commit()) {
        if (error)
            *error = tr("%1: cannot write (%2)").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

bool MainWindow::openWorkspace(const QString &path, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QDir::toNativeSeparators(path) + QStringLiteral(": ") + why;
        return false;
    };
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(f.errorString());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(tr("not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QStringLiteral("alignscope-workspace"))
        return fail(tr("not an AlignScope workspace"));
    AsrSetting setting = AsrSetting::Vanilla;  // checked before anything opens
    try {
        setting = parseAsrSetting(o.value(QStringLiteral("asr_setting")).toString(QStringLiteral("vanilla")).toStdString());
    } catch (const std::exception &e) {
        return fail(QString::fromStdString(e.what()));
    }
    QString why;
    const QString store = o.value(QStringLiteral("store")).toString(), model = o.value(QStringLiteral("model")).toString();
    if (!store.isEmpty()) {
        if (!openStore(store, &why))
            return fail(why);
    } else if (!model.isEmpty() && !openModel(model, &why)) {
        return fail(why);
    }
    if (o.contains(QStringLiteral("safety_dataset")))  // else the model's defaults (the demo's datasets) stay
        m_modelPanel->setSafetyDataset(o.value(QStringLiteral("safety_dataset")).toString());
    if (o.contains(QStringLiteral("utility_dataset")))
        m_modelPanel->setUtilityDataset(o.value(QStringLiteral("utility_dataset")).toString());
    if (o.contains(QStringLiteral("method")))
        m_modelPanel->setMethod(o.value(QStringLiteral("method")).toString());
    m_modelPanel->setNsamples(o.value(QStringLiteral("nsamples")).toInt(128));
    m_modelPanel->setSeed(o.value(QStringLiteral("seed")).toInt(0));
    m_modelPanel->setMaxLength(o.value(QStringLiteral("max_length")).toInt(0));
    m_sliders->setCurrentPair(o.value(QStringLiteral("score_pair")).toInt(0));
    m_sliders->setLayerMapQuantity(MapQuantity(std::clamp(o.value(QStringLiteral("layer_map")).toInt(0), 0, 3)));
    m_tradeoff->setUtilityOnX(o.value(QStringLiteral("tradeoff_x")).toString() == QStringLiteral("utility"));
    m_overlap->setSubspace(o.value(QStringLiteral("overlap")).toString() == QStringLiteral("subspace"));
    m_tradeoff->setJudge(o.value(QStringLiteral("tradeoff_judge")).toString() == QStringLiteral("prefix") ? TradeoffView::Judge::Prefix
                                                                                                         : TradeoffView::Judge::Keyword);
    SliderValues v = m_sliders->values();
    v.kind = EditKind(std::clamp(o.value(QStringLiteral("edit")).toInt(0), 0, 3));
    v.setting = setting;
    v.p = o.value(QStringLiteral("p")).toDouble(v.p);
    v.q = o.value(QStringLiteral("q")).toDouble(v.q);
    v.s = o.value(QStringLiteral("s")).toDouble(v.s);
    v.ru = o.value(QStringLiteral("ru")).toInt(v.ru);
    v.rs = o.value(QStringLiteral("rs")).toInt(v.rs);
    m_sliders->setValues(v);
    const QString probing = o.value(QStringLiteral("probing")).toString();
    if (!probing.isEmpty() && !openProbing(probing, &why))
        return fail(why);
    if (o.contains(QStringLiteral("ablate_heads")))
        m_heads->setHeadCount(o.value(QStringLiteral("ablate_heads")).toInt());
    m_views->setCurrentIndex(o.value(QStringLiteral("view")).toInt(0));
    Settings::instance()->addRecentFile(QFileInfo(path).absoluteFilePath());
    m_status->setText(tr("Opened workspace %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

QStringList MainWindow::exportFigureSet(const QString &dir, const QString &size, QString *error)
{
    if (size != QStringLiteral("single") && size != QStringLiteral("double")) {
        if (error)
            *error = tr("figure size \"%1\": single or double").arg(size);
        return {};
    }
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("%1: cannot create the folder").arg(QDir::toNativeSeparators(dir));
        return {};
    }
    // 3.5 in and 7 in wide at 72 points per inch; PNG at 600 dpi
    ExportOptions o;
    o.width = size == QStringLiteral("single") ? 252 : 504;
    o.height = size == QStringLiteral("single") ? 189 : 288;
    o.dpi = 600;
    o.scale = 600.0 / 72.0;
    o.fontPoints = size == QStringLiteral("single") ? 6.5 : 8;  // the same in every figure of the set
    o.legendColumns = size == QStringLiteral("single") ? 3 : 2;
    o.description = m_modelPanel->modelDir();
    const QList<QPair<QString, PlotView *>> views = {{QStringLiteral("layer-map"), m_layerMap},
                                                     {QStringLiteral("overlap"), m_overlap},
                                                     {QStringLiteral("tradeoff"), m_tradeoff},
                                                     {QStringLiteral("matrix"), m_matrix},
                                                     {QStringLiteral("heads"), m_heads}};
    QStringList written;
    for (const auto &[name, view] : views) {
        if (view->isEmptyState())
            continue;
        o.title = view->figureTitle();
        if (name == QStringLiteral("matrix"))
            o.height = o.width;  // two panels: square
        for (ExportFormat f : {ExportFormat::Png, ExportFormat::Pdf, ExportFormat::Svg, ExportFormat::Csv}) {
            const QString path = QDir(dir).filePath(name + QLatin1Char('.') + exportFormatSuffix(f));
            if (!view->exportTo(path, f, o, error))
                return {};
            written << path;
        }
    }
    if (written.isEmpty() && error)
        *error = tr("No view has data to export yet");
    return written;
}

void MainWindow::chooseFigureSetFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the figure set into"),
                                                          Settings::instance()->get(Settings::Key::LastOpenDir).toString());
    if (dir.isEmpty())
        return;
    const QString size = QMessageBox::question(this, tr("Figure size"),
                                               tr("Size the figures for one column of a two-column paper (3.5 in)? "
                                                  "No: full page width (7 in)."))
                                 == QMessageBox::Yes
                             ? QStringLiteral("single")
                             : QStringLiteral("double");
    QString error;
    const QStringList files = exportFigureSet(dir, size, &error);
    if (files.isEmpty())
        showError(tr("Export failed"), error);
    else
        m_status->setText(tr("Exported %n file(s) into %1", nullptr, int(files.size())).arg(QDir::toNativeSeparators(dir)));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_status->setText(message);
    QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_jobs->isRunning()) {  // closing cancels the job cleanly: the store stays as it was
        m_jobs->cancel();
        m_jobs->wait();
    }
    Settings *s = Settings::instance();
    s->set(Settings::Key::MainWindowGeometry, saveGeometry());
    s->set(Settings::Key::MainWindowState, saveState());
    s->set(Settings::Key::CurrentView, m_views->currentIndex());
    s->sync();
    event->accept();
}

} // namespace alignscope::ui
