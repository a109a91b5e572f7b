// SPDX-License-Identifier: MIT
// The grid of fractions that the p/q sliders snap to and that the store's slider summaries
// are exact on: 12 round values per decade (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9) × 10^k
// for k = -4 … -1, then 1. Near-logarithmic, and it contains the values papers use
// (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5).
#pragma once
#include <vector>

namespace alignscope {

/** The grid, ascending: 1e-4, 1.2e-4, …, 0.9, 1.0 (49 values). */
const std::vector<double> &fractionGrid();
/** Index of the grid value nearest to `fraction` on a log scale (clamped to the grid). */
int nearestFractionIndex(double fraction);

} // namespace alignscope
