// SPDX-License-Identifier: MIT
#pragma once
#include "selection.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace alignscope::ui {

/**
 * The p/q sliders (snapping to the fraction grid of alignscope/fraction_grid.h, 1e-4 … 1), the sparsity
 * slider and the rank spin boxes, with readouts. Emits valuesChanged() on every move.
 */
class SliderPanel : public QWidget {
    Q_OBJECT
public:
    explicit SliderPanel(QWidget *parent = nullptr);

    SliderValues values() const;
    /** Shows `v` without emitting valuesChanged(). */
    void setValues(const SliderValues &v);
    /** Upper bound of the rank controls: min(d_out, d_in) of the model's matrices. */
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
    /** The user moved a control of the edit. */
    void valuesChanged();
    void pairChanged(int index);
    void quantityChanged(alignscope::ui::MapQuantity quantity);

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
