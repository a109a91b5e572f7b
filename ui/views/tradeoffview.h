// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/sweep.h"
#include "asrpoints.h"
#include "views/lineplotview.h"

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;

namespace alignscope::ui {

/** Where the controls are: the current edit, and the score pair it uses. */
struct TradeoffCursor {
    SliderValues edit;            ///< kind, setting and parameters (grid values)
    std::string safety, utility;  ///< the chosen score pair; empty: none
};

/** How the tradeoff is drawn (saved with the workspace). */
struct TradeoffOptions {
    bool utilityX = false;     ///< x: utility instead of the actual sparsity
    bool prefixJudge = false;  ///< y: the prefix judge's ASR instead of the keyword judge's
    bool logX = false;
    SeriesBy seriesBy = SeriesBy::FixedQ;
};

/**
 * ASR against actual sparsity or utility (the paper's Fig. 2 style): the store's sweeps as open circles,
 * the points evaluated here joined into one line per fixed q (or p), the current edit ringed. Hover a
 * point for its edit, parameters and every measured number; click it to make it the current edit.
 */
class TradeoffView : public LinePlotView {
    Q_OBJECT
public:
    explicit TradeoffView(QWidget *parent = nullptr);
    TradeoffOptions options() const;
    void setOptions(const TradeoffOptions &o);

    /**
     * Draws the sweeps and the live points of the cursor's ASR setting; `current` (a point id, or 0) is
     * ringed, else the sweep point at the cursor. `colors` keeps each series' colour.
     */
    void draw(const std::vector<SweepTable> &sweeps, const AsrPointSet &points, int current, const TradeoffCursor &at,
              SeriesColors &colors);
    /** The text shown when hovering the marker nearest to a widget position (empty: none within reach). */
    QString toolTipAt(const QPoint &pos) const;
    /** The live point id (> 0) or sweep marker (< 0: -1 - index into markers) nearest to a widget position; 0: none. */
    int markerAt(const QPoint &pos) const;

    DataTable exportTable() const override;
    QString figureTitle() const override { return tr("ASR tradeoff"); }

Q_SIGNALS:
    void optionsChanged();
    /** A live point was clicked. */
    void pointClicked(int id);
    /** A sweep point was clicked: its edit (kind and parameters). */
    void sweepPointClicked(const alignscope::ui::SliderValues &edit);

private:
    /** One drawn point: where, what, and the row of the CSV. */
    struct MarkerInfo {
        double x = 0, y = 0;
        int pointId = 0;        ///< a live point's id; 0 for a sweep's
        SliderValues edit;      ///< the edit (sweep points too)
        QString series, source, tip;
        QVector<double> row;    ///< the CSV's numeric columns
    };
    QVector<MarkerInfo> m_markers;
    QComboBox *m_x;
    QComboBox *m_judge;
    QComboBox *m_by;
    QCheckBox *m_log;
};

} // namespace alignscope::ui
