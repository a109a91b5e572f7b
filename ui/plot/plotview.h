// SPDX-License-Identifier: MIT
#pragma once
#include <initializer_list>
#include "plot/datatable.h"
#include "plot/export.h"

#include <QWidget>

class QCustomPlot;
class QLabel;

namespace alignscope::ui {

/**
 * Base of every chart: a QCustomPlot, an empty-state message drawn over it when there is
 * nothing to show, a context menu to export, and the data behind the figure (exportTable()).
 * Subclasses only build graphs.
 */
class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget *parent = nullptr);
    ~PlotView() override;

    QCustomPlot *plot() const { return m_plot; }

    /** Shows `text` over the plot (e.g. "No model loaded"); an empty text hides it. */
    void setEmptyText(const QString &text);
    QString emptyText() const;
    bool isEmptyState() const;

    /** Exactly the plotted data, column-oriented (for CSV export and tests). */
    virtual DataTable exportTable() const { return {}; }
    /** Title used in exported documents. */
    virtual QString figureTitle() const = 0;

    bool exportTo(const QString &path, ExportFormat format, const ExportOptions &options, QString *error);

Q_SIGNALS:
    void exportRequested(alignscope::ui::PlotView *view);

protected:
    /** Puts `controls` (a row of buttons and choosers that belong to this view) above the plot. */
    void setControls(QWidget *controls);
    /** The usual controls: one row of `widgets`, left-aligned above the plot. */
    void setControls(std::initializer_list<QWidget *> widgets);
    void changeEvent(QEvent *event) override;
    /** Re-colours the plot from the palette (called on palette changes). */
    virtual void updateColors();

private:
    QCustomPlot *m_plot = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace alignscope::ui
