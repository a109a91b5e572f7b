// SPDX-License-Identifier: MIT
// The help texts of the views (Help ▸ About this view, F1) and of Help ▸ About AlignScope.
#pragma once
#include <QString>

namespace alignscope::ui {

enum class HelpTopic { LayerMap, Overlap, Tradeoff, Generations, Heads, Matrix };

/** What a view shows and how it is computed (HTML). */
QString viewHelpText(HelpTopic topic);
/** Program, Qt, libtorch, HDF5 and QCustomPlot versions (HTML). */
QString aboutText();

} // namespace alignscope::ui
