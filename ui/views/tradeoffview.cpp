// SPDX-License-Identifier: MIT
#include "views/tradeoffview.h"

#include "plot/palette.h"
#include "plot/qcp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>

namespace alignscope::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
QString fromStd(const std::string &s) { return QString::fromStdString(s); }

/** The CSV's numeric columns, in order. */
const QStringList &numericColumns()
{
    static const QStringList c = {QStringLiteral("p"), QStringLiteral("q"), QStringLiteral("s"), QStringLiteral("r_u"),
                                  QStringLiteral("r_s"), QStringLiteral("x"), QStringLiteral("y"),
                                  QStringLiteral("actual_sparsity"), QStringLiteral("rank_fraction"),
                                  QStringLiteral("asr_keyword"), QStringLiteral("asr_prefix"),
                                  QStringLiteral("incoherent_success"), QStringLiteral("utility"), QStringLiteral("prompts")};
    return c;
}

QString numberOr(double v, const QString &what, int digits = 3)
{
    return std::isnan(v) ? QString() : what.arg(numberText(v, digits));
}

EditKind kindOfSweep(const std::string &kind)
{
    return kind == "row_prune" ? EditKind::PruneTopDown : kind == "orthogonal" ? EditKind::Orthogonal : EditKind::SetDifference;
}

} // namespace

TradeoffView::TradeoffView(QWidget *parent)
    : LinePlotView(tr("Actual sparsity"), tr("Attack success rate"), tr("ASR tradeoff"), parent), m_x(new QComboBox(this)),
      m_judge(new QComboBox(this)), m_by(new QComboBox(this)), m_log(new QCheckBox(tr("log x"), this))
{
    setObjectName(QStringLiteral("tradeoffView"));
    m_x->setObjectName(QStringLiteral("tradeoffAxis"));
    m_x->addItem(tr("against sparsity"));
    m_x->addItem(tr("against utility"));
    m_x->setToolTip(tr("The x axis: the edit's actual sparsity (the removed-rank fraction for a projection), or the "
                       "utility measured at the same point"));
    m_judge->setObjectName(QStringLiteral("tradeoffJudge"));
    m_judge->addItem(tr("keyword judge"));
    m_judge->addItem(tr("prefix judge"));
    m_judge->setToolTip(tr("Whose verdicts count as a successful attack: the paper's keyword rule, or the prefix judge "
                           "(the response opens with the target). With the keyword judge, the hatched band below each "
                           "line holds the responses that are incoherent yet free of refusal phrases: a broken model's "
                           "garbage, not a successful attack"));
    m_by->setObjectName(QStringLiteral("tradeoffSeries"));
    m_by->addItem(tr("a line per q"));
    m_by->addItem(tr("a line per p"));
    m_by->setToolTip(tr("Which evaluated points are joined: those of one q (the x axis then follows p), or those of one "
                        "p; a projection's per r_s or per r_u"));
    m_log->setObjectName(QStringLiteral("tradeoffLogX"));
    m_log->setToolTip(tr("A logarithmic x axis: small sparsities spread out (points at 0 are not shown)"));
    for (QComboBox *c : {m_x, m_judge, m_by}) {  // compact: the view shares the width with another
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(7);
        for (int i = 0; i < c->count(); ++i)
            c->setItemData(i, c->itemText(i), Qt::ToolTipRole);
    }
    setControls({m_x, m_judge, m_by, m_log});
    for (QComboBox *c : {m_x, m_judge, m_by})
        connect(c, &QComboBox::currentIndexChanged, this, &TradeoffView::optionsChanged);
    connect(m_log, &QCheckBox::toggled, this, &TradeoffView::optionsChanged);

    QCustomPlot *p = plot();
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        const QString tip = toolTipAt(e->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPosition().toPoint(), tip, plot());
    });
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) {
        if (e->button() != Qt::LeftButton)
            return;
        const int m = markerAt(e->pos());
        if (m > 0)
            Q_EMIT pointClicked(m);
        else if (m < 0)
            Q_EMIT sweepPointClicked(m_markers[-1 - m].edit);
    });
}

TradeoffOptions TradeoffView::options() const
{
    TradeoffOptions o;
    o.utilityX = m_x->currentIndex() == 1;
    o.prefixJudge = m_judge->currentIndex() == 1;
    o.logX = m_log->isChecked();
    o.seriesBy = m_by->currentIndex() == 1 ? SeriesBy::FixedP : SeriesBy::FixedQ;
    return o;
}

