// SPDX-License-Identifier: MIT
#include "workspace.h"

#include "alignscope/fraction_grid.h"
#include "alignscope/matrices.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/resources.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "eval/liveengine.h"
#include "settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include <cmath>
#include <thread>

namespace alignscope::ui {

namespace {

QString fromStd(const std::string &s) { return QString::fromStdString(s); }

bool failWith(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

const char *kWorkspaceFormat = "alignscope-workspace";

/**
 * libtorch threads for a job on the engine lane: the Threads setting when it is set, else every core
 * for the batch jobs (scores, probes) and all but one for the interactive ones (evaluations), which
 * would otherwise compete with the interface for the cores (on 2 cores: live point 1.0 s with one
 * thread, 1.3 s with two; docs/BENCHMARKS.md). Set on the lane's own thread, where it applies.
 */
int threadsFor(JobKind kind)
{
    const int configured = Settings::instance()->threads();
    if (configured > 0)
        return configured;
    const int hw = std::max(1, int(std::thread::hardware_concurrency()));
    return kind == JobKind::Score || kind == JobKind::Probe ? hw : std::max(1, hw - 1);
}
constexpr int kWorkspaceVersion = 2;

} // namespace

Workspace::Workspace(QObject *parent)
    : QObject(parent), m_engine(std::make_unique<JobLane>(QStringLiteral("engine"))),
      m_io(std::make_unique<JobLane>(QStringLiteral("io")))
{
    m_estimateDelay.setSingleShot(true);
    m_estimateDelay.setInterval(250);  // the estimate reads and tokenizes the datasets: once the fields rest
    connect(&m_estimateDelay, &QTimer::timeout, this, &Workspace::startEstimate);
    m_evaluateDelay.setSingleShot(true);
    m_evaluateDelay.setInterval(kEvaluationDelayMs);
    connect(&m_evaluateDelay, &QTimer::timeout, this, &Workspace::evaluateCurrent);
    m_watcher = new QFileSystemWatcher(this);
    m_watchDelay.setSingleShot(true);
    m_watchDelay.setInterval(1000);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, &m_watchDelay, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, &m_watchDelay, qOverload<>(&QTimer::start));
    connect(&m_watchDelay, &QTimer::timeout, this, &Workspace::storeChangedOnDisk);
    connect(m_engine.get(), &JobLane::started, this, &Workspace::jobStarted);
    connect(m_engine.get(), &JobLane::progress, this, &Workspace::jobProgress);
    connect(m_engine.get(), &JobLane::ended, this, [this](JobId id, JobKind kind) { jobEnded(id, kind); });
}

Workspace::~Workspace()
{
    // the lanes first: their threads end before anything a job refers to goes away
    m_engine.reset();
    m_io.reset();
}

void Workspace::say(const QString &text)
{
    m_lastResult = text;
    Q_EMIT statusMessage(text);
}

// ---------------------------------------------------------------------------------------------- model

bool Workspace::isDemo() const
{
    return !m_modelDir.isEmpty() && QDir(fromStd(defaultModelDir())).absolutePath() == m_modelDir;
}

int Workspace::maxRank() const
{
    int maxRank = 0;
    if (m_modelDir.isEmpty())
        return 0;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const auto [o, i] = m_config.matrixShape(m);
        maxRank = std::max<int>(maxRank, int(std::min(o, i)));
    }
    return maxRank;
}

bool Workspace::openModel(const QString &dir, QString *error)
{
    ModelConfig config;
    const QString abs = QDir(dir).absolutePath();
    try {
        config = readModelConfig(abs.toStdString());
    } catch (const std::exception &e) {
        return failWith(error, fromStd(e.what()));
    }
    const bool other = abs != m_modelDir;
    if (other) {  // what belonged to the other model goes
        m_engine->cancelKind(JobKind::Evaluate);
        m_evaluating.clear();
        m_liveJob = 0;
        m_epochs.invalidate();
        m_points.clear();
        m_probing = HeadProbing{};
        m_ablationRows.clear();
        if (m_live && !isScoring())
            m_live.reset();
        if (m_session && QDir(fromStd(m_session->store().modelDir())).absolutePath() != abs) {
            m_session.reset();
            m_pair = -1;
        }
    }
    m_modelDir = abs;
    m_config = config;
    // the bundled demo comes with its bundled datasets
    if (isDemo() && m_scoreJob.safety.isEmpty() && m_scoreJob.utility.isEmpty()) {
        const QDir data(fromStd(resourcesDir() + "/datasets"));
        m_scoreJob.safety = data.filePath(QStringLiteral("safety_full.csv"));
        m_scoreJob.utility = data.filePath(QStringLiteral("utility.csv"));
    }
    if (other || (m_selection.ru == 0 && m_selection.rs == 0)) {  // a 1/8- and 1/16-dimensional protected and removed subspace
        const int m = maxRank();
        m_selection.ru = m - m / 8;
        m_selection.rs = m - m / 16;
    }
    const QString previous = defaultStorePath(abs);
    m_canEvaluate = !previous.isEmpty();
    Settings::instance()->addRecentFile(abs);
    Settings::instance()->set(Settings::Key::LastOpenDir, QFileInfo(abs).absolutePath());
    Q_EMIT modelChanged();
    Q_EMIT scoreJobChanged();
    if (other) {
        Q_EMIT pointsChanged();
        Q_EMIT probingChanged();
    }
    say(tr("Opened %1").arg(QDir::toNativeSeparators(abs)));
    startEstimate();
    // the scores computed for this model before
    if (!m_session && !isScoring() && !previous.isEmpty() && QFileInfo::exists(previous)) {
        QString storeError;
        if (!openStore(previous, &storeError))
            say(storeError);
    }
    Q_EMIT storeChanged();
    Q_EMIT selectionChanged();
    return true;
}

