// SPDX-License-Identifier: MIT
#include "viewset.h"

#include "views/generationsview.h"
#include "views/headsview.h"
#include "views/layermapview.h"
#include "views/lineplotview.h"
#include "views/matrixview.h"
#include "views/tradeoffview.h"
#include "workspace.h"

#include <QDir>

#include <cmath>

namespace alignscope::ui {

ViewSet::ViewSet(Workspace *ws, QWidget *parent)
    : QObject(parent), m_ws(ws), m_layerMap(new LayerMapView(parent)), m_overlap(new OverlapView(parent)),
      m_tradeoff(new TradeoffView(parent)), m_matrix(new MatrixView(parent)), m_heads(new HeadsView(parent)),
      m_generations(new GenerationsView(parent))
{
    m_layerMap->addScaleControls();
    // the workspace → the views
    connect(ws, &Workspace::selectionChanged, this, [this] {
        redrawMap();
        redrawOverlap();
        redrawTradeoff();
    });
    connect(ws, &Workspace::dataChanged, this, [this] {
        redrawMap();
        redrawOverlap();
    });
    connect(ws, &Workspace::storeChanged, this, &ViewSet::redrawAll);
    connect(ws, &Workspace::modelChanged, this, [this] { m_matrix->clear(tr("Click a cell of the layer map to look into that matrix")); });
    connect(ws, &Workspace::scoringChanged, this, &ViewSet::redrawAll);
    connect(ws, &Workspace::pointsChanged, this, &ViewSet::redrawTradeoff);
    connect(ws, &Workspace::generationsChanged, this, &ViewSet::redrawGenerations);
    connect(ws, &Workspace::viewOptionsChanged, this, [this] {
        applyOptions();
        redrawMap();
        redrawOverlap();
        redrawTradeoff();
    });
    connect(ws, &Workspace::probingChanged, this, &ViewSet::redrawHeads);
    connect(ws, &Workspace::ablationResult, m_heads, &HeadsView::setResult);
    connect(ws, &Workspace::matrixReady, m_matrix, &MatrixView::setDetail);
    // the views → the workspace
    connect(m_tradeoff, &TradeoffView::optionsChanged, this, &ViewSet::takeOptions);
    connect(m_overlap, &OverlapView::quantityChanged, this, &ViewSet::takeOptions);
    connect(m_layerMap, &LayerMapView::colorScaleChanged, this, &ViewSet::takeOptions);
    connect(m_tradeoff, &TradeoffView::pointClicked, ws, &Workspace::selectPoint);
    connect(m_tradeoff, &TradeoffView::sweepPointClicked, this, [this](const SliderValues &edit) {
        SliderValues v = m_ws->selection();
        v.kind = edit.kind;
        if (!std::isnan(edit.p))
            v.p = edit.p;
        if (!std::isnan(edit.q))
            v.q = edit.q;
        if (!std::isnan(edit.s))
            v.s = edit.s;
        if (edit.kind == EditKind::Orthogonal) {
            v.ru = edit.ru;
            v.rs = edit.rs;
        }
        m_ws->setSelection(v);
    });
    connect(m_heads, &HeadsView::probeRequested, this, [this] {
        QString error;
        if (!m_ws->probeHeads(&error))
            Q_EMIT m_ws->failed(tr("Cannot probe the heads"), error);
    });
    connect(m_heads, &HeadsView::ablationRequested, this, [this] {
        QString error;
        try {
            const std::vector<HeadRef> heads = m_heads->chosenHeads();
            const QString label = tr("Heads ablated: %1 (%2)").arg(heads.size()).arg(QString::fromStdString(headAblationName(m_heads->ablation())));
            if (m_ws->evaluateAblation(heads, m_heads->ablation(), label, &error))
                return;
        } catch (const std::exception &e) {
            error = QString::fromStdString(e.what());
        }
        Q_EMIT m_ws->failed(tr("Cannot evaluate the ablation"), error);
    });
    connect(ws->engineLane(), &JobLane::started, this, [this](JobId, JobKind kind) {
        if (kind == JobKind::Probe || kind == JobKind::Ablate || kind == JobKind::Score)
            m_heads->setBusy(true);
    });
    connect(ws->engineLane(), &JobLane::ended, this, [this] { m_heads->setBusy(!m_ws->engineLane()->isIdle()); });
    applyOptions();
    redrawAll();
}

ViewSet::~ViewSet() = default;

QList<QPair<QString, PlotView *>> ViewSet::plotViews() const
{
    return {{QStringLiteral("layer-map"), m_layerMap},
            {QStringLiteral("overlap"), m_overlap},
            {QStringLiteral("tradeoff"), m_tradeoff},
            {QStringLiteral("matrix"), m_matrix},
            {QStringLiteral("heads"), m_heads}};
}

void ViewSet::applyOptions()
{
    m_applying = true;
    const ViewOptions &o = m_ws->viewOptions();
    m_tradeoff->setOptions(o.tradeoff);
    m_overlap->setSubspace(o.overlapSubspace);
    m_layerMap->setColorScale(o.mapScale);
    m_applying = false;
}

void ViewSet::takeOptions()
{
    if (m_applying)
        return;
    ViewOptions o = m_ws->viewOptions();
    o.tradeoff = m_tradeoff->options();
    o.overlapSubspace = m_overlap->subspace();
    o.mapScale = m_layerMap->colorScale();
    m_ws->setViewOptions(o);
}

QString ViewSet::noScoresText() const
{
    if (m_ws->modelDir().isEmpty())
        return tr("No model loaded");
    if (m_ws->isScoring())
        return tr("Computing %1 scores: the views fill when the job ends").arg(m_ws->scoreJob().method == QLatin1String("snip")     ? QStringLiteral("SNIP")
                                                                                : m_ws->scoreJob().method == QLatin1String("wanda") ? QStringLiteral("Wanda")
                                                                                                                                     : QStringLiteral("ActSVD"));
    return tr("No scores computed for this model yet: Compute scores in the Model and data panel");
}

void ViewSet::redrawAll()
{
    redrawMap();
    redrawOverlap();
    redrawTradeoff();
    redrawGenerations();
    redrawHeads();
}

void ViewSet::redrawMap()
{
    if (!m_ws->session()) {
        m_layerMap->clear(noScoresText());
        return;
    }
    QVector<QVector<double>> values;
    QString label, scale, why;
    if (m_ws->layerMap(values, label, scale, why))
        m_layerMap->setValues(values, label, scale);
    else
        m_layerMap->clear(why);
}

void ViewSet::redrawOverlap()
{
    if (!m_ws->session()) {
        m_overlap->clear(noScoresText());
        return;
    }
    QString label, why;
    if (const OverlapReport *r = m_ws->overlap(label, why))
        m_overlap->draw(*r, label);
    else
        m_overlap->clear(why);
}

void ViewSet::redrawTradeoff()
{
    if (m_ws->modelDir().isEmpty()) {
        m_tradeoff->clear(tr("No model loaded"));
        return;
    }
    m_tradeoff->draw(m_ws->session() ? m_ws->session()->sweeps() : std::vector<SweepTable>{}, m_ws->points(),
                     m_ws->currentPoint(), m_ws->cursor(), m_ws->colors());
}

void ViewSet::redrawGenerations()
{
    QString caption;
    const QVector<GenerationRow> rows = m_ws->generations(caption);
    m_generations->setCaption(caption);
    if (rows.isEmpty())
        m_generations->clear(m_ws->modelDir().isEmpty() ? tr("No model loaded") : caption);
    else
        m_generations->setRows(rows);
}

void ViewSet::redrawHeads()
{
    if (m_ws->probing().layers > 0)
        m_heads->setProbing(m_ws->probing());
    else
        m_heads->clearProbing(m_ws->modelDir().isEmpty() ? tr("No model loaded")
                                                         : tr("Open a probing result (JSON) or probe this model"));
}

QStringList ViewSet::exportFigureSet(const QString &dir, const FigureStyle &style, QString *error) const
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("%1: cannot create the folder").arg(QDir::toNativeSeparators(dir));
        return {};
    }
    QStringList written;
    for (const auto &[name, view] : plotViews()) {
        if (view->isEmptyState())
            continue;
        FigureStyle s = style;
        s.description = m_ws->modelDir();
        for (ExportFormat f : {ExportFormat::Pdf, ExportFormat::Svg, ExportFormat::Png, ExportFormat::Csv}) {
            const QString path = QDir(dir).filePath(name + QLatin1Char('.') + exportFormatSuffix(f));
            if (!view->exportTo(path, f, s, error))
                return {};
            written << path;
        }
    }
    if (written.isEmpty() && error)
        *error = tr("No view has data to export yet");
    return written;
}

} // namespace alignscope::ui
