// SPDX-License-Identifier: MIT
#include "alignscope/fraction_grid.h"

#include <cmath>

namespace alignscope {

const std::vector<double> &fractionGrid()
{
    static const std::vector<double> grid = [] {
        const double mantissas[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9};
        std::vector<double> g;
        for (int e = -4; e <= -1; ++e)
            for (double m : mantissas)
                g.push_back(std::stod(std::to_string(m) + "e" + std::to_string(e)));  // exact decimal rounding
        g.push_back(1.0);
        return g;
    }();
    return grid;
}

int nearestFractionIndex(double fraction)
{
    const auto &g = fractionGrid();
    if (!(fraction > g.front()))
        return 0;
    if (fraction >= g.back())
        return int(g.size()) - 1;
    int best = 0;
    double bestDist = 1e300;
    const double lf = std::log(fraction);
    for (int i = 0; i < int(g.size()); ++i) {
        const double d = std::abs(std::log(g[i]) - lf);
        if (d < bestDist) {
            bestDist = d;
            best = i;
        }
    }
    return best;
}

} // namespace alignscope
