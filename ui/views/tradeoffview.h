// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/sweep.h"
#include "panels/sliderpanel.h"
#include "views/lineplotview.h"

#include <string>
#include <vector>

class QComboBox;

namespace alignscope::ui {

/** One evaluated point of the live tradeoff curve. */
struct LivePoint {
    EditKind kind = EditKind::SetDifference;
    AsrSetting setting = AsrSetting::Vanilla;
    double p = 0, q = 0, s = 0;
    int ru = 0, rs = 0;
    double actualSparsity = 0;      ///< spec §4.7
    double rankFraction = -1;       ///< orthogonal projection: ranks removed / full ranks of all matrices
    double asr = 0;                 ///< keyword judge (the paper's)
    double prefixAsr = -1;          ///< prefix judge (demo: "Sure, here is"); -1: not measured
    double incoherent = -1;         ///< fraction flagged incoherent; -1 until the job has measured it
    double incoherentSuccess = -1;  ///< incoherent yet keyword-successful
    double utility = -1;
    int prompts = 0;
    /** The tradeoff view's x: the actual sparsity, or the removed-rank fraction of a projection. */
    double x() const { return rankFraction >= 0 ? rankFraction : actualSparsity; }
    /** "p = 1 %, q = 2 %", "projection r_u = …": what the point evaluated. */
    QString label() const;
};

/** Where the controls are: the tradeoff view rings the sweep point at the grid's (p, q) of this score pair. */
struct TradeoffCursor {
    EditKind kind = EditKind::SetDifference;
    AsrSetting setting = AsrSetting::Vanilla;
    double p = 0, q = 0;         ///< grid values
    std::string safety, utility;  ///< the chosen score pair; empty: none
};

/** ASR against actual sparsity or utility, the paper's Fig. 2 style. */
class TradeoffView : public LinePlotView {
    Q_OBJECT
public:
    explicit TradeoffView(QWidget *parent = nullptr);
    /** The x axis: false the edit's actual sparsity (or removed-rank fraction), true the utility. */
    bool utilityOnX() const;
    void setUtilityOnX(bool utility);
    /** Whose verdicts the y axis counts. */
    enum class Judge { Keyword, Prefix };
    Judge judge() const;
    void setJudge(Judge judge);
    /**
     * Draws, in the cursor's ASR setting and by the chosen judge: the sweeps of a store (a weight edit's
     * curve against sparsity, every kind against utility; with the keyword judge a cross where the
     * ASR without its incoherent successes lies lower), the sweep point at the cursor ringed, and the
     * points evaluated here, one curve per edit and setting, the incoherent-yet-refusal-free responses
     * hatched below each keyword curve.
     */
    void draw(const std::vector<SweepTable> &sweeps, const QVector<LivePoint> &live, const TradeoffCursor &at);

Q_SIGNALS:
    void axisChanged();

private:
    QComboBox *m_x;
    QComboBox *m_judge;
};

} // namespace alignscope::ui