void TradeoffView::setOptions(const TradeoffOptions &o)
{
    const QSignalBlocker b1(m_x), b2(m_judge), b3(m_by), b4(m_log);
    m_x->setCurrentIndex(o.utilityX ? 1 : 0);
    m_judge->setCurrentIndex(o.prefixJudge ? 1 : 0);
    m_log->setChecked(o.logX);
    m_by->setCurrentIndex(o.seriesBy == SeriesBy::FixedP ? 1 : 0);
    Q_EMIT optionsChanged();
}

void TradeoffView::draw(const std::vector<SweepTable> &sweeps, const AsrPointSet &points, int current, const TradeoffCursor &at,
                        SeriesColors &colors)
{
    const TradeoffOptions o = options();
    const AsrSetting setting = at.edit.setting;
    const std::string key = asrSettingName(setting);
    const std::string asrColumn = "asr_" + key + (o.prefixJudge ? "_prefix" : "");
    auto visibleX = [&](double x) { return std::isfinite(x) && (!o.logX || x > 0); };
    QVector<Series> series;
    m_markers.clear();
    bool anyBand = false;

    // the store's sweeps: open circles, one colour per sweep
    for (const SweepTable &t : sweeps) {
        const std::string xColumn = o.utilityX ? "utility" : "actual_sparsity";
        if ((!o.utilityX && t.kind != "set_difference" && t.kind != "row_prune") || !t.hasColumn(asrColumn) ||
            !t.hasColumn(xColumn))
            continue;
        const int control = t.randomControlSeed();  // as many random weights as the set difference: label it so
        const QString name = control >= 0 ? tr("%1 (random control, seed %2)").arg(fromStd(t.name)).arg(control)
                                           : tr("%1 (sweep)").arg(fromStd(t.name));
        Series s;
        s.name = name;
        s.points = true;
        s.marker = Marker::Circle;
        s.color = colors.indexOf(QStringLiteral("sweep:") + fromStd(t.name));
        Series c;  // keyword ASR without its incoherent successes: a cross where garbage lowers the point
        c.name = tr("%1, coherent responses only").arg(name);
        c.points = true;
        c.marker = Marker::Cross;
        c.markerSize = 9;
        c.color = s.color;
        c.legend = false;
        const std::string garbage = "incoherent_success_" + key;
        const bool band = !o.prefixJudge && t.hasColumn(garbage);
        auto col = [&](const char *name) { return t.hasColumn(name) ? &t.column(name) : nullptr; };
        const auto &xs = t.column(xColumn), &ys = t.column(asrColumn);
        const auto *ps = col("p"), *qs = col("q"), *ss = col("sparsity"), *rus = col("ru"), *rss = col("rs");
        const auto *sparsity = col("actual_sparsity"), *utility = col("utility");
        const std::string keyword = "asr_" + key, prefix = "asr_" + key + "_prefix";
        for (int i = 0; i < t.points(); ++i) {
            const size_t r = size_t(i);
            if (!t.done[r] || !visibleX(xs[r]) || std::isnan(ys[r]))
                continue;
            s.x << xs[r];
            s.y << ys[r];
            if (band) {
                c.x << xs[r];
                c.y << ys[r] - t.column(garbage)[r];
            }
            MarkerInfo m;
            m.x = xs[r];
            m.y = ys[r];
            m.series = name;
            m.source = control >= 0 ? tr("sweep %1: random weights, as many per matrix as this set difference removes")
                                          .arg(fromStd(t.name))
                                    : tr("sweep %1").arg(fromStd(t.name));
            m.edit.kind = kindOfSweep(t.kind);
            m.edit.setting = setting;
            auto v = [&](const std::vector<double> *c) { return c ? (*c)[r] : kNaN; };
            m.edit.p = v(ps);
            m.edit.q = v(qs);
            m.edit.s = v(ss);
            m.edit.ru = std::isnan(v(rus)) ? 0 : int(v(rus));
            m.edit.rs = std::isnan(v(rss)) ? 0 : int(v(rss));
            const double kw = t.hasColumn(keyword) ? t.column(keyword)[r] : kNaN;
            const double pf = t.hasColumn(prefix) ? t.column(prefix)[r] : kNaN;
            const double inc = t.hasColumn(garbage) ? t.column(garbage)[r] : kNaN;
            const bool baseline = std::isnan(m.edit.p) && std::isnan(m.edit.s) && std::isnan(v(rus));
            m.tip = (baseline ? tr("unedited model") : editText(m.edit)) + QStringLiteral("  (") + m.source + QStringLiteral(")") +
                    numberOr(v(sparsity), tr("\nactual sparsity %1"), 4) + numberOr(kw, tr("\nASR, keyword judge %1")) +
                    numberOr(pf, tr("\nASR, prefix judge %1")) + numberOr(inc, tr("\nincoherent yet keyword-successful %1")) +
                    numberOr(v(utility), tr("\nutility %1"));
            m.row = {m.edit.p, m.edit.q, m.edit.s, v(rus), v(rss), m.x, m.y, v(sparsity), kNaN, kw, pf, inc, v(utility), kNaN};
            m_markers << m;
        }
        series << s;
        if (band && !c.x.isEmpty())
            series << c;
    }

    // the points evaluated here, in the cursor's setting: one line per series, colours kept per series
    std::map<QString, QVector<const AsrPoint *>> lines;
    QStringList order;
    for (const AsrPoint &pt : points.points()) {
        if (pt.edit.setting != setting)
            continue;
        const double x = o.utilityX ? pt.utility : pt.x();
        const double y = o.prefixJudge ? pt.prefixAsr : pt.asr;
        if (!visibleX(x) || std::isnan(y))
            continue;
        const QString k = AsrPointSet::seriesKey(pt, o.seriesBy);
        if (!lines.count(k))
            order << k;
        lines[k] << &pt;
    }
    const AsrPoint *ringed = nullptr;
    for (const QString &k : order) {
        QVector<const AsrPoint *> &pts = lines[k];
        auto xOf = [&](const AsrPoint *p) { return o.utilityX ? p->utility : p->x(); };
        std::sort(pts.begin(), pts.end(), [&](const AsrPoint *a, const AsrPoint *b) { return xOf(a) < xOf(b); });
        Series s;
        s.name = AsrPointSet::seriesName(*pts.front(), o.seriesBy);
        if (pts.front()->edit.kind == EditKind::SetDifference)
            s.name = tr("set difference, %1").arg(s.name);
        s.color = colors.indexOf(k);
        s.marker = Marker::Disc;
        s.markerSize = 7;
        Series coherent;  // the band's lower edge: the keyword ASR without its incoherent successes
        coherent.name = tr("%1, coherent responses only").arg(s.name);
        coherent.color = s.color;
        coherent.width = 0.8;
        coherent.legend = false;
        // the line of the current edit names each point by what varies along it
        const bool labelled = std::any_of(pts.begin(), pts.end(), [&](const AsrPoint *p) { return p->id == current; });
        auto varying = [&](const AsrPoint *p) {
            switch (p->edit.kind) {
            case EditKind::SetDifference:
                return o.seriesBy == SeriesBy::FixedQ ? tr("p %1").arg(percentText(p->edit.p)) : tr("q %1").arg(percentText(p->edit.q));
            case EditKind::Orthogonal:
                return o.seriesBy == SeriesBy::FixedQ ? tr("r_u %1").arg(p->edit.ru) : tr("r_s %1").arg(p->edit.rs);
            case EditKind::PruneTopDown:
            case EditKind::PruneBottomUp: break;
            }
            return tr("s %1").arg(percentText(p->edit.s));
        };
        for (const AsrPoint *p : pts) {
            const double x = xOf(p), y = o.prefixJudge ? p->prefixAsr : p->asr;
            s.x << x;
            s.y << y;
            if (labelled)
                s.labels << varying(p);
            coherent.x << x;
            coherent.y << (std::isnan(p->incoherentSuccess) ? y : y - p->incoherentSuccess);
            if (p->id == current)
                ringed = p;
            MarkerInfo m;
            m.x = x;
            m.y = y;
            m.pointId = p->id;
            m.edit = p->edit;
            m.series = s.name;
            m.source = tr("evaluated here");
            m.tip = p->label() + QStringLiteral("  (") + editKindText(p->edit.kind) + QStringLiteral(", ") +
                    settingText(p->edit.setting) + QStringLiteral(")") +
                    (p->edit.kind == EditKind::Orthogonal ? numberOr(p->rankFraction, tr("\nranks removed %1"), 4)
                                                           : numberOr(p->actualSparsity, tr("\nactual sparsity %1"), 4)) +
                    numberOr(p->asr, tr("\nASR, keyword judge %1")) + numberOr(p->prefixAsr, tr("\nASR, prefix judge %1")) +
                    numberOr(p->incoherentSuccess, tr("\nincoherent yet keyword-successful %1")) +
                    numberOr(p->utility, tr("\nutility %1")) + tr("\n%1 prompts").arg(p->prompts) +
                    (p->complete ? QString() : tr("\n(utility and coherence still being measured)"));
            const bool setDiff = p->edit.kind == EditKind::SetDifference, prune = !setDiff && p->edit.kind != EditKind::Orthogonal;
            const bool ortho = p->edit.kind == EditKind::Orthogonal;
            m.row = {setDiff ? p->edit.p : kNaN, setDiff ? p->edit.q : kNaN, prune ? p->edit.s : kNaN,
                     ortho ? double(p->edit.ru) : kNaN, ortho ? double(p->edit.rs) : kNaN, m.x, m.y, p->actualSparsity,
                     p->rankFraction, p->asr, p->prefixAsr, p->incoherentSuccess, p->utility, double(p->prompts)};
            m_markers << m;
        }
        series << s;
        if (!o.prefixJudge) {
            series.back().fillTo = int(series.size());
            series << coherent;
            anyBand = true;
        }
    }
    // the current edit: ringed (a live point, else the sweep point at the cursor's p, q)
    Series ring;
    ring.name = tr("current edit");
    ring.points = true;
    ring.marker = Marker::Ring;
    ring.markerSize = 17;
    ring.penColor = QColor(0xD5, 0x5E, 0x00);
    if (ringed) {
        ring.x << (o.utilityX ? ringed->utility : ringed->x());
        ring.y << (o.prefixJudge ? ringed->prefixAsr : ringed->asr);
    } else if (at.edit.kind == EditKind::SetDifference) {
        for (const MarkerInfo &m : m_markers)
            if (m.pointId == 0 && m.edit.kind == EditKind::SetDifference && std::abs(m.edit.p - at.edit.p) <= 1e-9 * at.edit.p &&
                std::abs(m.edit.q - at.edit.q) <= 1e-9 * at.edit.q) {
                ring.x << m.x;
                ring.y << m.y;
                break;
            }
    }
    if (!ring.x.isEmpty())
        series << ring;
    if (anyBand) {  // one legend entry explains every band
        Series key;
        key.name = tr("incoherent yet refusal-free (hatched)");
        key.penColor = QColor(0x77, 0x77, 0x77);
        key.width = 0;
        key.fillTo = int(series.size()) + 1;
        Series none;
        none.legend = false;
        none.penColor = key.penColor;
        series << key << none;
    }
    if (m_markers.isEmpty()) {
        clear(tr("No evaluated points yet: they appear here when the controls rest"));
        return;
    }
    AxisSpec x;
    x.label = o.utilityX ? tr("Utility (accuracy)")
                         : at.edit.kind == EditKind::Orthogonal ? tr("Removed-rank fraction (projection); actual sparsity")
                                                                : tr("Actual sparsity (fraction of zero weights)");
    x.log = o.logX;
    AxisSpec y;
    y.label = tr("ASR (%1, %2)").arg(settingText(setting), o.prefixJudge ? tr("prefix") : tr("keyword"));
    y.fixedRange = true;  // the rate's whole range, with room for markers at 0 and 1
    y.lower = -0.04;
    y.upper = 1.04;
    setAxes(x, y);
    setSeries(series);
}

