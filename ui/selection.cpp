// SPDX-License-Identifier: MIT
#include "selection.h"

#include "alignscope/fraction_grid.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace alignscope::ui {

double gridFraction(int position)
{
    const auto &g = fractionGrid();
    return g[size_t(std::clamp(position, 0, int(g.size()) - 1))];
}

int gridPosition(double fraction) { return nearestFractionIndex(fraction); }

double snapToGrid(double fraction) { return gridFraction(gridPosition(fraction)); }

QString percentText(double fraction)
{
    if (std::isnan(fraction))
        return QStringLiteral("—");
    return QLocale().toString(fraction * 100.0, 'g', 3) + QStringLiteral(" %");
}

QString numberText(double value, int digits)
{
    if (std::isnan(value))
        return QStringLiteral("—");
    return QLocale().toString(value, 'g', digits);
}

QString settingText(AsrSetting setting)
{
    switch (setting) {
    case AsrSetting::Vanilla: return QCoreApplication::translate("Selection", "Vanilla");
    case AsrSetting::NoSys: return QCoreApplication::translate("Selection", "No system prompt");
    case AsrSetting::Suffix: return QCoreApplication::translate("Selection", "Adversarial suffixes");
    case AsrSetting::Decoding: return QCoreApplication::translate("Selection", "Adversarial decoding");
    }
    return {};
}

QString editKindText(EditKind kind)
{
    switch (kind) {
    case EditKind::SetDifference: return QCoreApplication::translate("Selection", "set difference");
    case EditKind::PruneTopDown: return QCoreApplication::translate("Selection", "top-down pruning");
    case EditKind::PruneBottomUp: return QCoreApplication::translate("Selection", "bottom-up pruning");
    case EditKind::Orthogonal: return QCoreApplication::translate("Selection", "projection");
    }
    return {};
}

QString editText(const SliderValues &v)
{
    switch (v.kind) {
    case EditKind::SetDifference: return QCoreApplication::translate("Selection", "p = %1, q = %2").arg(percentText(v.p), percentText(v.q));
    case EditKind::PruneTopDown: return QCoreApplication::translate("Selection", "top-down pruning at s = %1").arg(percentText(v.s));
    case EditKind::PruneBottomUp: return QCoreApplication::translate("Selection", "bottom-up pruning at s = %1").arg(percentText(v.s));
    case EditKind::Orthogonal: return QCoreApplication::translate("Selection", "projection r_u = %1, r_s = %2").arg(v.ru).arg(v.rs);
    }
    return {};
}

} // namespace alignscope::ui
