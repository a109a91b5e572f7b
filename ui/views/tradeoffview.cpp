// SPDX-License-Identifier: MIT
#include "views/tradeoffview.h"

#include <QComboBox>

#include "plot/qcp.h"

#include <algorithm>
#include <cmath>

namespace alignscope::ui {

namespace {
QString fromStd(const std::string &s) { return QString::fromStdString(s); }
}

QString LivePoint::label() const
{
    switch (kind) {
    case EditKind::SetDifference:
        return TradeoffView::tr("p = %1, q = %2").arg(SliderPanel::percent(p), SliderPanel::percent(q));
    case EditKind::PruneTopDown:
        return TradeoffView::tr("top-down pruning at s = %1").arg(SliderPanel::percent(s));
    case EditKind::PruneBottomUp:
        return TradeoffView::tr("bottom-up pruning at s = %1").arg(SliderPanel::percent(s));
    case EditKind::Orthogonal:
        return TradeoffView::tr("projection r_u = %1, r_s = %2").arg(ru).arg(rs);
    }
    return {};
}

TradeoffView::TradeoffView(QWidget *parent)
    : LinePlotView(tr("Actual sparsity"), tr("Attack success rate"), tr("ASR tradeoff"), parent), m_x(new QComboBox(this)),
      m_judge(new QComboBox(this))
{
    setObjectName(QStringLiteral("tradeoffView"));
    m_x->setObjectName(QStringLiteral("tradeoffAxis"));
    m_x->addItem(tr("ASR against sparsity"));
    m_x->addItem(tr("ASR against utility"));
    m_x->setToolTip(tr("The x axis: the edit's actual sparsity (the removed-rank fraction for a projection), or the "
                       "utility measured at the same point"));
    m_judge->setObjectName(QStringLiteral("tradeoffJudge"));
    m_judge->addItem(tr("keyword judge (the paper's)"));
    m_judge->addItem(tr("prefix judge (opens with the target)"));
    m_judge->setToolTip(tr("Whose verdicts count as a successful attack. With the keyword judge, the hatched band "
                           "below each curve holds the responses that are incoherent yet free of refusal phrases: "
                           "a broken model's garbage, not a successful attack"));
    setControls({m_x, m_judge});
    connect(m_judge, &QComboBox::currentIndexChanged, this, &TradeoffView::axisChanged);
    connect(m_x, &QComboBox::currentIndexChanged, this, [this](int i) {
        plot()->xAxis->setLabel(i == 1 ? tr("Utility (accuracy)") : tr("Actual sparsity"));
        Q_EMIT axisChanged();
    });
}

bool TradeoffView::utilityOnX() const { return m_x->currentIndex() == 1; }
TradeoffView::Judge TradeoffView::judge() const { return Judge(m_judge->currentIndex()); }
void TradeoffView::setJudge(Judge judge) { m_judge->setCurrentIndex(int(judge)); }
void TradeoffView::setUtilityOnX(bool utility) { m_x->setCurrentIndex(utility ? 1 : 0); }

void TradeoffView::draw(const std::vector<SweepTable> &sweeps, const QVector<LivePoint> &live, const TradeoffCursor &at)
{
    const bool utilityX = utilityOnX();
    const bool prefixJudge = judge() == Judge::Prefix;
    const std::string asrColumn = "asr_" + asrSettingName(at.setting) + (prefixJudge ? "_prefix" : "");
    const QString settingName = fromStd(asrSettingName(at.setting));
    // the store's sweeps of weight edits (a rank edit's actual sparsity is 0 at every point), in the chosen setting
    QVector<Series> series;
    QVector<int> coherentOnly;  // sweep series of the keyword ASR without its incoherent successes
    for (const SweepTable &t : sweeps) {
        // against sparsity only weight edits (a rank edit's actual sparsity is 0); against utility every kind
        const std::string xColumn = utilityX ? "utility" : "actual_sparsity";
        if ((!utilityX && t.kind != "set_difference" && t.kind != "row_prune") || !t.hasColumn(asrColumn) ||
            !t.hasColumn(xColumn))
            continue;
        const std::string garbage = "incoherent_success_" + asrSettingName(at.setting);
        const bool band = !prefixJudge && t.hasColumn(garbage);
        Series s{tr("%1 (sweep)").arg(fromStd(t.name)), {}, {}, true, false};
        Series c{tr("%1 (sweep), coherent responses only").arg(fromStd(t.name)), {}, {}, true, false};
        const auto &x = t.column(xColumn), &y = t.column(asrColumn);
        for (int i = 0; i < t.points(); ++i)
            if (t.done[size_t(i)] && !std::isnan(x[size_t(i)])) {
                s.x << x[size_t(i)];
                s.y << y[size_t(i)];
                if (band) {
                    c.x << x[size_t(i)];
                    c.y << y[size_t(i)] - t.column(garbage)[size_t(i)];
                }
            }
        series << s;
        if (band) {
            coherentOnly << int(series.size());
            series << c;
        }
    }
    const int sweepSeries = int(series.size());
    // the cursor's (p, q) in a set-difference sweep of the chosen pair, if it was evaluated there
    const double p = at.p, q = at.q;
    Series current{tr("current p, q"), {}, {}, true, false};
    for (const SweepTable &t : sweeps) {
        if (at.kind != EditKind::SetDifference || t.kind != "set_difference" || at.safety.empty() || !t.hasColumn("p") ||
            !t.hasColumn(asrColumn) || (utilityX && !t.hasColumn("utility")))
            continue;
        if (t.description.find("\"safety\":\"" + at.safety + "\"") == std::string::npos ||
            t.description.find("\"utility\":\"" + at.utility + "\"") == std::string::npos)
            continue;
        const auto &ps = t.column("p"), &qs = t.column("q"), &x = t.column(utilityX ? "utility" : "actual_sparsity"),
                   &y = t.column(asrColumn);
        for (int i = 0; i < t.points(); ++i)
            if (t.done[size_t(i)] && std::abs(ps[size_t(i)] - p) <= 1e-9 * p && std::abs(qs[size_t(i)] - q) <= 1e-9 * q) {
                current.x << x[size_t(i)];
                current.y << y[size_t(i)];
            }
    }
    if (!current.x.isEmpty())
        series << current;
    // the points evaluated here, one curve per edit and setting, in the order of x; with the keyword judge the
    // incoherent-yet-refusal-free responses form a band below the curve (garbage is not a successful attack)
    const EditKind kinds[] = {EditKind::SetDifference, EditKind::PruneTopDown, EditKind::PruneBottomUp, EditKind::Orthogonal};
    const QString kindNames[] = {tr("set difference"), tr("top-down pruning"), tr("bottom-up pruning"), tr("projection")};
    QVector<QPair<int, int>> bands;  // (ASR series, coherent-only series)
    for (AsrSetting setting : {AsrSetting::Vanilla, AsrSetting::NoSys, AsrSetting::Suffix, AsrSetting::Decoding})
        for (int k = 0; k < 4; ++k) {
            QVector<LivePoint> pts;
            for (const LivePoint &pt : live)
                if (pt.kind == kinds[k] && pt.setting == setting && (!utilityX || pt.utility >= 0) &&
                    (!prefixJudge || pt.prefixAsr >= 0))
                    pts << pt;
            if (pts.isEmpty())
                continue;
            auto x = [utilityX](const LivePoint &pt) { return utilityX ? pt.utility : pt.x(); };
            std::sort(pts.begin(), pts.end(), [&](const LivePoint &a, const LivePoint &b) { return x(a) < x(b); });
            const QString name = tr("%1, %2 (%3 judge)")
                                     .arg(kindNames[k], fromStd(asrSettingName(setting)),
                                          prefixJudge ? tr("prefix") : tr("keyword"));
            Series asr{name, {}, {}, false, false}, coherent{tr("%1, coherent responses only").arg(name), {}, {}, false, true};
            for (const LivePoint &pt : pts) {
                asr.x << x(pt);
                asr.y << (prefixJudge ? pt.prefixAsr : pt.asr);
                if (!prefixJudge && pt.incoherentSuccess >= 0) {
                    coherent.x << x(pt);
                    coherent.y << pt.asr - pt.incoherentSuccess;
                }
            }
            series << asr;
            if (coherent.x.size() == asr.x.size()) {
                bands << qMakePair(int(series.size()) - 1, int(series.size()));
                series << coherent;
            }
        }
    if (series.isEmpty()) {
        clear(tr("No evaluated points yet"));
        return;
    }
    setSeries(series);
    QCustomPlot *tp = plot();
    for (int i = sweepSeries + (current.x.isEmpty() ? 0 : 1); i < tp->graphCount(); ++i)
        tp->graph(i)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
    for (int i : coherentOnly)  // a cross where garbage lowers a sweep point's ASR
        tp->graph(i)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, 9));
    for (const auto &[asr, coherent] : bands) {  // the band: incoherent yet refusal-free
        QColor c = tp->graph(asr)->pen().color();
        c.setAlpha(60);
        tp->graph(asr)->setBrush(QBrush(c, Qt::BDiagPattern));
        tp->graph(asr)->setChannelFillGraph(tp->graph(coherent));
    }
    if (!current.x.isEmpty())  // a large ring around the current point
        tp->graph(sweepSeries)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::red, 2.5), Qt::NoBrush, 16));
    tp->xAxis->setLabel(utilityX ? tr("Utility (accuracy)")
                                 : at.kind == EditKind::Orthogonal ? tr("Actual sparsity; removed-rank fraction (projection)")
                                                                  : tr("Actual sparsity"));
    tp->yAxis->setLabel(tr("Attack success rate (%1)").arg(settingName));
    tp->yAxis->setRange(0, 1.05);
    tp->replot();
}

} // namespace alignscope::ui
