// SPDX-License-Identifier: MIT
// Figure export: PNG (raster, chosen size and DPI), PDF and SVG (vector), CSV (the plotted data).
// No file dialogs here: callers choose the path.
#pragma once
#include <QString>

#include <optional>

class QCustomPlot;

namespace alignscope::ui {

struct DataTable;

enum class ExportFormat { Png, Pdf, Svg, Csv };

/** The format implied by a file name's suffix (case-insensitive), if any. */
std::optional<ExportFormat> exportFormatForPath(const QString &path);
QString exportFormatSuffix(ExportFormat f);

struct ExportOptions {
    int width = 1200;   ///< logical width in pixels (PDF/SVG: points)
    int height = 800;   ///< logical height
    double scale = 1.0; ///< PNG only: device pixels per logical pixel (the PNG is width·scale × height·scale)
    int dpi = 300;      ///< PNG only: resolution written into the file
    QString title;      ///< document title (PDF, SVG)
    QString description;///< e.g. the method, p/q and model (SVG description)
    double fontPoints = 0;///< > 0: every text of the figure at this size (paper figures; the view is restored after)
    int legendColumns = 0;///< > 0: the legend's entries in this many columns while exporting
};

/**
 * Writes `plot` (or, for Csv, `table`) to `path` atomically (temporary file, then rename).
 * Returns false and sets `error` (naming the file) on failure.
 */
bool exportPlot(QCustomPlot *plot, const DataTable &table, const QString &path, ExportFormat format,
                const ExportOptions &options, QString *error);

} // namespace alignscope::ui
