// SPDX-License-Identifier: MIT
#pragma once
#include "plot/figure.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace alignscope::ui {

class PlotView;
class ViewSet;

/**
 * File ▸ Export figures: one view or the whole figure set, at one column (3.25 in), two columns
 * (6.75 in) or a custom size, one font size in points, the legend's place, PDF/SVG (vectors) or PNG at
 * a chosen dpi, with a preview of exactly what is written. The choices and the folder are remembered.
 */
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    /** `current` is the view the single-figure export writes (nullptr: only the figure set). */
    ExportDialog(ViewSet *views, PlotView *current, QWidget *parent = nullptr);

    FigureStyle style() const;
    void setStyle(const FigureStyle &style);
    bool figureSet() const;
    void setFigureSet(bool set);
    ExportFormat format() const;
    void setFormat(ExportFormat format);
    /** The file (one view) or folder (figure set) written to. */
    QString destination() const;
    void setDestination(const QString &path);
    /** Writes what is chosen; the files in `written`. False with `error` naming the file. */
    bool exportNow(QStringList *written, QString *error);
    /** The preview as shown (tests look at its size). */
    QPixmap preview() const;

public Q_SLOTS:
    void accept() override;

private:
    void updatePreview();
    void updateDestination();
    void remember() const;
    void browse();

    ViewSet *m_views;
    PlotView *m_current;
    QRadioButton *m_one, *m_set;
    QComboBox *m_size, *m_format, *m_legend;
    QDoubleSpinBox *m_width, *m_height, *m_font;
    QSpinBox *m_dpi;
    QCheckBox *m_title;
    QLineEdit *m_path;
    QLabel *m_preview, *m_previewInfo;
    QTimer *m_previewDelay;
};

} // namespace alignscope::ui