QString Workspace::defaultStorePath(const QString &modelDir)
{
    std::string fingerprint;
    try {
        fingerprint = computeModelFingerprint(modelDir.toStdString());
    } catch (const std::exception &) {
        return {};  // no weights: nothing can be scored
    }
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(base).filePath(QStringLiteral("stores/%1-%2.h5").arg(QFileInfo(modelDir).fileName(), fromStd(fingerprint)));
}

void Workspace::setScoreJob(const ScoreJobSettings &settings)
{
    if (settings == m_scoreJob)
        return;
    m_scoreJob = settings;
    m_estimateDelay.start();
}

void Workspace::startEstimate()
{
    const ScoreJobSettings s = m_scoreJob;
    if (m_modelDir.isEmpty() || s.safety.isEmpty() || s.utility.isEmpty()) {
        m_estimate = tr("—");
        Q_EMIT estimateChanged(m_estimate);
        return;
    }
    if (!m_flops)
        m_flops = std::make_shared<double>(0);
    struct Estimate {
        std::uint64_t memory = 0;
        double seconds = 0;
        std::int64_t examples = 0, tokens = 0;
    };
    const std::string model = m_modelDir.toStdString();
    m_io->cancelKind(JobKind::Estimate);  // only the newest settings matter
    m_io->run<Estimate>(
        JobKind::Estimate, tr("Estimating the score job"),
        [s, model, flops = m_flops](JobContext &) {
            if (*flops <= 0)  // measured once: about 0.1 s
                *flops = probeMatmul(512, 2).gflops * 1e9;
            Estimate out;
            for (const QString &f : {s.safety, s.utility}) {
                ScoreJob job;
                job.modelDir = model;
                job.dataFile = f.toStdString();
                job.settings.method = parseMethod(s.method.toStdString());
                job.settings.nsamples = s.nsamples;
                job.settings.seed = std::uint64_t(s.seed);
                job.settings.maxLength = s.maxLength;
                const ScoreEstimate e = estimateScoreJob(job, MachineSpeed{*flops, 0});
                out.memory = std::max(out.memory, e.memoryBytes);  // one set after the other
                out.seconds += e.seconds;
                out.examples += e.examples;
                out.tokens += e.tokens;
            }
            return out;
        },
        this,
        [this](JobId, Estimate e) {
            m_estimate = tr("about %1 and %2 of memory (%3 examples, %4 tokens)")
                             .arg(fromStd(formatDuration(e.seconds)), fromStd(formatBytes(e.memory)))
                             .arg(QLocale().toString(qlonglong(e.examples)), QLocale().toString(qlonglong(e.tokens)));
            Q_EMIT estimateChanged(m_estimate);
        },
        [this](JobId, JobOutcome o, const QString &message) {
            if (o == JobOutcome::Failed) {
                m_estimate = tr("— (%1)").arg(message);
                Q_EMIT estimateChanged(m_estimate);
            }
        });
}

bool Workspace::isScoring() const { return m_scoreJobId != 0; }

bool Workspace::computeScores(QString *error)
{
    if (isScoring())
        return failWith(error, tr("A score job is running; cancel it or wait for it to end"));
    if (m_modelDir.isEmpty())
        return failWith(error, tr("Open a model first"));
    const ScoreJobSettings s = m_scoreJob;
    for (const QString &f : {s.safety, s.utility})
        if (f.isEmpty() || !QFileInfo(f).isFile())
            return failWith(error, f.isEmpty() ? tr("Choose a safety and a utility dataset")
                                               : tr("%1: no such file").arg(QDir::toNativeSeparators(f)));
    const QString store = m_session ? fromStd(m_session->store().path()) : defaultStorePath(m_modelDir);
    if (store.isEmpty())
        return failWith(error, tr("%1 has no weights to score").arg(QDir::toNativeSeparators(m_modelDir)));
    ScoreJob job;
    try {
        job.settings.method = parseMethod(s.method.toStdString());
    } catch (const std::exception &e) {
        return failWith(error, fromStd(e.what()));
    }
    QDir().mkpath(QFileInfo(store).absolutePath());
    m_engine->cancelKind(JobKind::Evaluate);  // the scores they use are about to change
    m_evaluating.clear();
    m_liveJob = 0;
    m_scoreStore = store;
    job.modelDir = m_modelDir.toStdString();
    job.storePath = store.toStdString();
    job.settings.nsamples = s.nsamples;
    job.settings.seed = std::uint64_t(s.seed);
    job.settings.maxLength = s.maxLength;
    const std::string files[2] = {s.safety.toStdString(), s.utility.toStdString()};
    const QString method = s.method == QLatin1String("snip")     ? QStringLiteral("SNIP")
                           : s.method == QLatin1String("wanda")  ? QStringLiteral("Wanda")
                           : s.method == QLatin1String("actsvd") ? QStringLiteral("ActSVD")
                                                                 : s.method;
    const QString title = tr("Scoring (%1)").arg(method);
    m_scoreJobId = m_engine->post(
        JobKind::Score, title,
        [job, files, threads = threadsFor(JobKind::Score)](JobContext &ctx) {
            configureThreads(threads);
            for (int k = 0; k < 2; ++k) {
                ScoreJob j = job;
                j.dataFile = files[k];
                j.role = k == 0 ? "safety" : "utility";
                JobContext inner = ctx.nested(k == 0 ? "safety set, " : "utility set, ");
                runScoreJob(j, &inner);
            }
        },
        this, [this, title, store](JobId, JobOutcome o, const QString &message) {
            m_scoreJobId = 0;
            Q_EMIT scoringChanged(false);
            // the store opens as it is now: the new scores, or as it was when cancelled or failed
            QString error;
            if (QFileInfo::exists(store) && !reopenStore(store, &error))
                Q_EMIT failed(tr("Cannot open store"), error);
            switch (o) {
            case JobOutcome::Finished: say(tr("%1: done; the scores are in %2").arg(title, QDir::toNativeSeparators(store))); break;
            case JobOutcome::Cancelled:
                say(tr("%1: cancelled; the store is as it was (a new start resumes the interrupted set)").arg(title));
                break;
            case JobOutcome::Failed:
                say(tr("%1 failed: %2").arg(title, message));
                Q_EMIT failed(tr("%1 failed").arg(title), message);
                break;
            }
            Q_EMIT storeChanged();
            Q_EMIT selectionChanged();
        });
    Q_EMIT scoringChanged(true);
    say(tr("%1 started").arg(title));
    Q_EMIT storeChanged();
    return true;
}

