// SPDX-License-Identifier: MIT
// Colour-blind-safe colours (Okabe & Ito 2008) and a perceptually ordered colour map.
#pragma once
#include <QColor>

class QCPColorGradient;

namespace alignscope::ui {

/** The i-th Okabe–Ito colour (cycles through 8; black, then the faint yellow, last). */
QColor categoricalColor(int i);
/** A viridis-like sequential gradient (QCustomPlot 2.1 has no viridis preset). */
QCPColorGradient sequentialGradient();

} // namespace alignscope::ui
