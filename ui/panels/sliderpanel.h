// SPDX-License-Identifier: MIT
#pragma once
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace alignscope::ui {

/** Positions of the selection controls: set-difference fractions, pruning sparsity, projection ranks. */
struct SliderValues {
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
    /** Upper bound of the rank spin boxes: min(d_out, d_in) of the model's matrices. */
    void setMaxRank(int maxRank);
    /** Shows the actual sparsity of the current selection; NaN shows "—". */
    void setActualSparsity(double fraction);
    /** The (safety, utility) score-set pairs with slider summaries, shown as "safety vs utility"; empty hides the chooser. */
    void setPairs(const QStringList &safety, const QStringList &utility);
    /** Index of the chosen pair (-1: none). */
    int currentPair() const;
    void setCurrentPair(int index);
    /** What the layer map colours: 0 the fraction removed at (p, q), 1 the Jaccard index of the top p. */
    int layerMapQuantity() const;
    void setLayerMapQuantity(int index);

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
    QLabel *m_pLabel;
    QLabel *m_qLabel;
    QLabel *m_sLabel;
    QLabel *m_actual;
    QComboBox *m_pair;
    QComboBox *m_quantity;
};

} // namespace alignscope::ui