// ---------------------------------------------------------------------------------------------- store

const Store *Workspace::store() const { return m_session ? &m_session->store() : nullptr; }

bool Workspace::openStore(const QString &path, QString *error)
{
    std::unique_ptr<StoreSession> session;
    try {
        session = std::make_unique<StoreSession>(QFileInfo(path).absoluteFilePath().toStdString());
    } catch (const std::exception &e) {
        return failWith(error, fromStd(e.what()));
    }
    const QString modelDir = QDir(fromStd(session->store().modelDir())).absolutePath();
    if (m_modelDir != modelDir) {
        QString why;
        if (!openModel(modelDir, &why))
            return failWith(error, tr("%1 belongs to the model in %2, which cannot be opened: %3")
                                       .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(modelDir), why));
    }
    const bool sameFile = m_session && m_session->store().path() == session->store().path();
    // points measured on score sets that were computed again since are stale
    std::map<std::string, std::string> stamps;
    for (const ScoreSetInfo &i : session->store().sets())
        stamps[i.name] = i.created;
    if (sameFile) {
        bool dropped = false;
        for (const AsrPoint &p : QVector<AsrPoint>(m_points.points()))
            for (const QString &set : {p.safetySet, p.utilitySet}) {
                const auto before = m_setStamps.find(set.toStdString()), now = stamps.find(set.toStdString());
                if (before != m_setStamps.end() && (now == stamps.end() || now->second != before->second)) {
                    dropped |= m_points.remove(p.id);
                    break;
                }
            }
        if (dropped)
            Q_EMIT pointsChanged();
    }
    m_setStamps = std::move(stamps);
    m_engine->cancelKind(JobKind::Evaluate);
    m_epochs.invalidate();
    m_evaluating.clear();
    m_liveJob = 0;
    m_reading.clear();
    const std::string oldPair = m_session && m_session->hasPair(m_pair) ? m_session->pairs()[size_t(m_pair)].first : std::string();
    m_session = std::move(session);
    m_pair = m_session->pairs().empty() ? -1 : 0;
    for (size_t i = 0; i < m_session->pairs().size(); ++i)  // the pair chosen before, if the store still has it
        if (m_session->pairs()[i].first == oldPair)
            m_pair = int(i);
    say(m_session->sweepError().isEmpty()
            ? tr("Opened store %1 (score sets: %2)").arg(QDir::toNativeSeparators(path)).arg(m_session->store().sets().size())
            : m_session->sweepError());
    watchOpenStore();
    Q_EMIT storeChanged();
    Q_EMIT selectionChanged();
    Q_EMIT generationsChanged();
    m_evaluateDelay.start();
    return true;
}

bool Workspace::reopenStore(const QString &path, QString *error) { return openStore(path, error); }

bool Workspace::reloadStore(QString *error)
{
    if (!m_session)
        return failWith(error, tr("No store is open."));
    return openStore(fromStd(m_session->store().path()), error);
}

void Workspace::setWatchStore(bool on)
{
    m_watch = on;
    watchOpenStore();
}

void Workspace::watchOpenStore()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    if (!m_session)
        return;
    const QFileInfo f(fromStd(m_session->store().path()));
    m_storeModified = f.lastModified();
    m_storeSize = f.size();
    if (!m_watch)
        return;
    // the file for writes in place, its folder for a commit (a new file renamed over the old one drops the
    // file's watch)
    m_watcher->addPath(f.absoluteFilePath());
    m_watcher->addPath(f.absolutePath());
}

void Workspace::storeChangedOnDisk()
{
    if (!m_session || !m_watch)
        return;
    const QString path = fromStd(m_session->store().path());
    const QFileInfo f(path);
    if (!f.exists() || (f.lastModified() == m_storeModified && f.size() == m_storeSize)) {
        watchOpenStore();  // the folder changed (a temporary file) or the store is gone for a moment
        return;
    }
    if (m_scoreJobId && QFileInfo(m_scoreStore).absoluteFilePath() == f.absoluteFilePath())
        return;  // this window's own job writes it and reopens it when done
    QString error;
    if (!reopenStore(path, &error)) {
        say(tr("The store changed on disk and cannot be read again: %1").arg(error));
        watchOpenStore();
        return;
    }
    QStringList sweeps;
    for (const SweepTable &t : m_session->sweeps())
        sweeps << tr("%1 %2/%3 points").arg(fromStd(t.name)).arg(t.doneCount()).arg(t.points());
    say(sweeps.isEmpty() ? tr("The store changed on disk: read again")
                         : tr("The store changed on disk: read again (sweeps: %1)").arg(sweeps.join(QStringLiteral(", "))));
}

// ---------------------------------------------------------------------------------------------- selection

void Workspace::setSelection(const SliderValues &v)
{
    SliderValues snapped = v;
    snapped.p = snapToGrid(v.p);
    snapped.q = snapToGrid(v.q);
    if (snapped == m_selection)
        return;
    m_selection = snapped;
    Q_EMIT selectionChanged();
    Q_EMIT generationsChanged();
    m_evaluateDelay.start();  // evaluate this position once the controls rest
}

