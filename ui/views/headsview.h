// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/heads.h"
#include "views/layermapview.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace alignscope::ui {

/**
 * Attention heads (spec §11, §4.6): a layer × head heatmap of probing accuracies (the reference's JSON,
 * or probed here), and the head-ablation experiment: ablate the top k heads and evaluate ASR and utility.
 */
class HeadsView : public LayerMapView {
    Q_OBJECT
public:
    explicit HeadsView(QWidget *parent = nullptr);

    /** Shows `probing` (its source in the title); the ablation controls become usable. */
    void setProbing(const HeadProbing &probing);
    const HeadProbing &probing() const { return m_probing; }
    void clearProbing(const QString &reason);
    /** The heads the controls choose now (k, pool, seed 0). Throws std::invalid_argument. */
    std::vector<HeadRef> chosenHeads() const;
    HeadAblation ablation() const;
    int headCount() const;
    void setHeadCount(int k);
    /** Shows the outcome of an ablation (or an empty string while none is known). */
    void setResult(const QString &text);
    QString result() const;
    QString figureTitle() const override { return tr("Attention heads: probing accuracy"); }
    /** Enables the buttons that start jobs. */
    void setBusy(bool busy);

Q_SIGNALS:
    void openRequested();
    void probeRequested();
    void ablationRequested();

private:
    HeadProbing m_probing;
    QPushButton *m_open, *m_probe, *m_evaluate;
    QSpinBox *m_k;
    QComboBox *m_pool, *m_how;
    QLabel *m_result;
};

} // namespace alignscope::ui
