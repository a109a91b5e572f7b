// SPDX-License-Identifier: MIT
// What the selection controls choose, as plain values (no widgets): the edit and its parameters, the
// ASR setting of the live evaluation, what the layer map colours, and the fraction grid the p/q
// sliders snap to. The workspace, the store session, the views and the tests share these.
#pragma once
#include "alignscope/asr.h"

#include <QCoreApplication>
#include <QString>

namespace alignscope::ui {

/** Which edit the controls select and the live evaluation applies. */
enum class EditKind {
    SetDifference,  ///< TopQ(safety) \ TopP(utility) at the sliders' p, q
    PruneTopDown,   ///< per row, the highest safety scores at sparsity s
    PruneBottomUp,  ///< per row, the lowest safety scores at sparsity s
    Orthogonal,     ///< W − (I − Π_u) Π_s W with the bases' r_u, r_s
};
constexpr int kEditKinds = 4;

/** What the layer map colours. */
enum class MapQuantity {
    Removed,    ///< the fraction of each matrix's weights (or ranks) the current edit removes
    Jaccard,    ///< Jaccard index of the top p of safety and utility
    MeanScore,  ///< mean safety score
    Subspace,   ///< subspace similarity of the top m − r_s safety and m − r_u utility directions
};

/** Positions of the selection controls: set-difference fractions, pruning sparsity, projection ranks. */
struct SliderValues {
    EditKind kind = EditKind::SetDifference;
    AsrSetting setting = AsrSetting::Vanilla;  ///< what the live evaluation measures
    double p = 0.25;  ///< utility top fraction (set difference), a value of the fraction grid; the demo's sweet spot
    double q = 0.15;  ///< safety top fraction (set difference), a value of the fraction grid
    double s = 0.01;  ///< sparsity for top-down / bottom-up pruning
    int ru = 0;       ///< orthogonal projection: utility rank parameter (the reference code's --rank_pos)
    int rs = 0;       ///< orthogonal projection: safety rank parameter (--rank_neg)
    bool operator==(const SliderValues &o) const
    {
        return kind == o.kind && setting == o.setting && p == o.p && q == o.q && s == o.s && ru == o.ru && rs == o.rs;
    }
    bool operator!=(const SliderValues &o) const { return !(*this == o); }
};

/** The fraction grid (alignscope/fraction_grid.h) value at a slider position (clamped). */
double gridFraction(int position);
/** The nearest grid position of a fraction. */
int gridPosition(double fraction);
/** A fraction snapped to the grid. */
double snapToGrid(double fraction);
/** "12.5 %" in the user's locale; "—" for NaN. */
QString percentText(double fraction);
/** A number in the user's locale with `digits` significant digits. */
QString numberText(double value, int digits = 3);

/** The ASR setting's name for people: "Vanilla", "No system prompt", … */
QString settingText(AsrSetting setting);
/** The edit kind's name for people: "set difference", "top-down pruning", … */
QString editKindText(EditKind kind);
/** What `v` evaluates: "p = 1 %, q = 2 %", "top-down pruning at s = 1 %", "projection r_u = 112, r_s = 120". */
QString editText(const SliderValues &v);
/** An engine job's stage ("ASR: generating", "coherence threshold: coherence") in the user's language. */
QString stageText(const QString &engineStage);

} // namespace alignscope::ui