void Workspace::setPair(int pair)
{
    if (pair == m_pair)
        return;
    m_pair = pair;
    Q_EMIT selectionChanged();
    Q_EMIT generationsChanged();
    m_evaluateDelay.start();
}

void Workspace::setMapQuantity(MapQuantity q)
{
    if (q == m_quantity)
        return;
    m_quantity = q;
    Q_EMIT selectionChanged();
}

void Workspace::setViewOptions(const ViewOptions &o)
{
    m_view = o;
    Q_EMIT viewOptionsChanged();
}

// ---------------------------------------------------------------------------------------------- answers

void Workspace::requestRead(const StoreSession::PendingRead &what)
{
    if (what.kind == StoreSession::PendingRead::Kind::None || m_reading.contains(what) || !m_session)
        return;
    m_reading << what;
    const std::string path = m_session->store().path();
    StoreSession *session = m_session.get();
    m_io->run<StoreSession::ReadResult>(
        JobKind::Read, tr("Reading the store"), [path, what](JobContext &) { return StoreSession::read(path, what); }, this,
        [this, what, session](JobId, StoreSession::ReadResult r) {
            if (m_session.get() != session)  // another store by now
                return;
            m_reading.removeAll(what);
            m_session->put(what, std::move(r));
            Q_EMIT dataChanged();
        },
        [this, what, session](JobId, JobOutcome o, const QString &message) {
            if (m_session.get() != session)
                return;
            if (o != JobOutcome::Finished) {
                m_reading.removeAll(what);
                if (o == JobOutcome::Failed)
                    say(message);
            }
        });
}

bool Workspace::layerMap(QVector<QVector<double>> &values, QString &label, QString &scale, QString &why)
{
    if (!m_session)
        return false;
    if (!m_session->hasPair(m_pair)) {
        why = tr("The store has no safety/utility score pair of one method yet");
        return false;
    }
    StoreSession::PendingRead pending;
    bool ok = false;
    try {
        const StoreSession::Answer a = m_session->answer(m_pair, m_selection);
        ok = m_session->layerMapValues(m_pair, m_selection, m_quantity, a, values, label, scale, why, &pending);
    } catch (const std::exception &e) {
        why = fromStd(e.what());
        return false;
    }
    requestRead(pending);
    return ok;
}

const OverlapReport *Workspace::overlap(QString &label, QString &why)
{
    if (!m_session || !m_session->hasPair(m_pair)) {
        why = m_session ? tr("The store has no safety/utility score pair of one method yet") : QString();
        return nullptr;
    }
    try {
        if (m_view.overlapSubspace) {
            StoreSession::PendingRead pending;
            const OverlapReport *r = m_session->subspaceReport(m_selection, label, &pending);
            if (!r)
                why = pending.kind == StoreSession::PendingRead::Kind::None ? StoreSession::noBasesText() : tr("Reading the ActSVD bases…");
            requestRead(pending);
            return r;
        }
        m_jaccard = m_session->answer(m_pair, m_selection).overlap;
        label = tr("Jaccard index of the top %1").arg(percentText(m_selection.p));
        return &m_jaccard;
    } catch (const std::exception &e) {
        why = fromStd(e.what());
        return nullptr;
    }
}

double Workspace::removed(QString &text)
{
    text.clear();
    if (!m_session || !m_session->hasPair(m_pair))
        return std::nan("");
    try {
        return m_session->removedFraction(m_pair, m_selection, m_session->answer(m_pair, m_selection), text);
    } catch (const std::exception &e) {
        text = fromStd(e.what());
        return std::nan("");
    }
}

TradeoffCursor Workspace::cursor() const
{
    TradeoffCursor at;
    at.edit = m_selection;
    if (m_session && m_session->hasPair(m_pair))
        std::tie(at.safety, at.utility) = m_session->pairs()[size_t(m_pair)];
    return at;
}

// ---------------------------------------------------------------------------------------------- points

AsrPoint Workspace::pointFor(const SliderValues &v) const
{
    AsrPoint p;
    p.edit = v;
    if (!m_session || !m_session->hasPair(m_pair))
        return p;
    if (v.kind == EditKind::Orthogonal) {
        const auto [s, u] = m_session->basisPair(v);
        p.safetySet = fromStd(s);
        p.utilitySet = fromStd(u);
    } else {
        p.safetySet = fromStd(m_session->pairs()[size_t(m_pair)].first);
        p.utilitySet = fromStd(m_session->pairs()[size_t(m_pair)].second);
    }
    return p;
}

int Workspace::currentPoint() const { return m_points.idOf(pointFor(m_selection).key()); }

bool Workspace::selectPoint(int id)
{
    const AsrPoint *p = m_points.find(id);
    if (!p)
        return false;
    if (m_session && p->edit.kind != EditKind::Orthogonal)  // the point's score pair
        for (size_t i = 0; i < m_session->pairs().size(); ++i)
            if (fromStd(m_session->pairs()[i].first) == p->safetySet && fromStd(m_session->pairs()[i].second) == p->utilitySet)
                m_pair = int(i);
    SliderValues v = m_selection;
    v.kind = p->edit.kind;
    v.setting = p->edit.setting;
    switch (p->edit.kind) {
    case EditKind::SetDifference:
        v.p = p->edit.p;
        v.q = p->edit.q;
        break;
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp: v.s = p->edit.s; break;
    case EditKind::Orthogonal:
        v.ru = p->edit.ru;
        v.rs = p->edit.rs;
        break;
    }
    m_selection = v;
    m_evaluateDelay.stop();  // it is measured
    Q_EMIT selectionChanged();
    Q_EMIT generationsChanged();
    say(tr("%1: ASR %2 (keyword judge)").arg(p->label(), numberText(p->asr, 3)));
    return true;
}

void Workspace::clearPoints()
{
    m_points.clear();
    Q_EMIT pointsChanged();
    Q_EMIT generationsChanged();
}

