// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/asr.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace alignscope::ui {

/** Which edit the controls select and the live evaluation applies. */
enum class EditKind {
    SetDifference,  ///< TopQ(safety) \ TopP(utility) at the sliders' p, q
    PruneTopDown,   ///< per row, the highest safety scores at sparsity s
    PruneBottomUp,  ///< per row, the lowest safety scores at sparsity s
    Orthogonal,     ///< W − (I − Π_u) Π_s W with the bases' r_u, r_s
};

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
    double p = 0.2;   ///< utility top fraction (set difference)
    double q = 0.1;   ///< safety top fraction (set difference)
    double s = 0.01;  ///< sparsity for top-down / bottom-up pruning
    int ru = 0;       ///< orthogonal projection: utility rank parameter (the reference code's --rank_pos)
    int rs = 0;       ///< orthogonal projection: safety rank parameter (--rank_neg)
};

/**
 * The p/q sliders (snapping to the fraction grid of alignscope/fraction_grid.h, 1e-4 … 1), the sparsity
 * slider and the rank spin boxes, with readouts. Emits valuesChanged() on every move.
 */
class SliderPanel : public QWidget {
    Q_OBJECT
public:
    explicit SliderPanel(QWidget *parent = nullptr);

    SliderValues values() const;
    void setValues(const SliderValues &v);
    /** Upper bound of the rank spin boxes: min(d_out, d_in) of the model's matrices; r_u, r_s at 0 become
     *  7/8 and 15/16 of it (a 1/8-dimensional utility and 1/16-dimensional safety subspace). */
    void setMaxRank(int maxRank);
    /** Shows the actual sparsity of the current selection; NaN shows "—". */
    void setActualSparsity(double fraction);
    /** The (safety, utility) score-set pairs with slider summaries, shown as "safety vs utility"; empty hides the chooser. */
    void setPairs(const QStringList &safety, const QStringList &utility);
    /** Index of the chosen pair (-1: none). */
    int currentPair() const;
    void setCurrentPair(int index);
    /** What the layer map colours. */
    MapQuantity layerMapQuantity() const;
    void setLayerMapQuantity(MapQuantity q);
    /** The readout below the sliders ("Removed:"), e.g. the actual sparsity or the ranks removed. */
    void setReadout(const QString &text);

    static double fractionAt(int position);       ///< the grid value at a slider position
    static int positionOf(double fraction);       ///< the nearest grid position
    static QString percent(double fraction);

Q_SIGNALS:
    void valuesChanged();
    void pairChanged(int index);

private:
    QSlider *logSlider(const QString &name, QLabel *readout);

    QSlider *m_p;
    QSlider *m_q;
    QSlider *m_s;
    QSpinBox *m_ru;
    QSpinBox *m_rs;
    QSlider *m_ruSlider;  ///< the same values as the spin boxes, for dragging
    QSlider *m_rsSlider;
    QLabel *m_pLabel;
    QLabel *m_qLabel;
    QLabel *m_sLabel;
    QLabel *m_actual;
    QComboBox *m_pair;
    QComboBox *m_quantity;
    QComboBox *m_kind;
    QComboBox *m_setting;
};

} // namespace alignscope::ui
