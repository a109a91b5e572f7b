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

QString stageText(const QString &engineStage)
{
    // the engine names its stages in English (core has no Qt); the words it uses, longest first
    static const char *const phrases[][2] = {
        {"coherence threshold", QT_TRANSLATE_NOOP("Stage", "coherence threshold")},
        {"utility (multiple choice)", QT_TRANSLATE_NOOP("Stage", "utility (multiple choice)")},
        {"writing the store", QT_TRANSLATE_NOOP("Stage", "writing the store")},
        {"unedited model", QT_TRANSLATE_NOOP("Stage", "unedited model")},
        {"decomposing layer", QT_TRANSLATE_NOOP("Stage", "decomposing layer")},
        {"scoring layers", QT_TRANSLATE_NOOP("Stage", "scoring layers")},
        {"scoring layer", QT_TRANSLATE_NOOP("Stage", "scoring layer")},
        {"slider summary", QT_TRANSLATE_NOOP("Stage", "slider summary")},
        {"safety set", QT_TRANSLATE_NOOP("Stage", "safety set")},
        {"utility set", QT_TRANSLATE_NOOP("Stage", "utility set")},
        {"linear probes", QT_TRANSLATE_NOOP("Stage", "linear probes")},
        {"head outputs", QT_TRANSLATE_NOOP("Stage", "head outputs")},
        {"matmul probe", QT_TRANSLATE_NOOP("Stage", "matmul probe")},
        {"generating", QT_TRANSLATE_NOOP("Stage", "generating")},
        {"evaluating", QT_TRANSLATE_NOOP("Stage", "evaluating")},
        {"coherence", QT_TRANSLATE_NOOP("Stage", "coherence")},
        {"perplexity", QT_TRANSLATE_NOOP("Stage", "perplexity")},
        {"utility", QT_TRANSLATE_NOOP("Stage", "utility")},
        {"training", QT_TRANSLATE_NOOP("Stage", "training")},
        {"sweep", QT_TRANSLATE_NOOP("Stage", "sweep")},
        {"point", QT_TRANSLATE_NOOP("Stage", "point")},
    };
    QString out = engineStage;
    for (const auto &[english, source] : phrases) {
        const QString translated = QCoreApplication::translate("Stage", source);
        if (translated != QLatin1String(english))
            out.replace(QLatin1String(english), translated);
    }
    return out;
}

} // namespace alignscope::ui