std::shared_ptr<LiveEngine> Workspace::liveEngine()
{
    if (!m_live || m_live->modelDir() != m_modelDir.toStdString())
        m_live = std::make_shared<LiveEngine>(m_modelDir.toStdString(), isDemo());
    return m_live;
}

void Workspace::evaluateCurrent()
{
    m_evaluateDelay.stop();
    evaluate(m_selection, true);
}

void Workspace::evaluate(const SliderValues &edit, bool supersede)
{
    if (!m_session || !m_session->hasPair(m_pair) || !m_canEvaluate || isScoring())
        return;
    SliderValues v = edit;
    v.p = snapToGrid(v.p);
    v.q = snapToGrid(v.q);
    SelectionSpec spec;
    try {
        spec = m_session->selection(m_pair, v);
    } catch (const std::exception &e) {
        say(fromStd(e.what()));
        return;
    }
    const AsrPoint pending = pointFor(v);
    const QString key = pending.key();
    if (const AsrPoint *have = m_points.find(m_points.idOf(key)); have && have->complete)
        return;  // measured: it is ringed and its generations shown
    if (m_evaluating.contains(key))
        return;  // queued or running
    if (supersede && m_liveJob) {  // the controls' stale position: stop it, then evaluate the newest (a queued list stays)
        m_engine->cancel(m_liveJob);
        m_evaluating.remove(m_liveKey);
        m_liveJob = 0;
    }
    m_evaluating.insert(key);
    const quint64 request = m_requests.next();
    const quint64 epoch = m_epochs.current();
    const std::string storePath = m_session->store().path();
    const AsrSetting setting = v.setting;
    std::shared_ptr<LiveEngine> engine = liveEngine();
    QPointer<Workspace> self(this);
    const JobId job = m_engine->run<LiveResult>(
        JobKind::Evaluate, tr("Evaluating %1").arg(pending.label()),
        [engine, storePath, spec, setting, self, request, epoch, pending, threads = threadsFor(JobKind::Evaluate)](JobContext &ctx) {
            configureThreads(threads);
            auto store = Store::open(storePath);  // fresh: a score job may have replaced the file
            return engine->evaluate([&](ModelEdit &edit, LiveResult &) { return edit.apply(*store, spec); }, setting, ctx,
                                    [&](const LiveResult &r) {  // the ASR point as soon as it is known
                                        QMetaObject::invokeMethod(
                                            self, [self, request, epoch, pending, r] {
                                                if (self)
                                                    self->takeResult(request, epoch, pending, r, false);
                                            },
                                            Qt::QueuedConnection);
                                    });
        },
        this, [this, request, epoch, pending](JobId, LiveResult r) { takeResult(request, epoch, pending, r, true); },
        [this, key, request](JobId id, JobOutcome o, const QString &message) {
            m_evaluating.remove(key);
            if (id == m_liveJob)
                m_liveJob = 0;
            if (o == JobOutcome::Failed && m_requests.isCurrent(request))  // no dialog: the next move tries again
                say(tr("Evaluation failed: %1").arg(message));
        });
    if (supersede) {
        m_liveJob = job;
        m_liveKey = key;
    }
}

void Workspace::takeResult(quint64 request, quint64 epoch, AsrPoint point, const LiveResult &r, bool complete)
{
    if (!m_epochs.isCurrent(epoch))  // measured with another model or store
        return;
    if (const AsrPoint *have = m_points.find(m_points.idOf(point.key())); have && have->complete && !complete)
        return;  // an early result that arrives late never replaces the whole one
    point.asr = r.asr;
    point.prefixAsr = r.prefixAsr;
    point.actualSparsity = r.actualSparsity;
    point.prompts = r.prompts;
    point.utility = r.utility;
    point.incoherent = r.incoherent;
    point.incoherentSuccess = r.incoherentSuccess;
    point.coherenceThreshold = r.coherenceThreshold;
    point.complete = complete;
    point.rows = r.rows;
    if (r.report.ranks) {
        point.rankFraction = r.report.fraction();
        if (complete && m_session)
            m_session->setRemovedRanks(point.edit.ru, point.edit.rs, r.report);
    }
    const int id = m_points.upsert(point);
    Q_EMIT pointsChanged();
    if (r.report.ranks)
        Q_EMIT dataChanged();  // the exact removed ranks replace the bound
    if (m_requests.isCurrent(request)) {
        QString text = tr("%1: ASR %2 on %3 prompts (keyword judge)").arg(point.label(), numberText(point.asr, 3)).arg(point.prompts);
        if (!std::isnan(point.prefixAsr))
            text += tr(", %1 (prefix judge)").arg(numberText(point.prefixAsr, 3));
        text += point.edit.kind == EditKind::Orthogonal ? tr(", %1 of the ranks removed").arg(percentText(point.rankFraction))
                                                        : tr(", actual sparsity %1").arg(percentText(point.actualSparsity));
        if (complete) {
            if (!std::isnan(point.utility))
                text += tr(", utility %1").arg(numberText(point.utility, 3));
            if (!std::isnan(point.incoherentSuccess))
                text += tr(", incoherent yet successful %1").arg(numberText(point.incoherentSuccess, 2));
        }
        say(text);
        Q_EMIT generationsChanged();
    }
    Q_EMIT pointEvaluated(id);
}

QVector<GenerationRow> Workspace::generations(QString &caption) const
{
    const AsrPoint *p = m_points.find(currentPoint());
    if (p) {
        caption = tr("%1 (%2): ASR %3, keyword judge").arg(p->label(), settingText(p->edit.setting), numberText(p->asr, 3));
        if (!p->complete)
            caption += tr(" — the unedited model's responses and the coherence follow");
        return p->rows;
    }
    if (!m_ablationRows.isEmpty()) {
        caption = m_ablationCaption;
        return m_ablationRows;
    }
    caption = m_session && m_canEvaluate ? tr("%1 is evaluated when the controls rest").arg(editText(m_selection))
                                         : tr("No generations yet");
    return {};
}