int TradeoffView::markerAt(const QPoint &pos) const
{
    const QCustomPlot *p = plot();
    if (isEmptyState() || !p->axisRect()->rect().adjusted(-8, -8, 8, 8).contains(pos))
        return 0;
    int best = -1;
    double bestDistance = 10;  // pixels
    for (int i = 0; i < m_markers.size(); ++i) {
        const double dx = p->xAxis->coordToPixel(m_markers[i].x) - pos.x(), dy = p->yAxis->coordToPixel(m_markers[i].y) - pos.y();
        const double d = std::hypot(dx, dy);
        if (d < bestDistance || (d == bestDistance && best >= 0 && m_markers[i].pointId > 0)) {
            bestDistance = d;
            best = i;
        }
    }
    if (best < 0)
        return 0;
    return m_markers[best].pointId > 0 ? m_markers[best].pointId : -1 - best;
}

QString TradeoffView::toolTipAt(const QPoint &pos) const
{
    const int m = markerAt(pos);
    if (m == 0)
        return {};
    if (m < 0)
        return m_markers[-1 - m].tip;
    for (const MarkerInfo &info : m_markers)
        if (info.pointId == m)
            return info.tip + tr("\nclick: make it the current edit");
    return {};
}

DataTable TradeoffView::exportTable() const
{
    DataTable t;
    t.labelColumns << QStringLiteral("series") << QStringLiteral("source") << QStringLiteral("edit") << QStringLiteral("setting");
    t.columns = numericColumns();
    t.labels.resize(t.labelColumns.size());
    t.values.resize(t.columns.size());
    if (isEmptyState())
        return t;
    for (const MarkerInfo &m : m_markers) {
        t.labels[0] << m.series;
        t.labels[1] << m.source;
        t.labels[2] << editKindText(m.edit.kind);
        t.labels[3] << QString::fromStdString(asrSettingName(m.edit.setting));
        for (int c = 0; c < t.columns.size(); ++c)
            t.values[c] << m.row.value(c, kNaN);
    }
    return t;
}

} // namespace alignscope::ui
