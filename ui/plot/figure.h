// SPDX-License-Identifier: MIT
// Figures for papers: a physical size (one column 3.25 in, two columns 6.75 in, or custom), one font
// size in points, the legend outside the data or hidden, and the files written at that size: PDF and
// SVG as vectors (heatmaps as rectangles, colour bars as gradients), PNG at a chosen dpi. The layout is
// computed in logical pixels at kLogicalDpi per inch with fonts sized in pixels, so that what is
// measured is what is drawn on every device; layoutProblems() checks the result.
#pragma once
#include <QString>
#include <QStringList>

#include <optional>

class QCustomPlot;
class QCPGraph;
class QRect;

namespace alignscope::ui {

enum class ExportFormat { Png, Pdf, Svg, Csv };

/** The format implied by a file name's suffix (case-insensitive), if any. */
std::optional<ExportFormat> exportFormatForPath(const QString &path);
QString exportFormatSuffix(ExportFormat f);

enum class LegendPlacement {
    Auto,    ///< below the plot in a narrow figure (< 4 in), else to its right
    Right,   ///< beside the plot, outside the data
    Below,   ///< under the plot, outside the data, in as many columns as fit
    Inside,  ///< in the plot's top right corner (may cover data)
    Hidden,
};
QString legendPlacementName(LegendPlacement p);  ///< "auto", "right", "below", "inside", "hidden"
std::optional<LegendPlacement> parseLegendPlacement(const QString &name);

struct FigureStyle {
    static constexpr double kLogicalDpi = 144;  ///< logical pixels per inch of the layout (1 px = 0.5 pt)
    static constexpr double kSingleColumnIn = 3.25;
    static constexpr double kDoubleColumnIn = 6.75;

    double widthIn = kDoubleColumnIn;
    double heightIn = 0;        ///< 0: the view's preferred height for this width
    double fontPt = 8;          ///< every text; titles 1 pt larger
    int dpi = 600;              ///< PNG only
    LegendPlacement legend = LegendPlacement::Auto;
    bool title = true;          ///< draw the view's title above the figure
    QString documentTitle;      ///< PDF/SVG metadata
    QString description;        ///< SVG description (e.g. the model and the edit)

    /** "single" (3.25 in), "double" (6.75 in); nothing for another name. */
    static std::optional<FigureStyle> preset(const QString &name);
    int widthPx() const;
    /** The height in logical pixels: heightIn, or widthIn × `aspect` (height / width) when heightIn is 0. */
    int heightPx(double aspect) const;
    /** The font size in logical pixels of a text `extraPt` larger than fontPt. */
    int fontPx(double extraPt = 0) const;
    /** Where the legend goes once Auto is resolved. */
    LegendPlacement resolvedLegend() const;
};

/**
 * Gives every text of `plot` the style's size, paper colours (black on white), moves the legend to its
 * place and wraps or rotates what would not fit, for a figure `widthPx` × `heightPx`; then lays it out.
 * When the style leaves the height open, a legend below the plot adds its own height to `heightPx`.
 */
void applyFigureStyle(QCustomPlot *plot, const FigureStyle &style, int widthPx, int &heightPx);

/**
 * Checks a laid-out figure: every element lies inside the figure, the legend and the titles do not
 * cover the plotted data, no text is wider than its place, tick labels do not overlap, and every text
 * is `fontPx` (titles: `titlePx`) pixels high. One line per problem; empty when there is none.
 */
QStringList layoutProblems(QCustomPlot *plot, int fontPx, int titlePx);

/** How much of a graph's data a rectangle (pixels) covers: its points, and samples along its lines (16 a segment). */
struct DataCoverage {
    int points = 0, lineSamples = 0;
    bool any() const { return points > 0 || lineSamples > 0; }
};
DataCoverage dataUnder(const QCPGraph *graph, const QRect &rect);

/**
 * Writes the laid-out `plot` as PNG (at style.dpi), PDF or SVG (vectors) of the style's physical size
 * to `path`, atomically (temporary file, then rename). False with `error` naming the file.
 */
bool writeFigure(QCustomPlot *plot, const FigureStyle &style, int widthPx, int heightPx, ExportFormat format,
                 const QString &path, QString *error);

} // namespace alignscope::ui