// ---------------------------------------------------------------------------------------------- heads

bool Workspace::openProbing(const QString &path, QString *error)
{
    HeadProbing probing;
    try {
        probing = readProbingJson(QFileInfo(path).absoluteFilePath().toStdString());
    } catch (const std::exception &e) {
        return failWith(error, fromStd(e.what()));
    }
    if (!m_modelDir.isEmpty() && (probing.layers != int(m_config.numLayers) || probing.heads != int(m_config.numHeads)))
        return failWith(error, tr("%1 probes %2 layers × %3 heads; the open model has %4 × %5")
                                   .arg(QDir::toNativeSeparators(path))
                                   .arg(probing.layers)
                                   .arg(probing.heads)
                                   .arg(m_config.numLayers)
                                   .arg(m_config.numHeads));
    m_probing = probing;
    Q_EMIT probingChanged();
    say(tr("Opened probing results %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool Workspace::probeHeads(QString *error)
{
    if (m_modelDir.isEmpty() || !m_canEvaluate)
        return failWith(error, tr("Open a model with weights first"));
    if (m_engine->hasPending(JobKind::Probe))
        return failWith(error, tr("The heads are being probed already"));
    const QString harmful = m_scoreJob.safety, harmless = m_scoreJob.utility;
    for (const QString &f : {harmful, harmless})
        if (f.isEmpty() || !QFileInfo(f).isFile())
            return failWith(error, f.isEmpty() ? tr("Choose a safety (harmful) and a utility (harmless) dataset in the model panel")
                                               : tr("%1: no such file").arg(QDir::toNativeSeparators(f)));
    const std::string a = harmful.toStdString(), b = harmless.toStdString();
    std::shared_ptr<LiveEngine> engine = liveEngine();
    const quint64 epoch = m_epochs.current();
    m_engine->run<HeadProbing>(
        JobKind::Probe, tr("Probing the heads"),
        [engine, a, b, threads = threadsFor(JobKind::Probe)](JobContext &ctx) {
            configureThreads(threads);
            return engine->probe(a, b, ctx);
        },
        this,
        [this, epoch](JobId, HeadProbing p) {
            if (!m_epochs.isCurrent(epoch))  // another model by now
                return;
            m_probing = std::move(p);
            Q_EMIT probingChanged();
            say(tr("Probing the heads: done"));
        },
        [this](JobId, JobOutcome o, const QString &message) {
            if (o == JobOutcome::Failed)
                Q_EMIT failed(tr("Probing the heads failed"), message);
            else if (o == JobOutcome::Cancelled)
                say(tr("Probing the heads: cancelled"));
        });
    return true;
}

bool Workspace::evaluateAblation(const std::vector<HeadRef> &heads, HeadAblation how, const QString &label, QString *error)
{
    if (!m_canEvaluate)
        return failWith(error, tr("Open a model with weights first"));
    if (m_engine->hasPending(JobKind::Ablate))
        return failWith(error, tr("An ablation is being evaluated already"));
    const AsrSetting setting = m_selection.setting;
    std::shared_ptr<LiveEngine> engine = liveEngine();
    m_engine->cancelKind(JobKind::Evaluate);
    m_evaluating.clear();
    m_liveJob = 0;
    m_engine->run<LiveResult>(
        JobKind::Ablate, tr("Evaluating the head ablation"),
        [engine, heads, how, setting, threads = threadsFor(JobKind::Ablate)](JobContext &ctx) {
            configureThreads(threads);
            return engine->evaluate(
                [&](ModelEdit &edit, LiveResult &r) {
                    r.zeroed = edit.ablateHeads(heads, how);
                    return SelectionReport{};
                },
                setting, ctx);
        },
        this,
        [this, label](JobId, LiveResult r) {
            QString text = tr("%1: %2 weights zeroed. ASR %3 on %4 prompts")
                               .arg(label)
                               .arg(QLocale().toString(qlonglong(r.zeroed)))
                               .arg(numberText(r.asr, 2))
                               .arg(r.prompts);
            if (!std::isnan(r.prefixAsr))
                text += tr(", prefix judge %1").arg(numberText(r.prefixAsr, 2));
            if (!std::isnan(r.incoherent))
                text += tr(", incoherent %1").arg(numberText(r.incoherent, 2));
            if (!std::isnan(r.utility))
                text += tr(", utility %1").arg(numberText(r.utility, 3));
            text += QLatin1Char('.');
            m_ablationRows = r.rows;
            m_ablationCaption = text;
            Q_EMIT ablationResult(text);
            Q_EMIT generationsChanged();
            say(text);
        },
        [this](JobId, JobOutcome o, const QString &message) {
            if (o == JobOutcome::Failed)
                Q_EMIT failed(tr("Evaluating the ablation failed"), message);
            else if (o == JobOutcome::Cancelled)
                Q_EMIT ablationResult(tr("Cancelled."));
            m_evaluateDelay.start();
        });
    Q_EMIT ablationResult(tr("Evaluating %1…").arg(label));
    return true;
}

// ---------------------------------------------------------------------------------------------- matrix

bool Workspace::showMatrix(int layer, int matrix, QString *error)
{
    if (!m_session || !m_session->hasPair(m_pair))
        return failWith(error, tr("Open a store with safety and utility scores first"));
    if (layer < 0 || layer >= m_session->store().numLayers() || matrix < 0 || matrix >= kMatricesPerLayer)
        return failWith(error, tr("No matrix %1 in layer %2").arg(matrix).arg(layer));
    const SelectionSpec spec = m_session->setDifference(m_pair, m_selection);  // whatever the edit: the pair's
    const std::string path = m_session->store().path();
    const std::string_view name = matrixName(Matrix(matrix));
    const QString title = tr("Layer %1, %2: %4 removed at p = %5, q = %6")
                              .arg(layer)
                              .arg(QString::fromLatin1(name.data(), int(name.size())));
    StoreSession *session = m_session.get();
    m_io->cancelKind(JobKind::Read);
    m_reading.clear();
    m_io->run<MatrixDetail>(
        JobKind::Read, tr("Reading layer %1, %2").arg(layer).arg(QString::fromLatin1(name.data(), int(name.size()))),
        [path, spec, layer, matrix](JobContext &) { return matrixDetail(*Store::open(path), spec, layer, Matrix(matrix)); }, this,
        [this, title, spec, session](JobId, MatrixDetail d) {
            if (m_session.get() != session)
                return;
            Q_EMIT matrixReady(d, QString(title)
                                      .arg(tr("%1 of %2 weights").arg(QLocale().toString(qlonglong(d.removed)),
                                                                       QLocale().toString(qlonglong(d.rows * d.cols))))
                                      .arg(percentText(spec.p), percentText(spec.q)));
        },
        [this](JobId, JobOutcome o, const QString &message) {
            if (o == JobOutcome::Failed)
                say(message);
        });
    return true;
}

// ---------------------------------------------------------------------------------------------- files

bool Workspace::save(const QString &path, QString *error) const
{
    const SliderValues &v = m_selection;
    const ViewOptions &o = m_view;
    QJsonObject j{{QStringLiteral("format"), QLatin1String(kWorkspaceFormat)},
                  {QStringLiteral("version"), kWorkspaceVersion},
                  {QStringLiteral("model"), m_modelDir},
                  {QStringLiteral("store"), m_session ? fromStd(m_session->store().path()) : QString()},
                  {QStringLiteral("safety_dataset"), m_scoreJob.safety},
                  {QStringLiteral("utility_dataset"), m_scoreJob.utility},
                  {QStringLiteral("method"), m_scoreJob.method},
                  {QStringLiteral("nsamples"), m_scoreJob.nsamples},
                  {QStringLiteral("seed"), m_scoreJob.seed},
                  {QStringLiteral("max_length"), m_scoreJob.maxLength},
                  {QStringLiteral("p"), v.p},
                  {QStringLiteral("q"), v.q},
                  {QStringLiteral("s"), v.s},
                  {QStringLiteral("ru"), v.ru},
                  {QStringLiteral("rs"), v.rs},
                  {QStringLiteral("score_pair"), m_pair},
                  {QStringLiteral("layer_map"), int(m_quantity)},
                  {QStringLiteral("edit"), int(v.kind)},
                  {QStringLiteral("asr_setting"), fromStd(asrSettingName(v.setting))},
                  {QStringLiteral("overlap"), o.overlapSubspace ? QStringLiteral("subspace") : QStringLiteral("jaccard")},
                  {QStringLiteral("tradeoff_x"), o.tradeoff.utilityX ? QStringLiteral("utility") : QStringLiteral("sparsity")},
                  {QStringLiteral("tradeoff_judge"), o.tradeoff.prefixJudge ? QStringLiteral("prefix") : QStringLiteral("keyword")},
                  {QStringLiteral("tradeoff_log_x"), o.tradeoff.logX},
                  {QStringLiteral("tradeoff_lines"), o.tradeoff.seriesBy == SeriesBy::FixedP ? QStringLiteral("p") : QStringLiteral("q")},
                  {QStringLiteral("map_scale_fixed"), o.mapScale.fixed},
                  {QStringLiteral("map_scale_max"), o.mapScale.max},
                  {QStringLiteral("view"), o.view},
                  {QStringLiteral("probing"), QFileInfo::exists(fromStd(m_probing.source)) ? fromStd(m_probing.source) : QString()},
                  {QStringLiteral("asr_points"), m_points.toJson()},
                  {QStringLiteral("series_colors"), m_colors.toJson()}};
    if (m_probing.layers > 0 && !QFileInfo::exists(fromStd(m_probing.source))) {  // probed here: the accuracies themselves
        QJsonArray acc;
        for (int l = 0; l < m_probing.layers; ++l)
            for (int h = 0; h < m_probing.heads; ++h)
                acc.append(m_probing.at(l, h));
        j.insert(QStringLiteral("probing_result"), QJsonObject{{QStringLiteral("layers"), m_probing.layers},
                                                                {QStringLiteral("heads"), m_probing.heads},
                                                                {QStringLiteral("accuracy"), acc},
                                                                {QStringLiteral("source"), fromStd(m_probing.source)}});
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(j).toJson()) < 0 || !f.commit())
        return failWith(error, tr("%1: cannot write (%2)").arg(QDir::toNativeSeparators(path), f.errorString()));
    return true;
}

bool Workspace::load(const QString &path, QString *error)
{
    auto fail = [&](const QString &why) { return failWith(error, QDir::toNativeSeparators(path) + QStringLiteral(": ") + why); };
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(f.errorString());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(tr("not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kWorkspaceFormat))
        return fail(tr("not an AlignScope workspace"));
    if (o.value(QStringLiteral("version")).toInt(1) > kWorkspaceVersion)
        return fail(tr("written by a newer AlignScope (version %1)").arg(o.value(QStringLiteral("version")).toInt()));
    // everything checked before anything opens
    AsrSetting setting = AsrSetting::Vanilla;
    try {
        setting = parseAsrSetting(o.value(QStringLiteral("asr_setting")).toString(QStringLiteral("vanilla")).toStdString());
    } catch (const std::exception &e) {
        return fail(fromStd(e.what()));
    }
    AsrPointSet points;
    QString why;
    if (!points.fromJson(o.value(QStringLiteral("asr_points")).toArray(), &why))
        return fail(why);
    HeadProbing probed;
    if (o.contains(QStringLiteral("probing_result"))) {
        const QJsonObject pr = o.value(QStringLiteral("probing_result")).toObject();
        probed.layers = pr.value(QStringLiteral("layers")).toInt();
        probed.heads = pr.value(QStringLiteral("heads")).toInt();
        const QJsonArray acc = pr.value(QStringLiteral("accuracy")).toArray();
        if (probed.layers <= 0 || probed.heads <= 0 || acc.size() != probed.layers * probed.heads)
            return fail(tr("the probing result does not match its shape"));
        for (const QJsonValue &a : acc)
            probed.accuracy.push_back(a.toDouble());
        probed.source = pr.value(QStringLiteral("source")).toString().toStdString();
    }
    const QString store = o.value(QStringLiteral("store")).toString(), model = o.value(QStringLiteral("model")).toString();
    if (!store.isEmpty()) {
        if (!openStore(store, &why))
            return fail(why);
    } else if (!model.isEmpty() && !openModel(model, &why)) {
        return fail(why);
    }
    ScoreJobSettings s = m_scoreJob;
    if (o.contains(QStringLiteral("safety_dataset")))  // else the model's defaults (the demo's datasets) stay
        s.safety = o.value(QStringLiteral("safety_dataset")).toString();
    if (o.contains(QStringLiteral("utility_dataset")))
        s.utility = o.value(QStringLiteral("utility_dataset")).toString();
    s.method = o.value(QStringLiteral("method")).toString(s.method);
    s.nsamples = o.value(QStringLiteral("nsamples")).toInt(128);
    s.seed = o.value(QStringLiteral("seed")).toInt(0);
    s.maxLength = o.value(QStringLiteral("max_length")).toInt(0);
    m_scoreJob = s;
    Q_EMIT scoreJobChanged();
    startEstimate();
    ViewOptions view;
    view.tradeoff.utilityX = o.value(QStringLiteral("tradeoff_x")).toString() == QLatin1String("utility");
    view.tradeoff.prefixJudge = o.value(QStringLiteral("tradeoff_judge")).toString() == QLatin1String("prefix");
    view.tradeoff.logX = o.value(QStringLiteral("tradeoff_log_x")).toBool();
    view.tradeoff.seriesBy = o.value(QStringLiteral("tradeoff_lines")).toString() == QLatin1String("p") ? SeriesBy::FixedP : SeriesBy::FixedQ;
    view.overlapSubspace = o.value(QStringLiteral("overlap")).toString() == QLatin1String("subspace");
    view.mapScale.fixed = o.value(QStringLiteral("map_scale_fixed")).toBool();
    view.mapScale.max = o.value(QStringLiteral("map_scale_max")).toDouble(1);
    view.view = std::clamp(o.value(QStringLiteral("view")).toInt(0), 0, 3);
    m_points = std::move(points);
    m_colors.fromJson(o.value(QStringLiteral("series_colors")).toObject());
    m_pair = m_session && m_session->hasPair(o.value(QStringLiteral("score_pair")).toInt(0)) ? o.value(QStringLiteral("score_pair")).toInt(0)
                                                                                           : m_pair;
    m_quantity = MapQuantity(std::clamp(o.value(QStringLiteral("layer_map")).toInt(0), 0, 3));
    SliderValues v = m_selection;
    v.kind = EditKind(std::clamp(o.value(QStringLiteral("edit")).toInt(0), 0, kEditKinds - 1));
    v.setting = setting;
    v.p = snapToGrid(o.value(QStringLiteral("p")).toDouble(v.p));
    v.q = snapToGrid(o.value(QStringLiteral("q")).toDouble(v.q));
    v.s = o.value(QStringLiteral("s")).toDouble(v.s);
    v.ru = o.value(QStringLiteral("ru")).toInt(v.ru);
    v.rs = o.value(QStringLiteral("rs")).toInt(v.rs);
    m_selection = v;
    m_view = view;
    const QString probing = o.value(QStringLiteral("probing")).toString();
    if (!probing.isEmpty() && !openProbing(probing, &why))
        return fail(why);
    if (probed.layers > 0) {
        m_probing = probed;
        Q_EMIT probingChanged();
    }
    Settings::instance()->addRecentFile(QFileInfo(path).absoluteFilePath());
    Q_EMIT viewOptionsChanged();
    Q_EMIT pointsChanged();
    Q_EMIT selectionChanged();
    Q_EMIT generationsChanged();
    say(tr("Opened workspace %1").arg(QDir::toNativeSeparators(path)));
    m_evaluateDelay.start();
    return true;
}

// ---------------------------------------------------------------------------------------------- jobs

void Workspace::cancel()
{
    if (const JobId id = m_engine->runningId())
        m_engine->cancel(id);
}

void Workspace::waitForIdle()
{
    while (!m_engine->isIdle() || !m_io->isIdle()) {
        m_engine->waitForIdle();
        m_io->waitForIdle();
    }
}

void Workspace::jobStarted(JobId id, JobKind kind, const QString &title)
{
    m_activityJob = id;
    m_activity = Activity{true, true, title, -1};
    Q_UNUSED(kind)
    Q_EMIT activityChanged();
}

void Workspace::jobProgress(JobId id, JobKind, const QString &title, double fraction, const QString &stage, double eta)
{
    if (id != m_activityJob)
        return;
    m_activity.fraction = fraction;
    m_activity.text = eta >= 0 ? tr("%1: %2, about %3 left").arg(title, stageText(stage), fromStd(formatDuration(eta)))
                               : tr("%1: %2").arg(title, stageText(stage));
    Q_EMIT activityChanged();
}

void Workspace::jobEnded(JobId id, JobKind)
{
    if (id != m_activityJob)
        return;
    m_activityJob = 0;
    m_activity = Activity{};  // the state ends with the work; the result stays in the status message
    Q_EMIT activityChanged();
}

} // namespace alignscope::ui
