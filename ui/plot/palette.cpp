// SPDX-License-Identifier: MIT
#include "plot/palette.h"

#include "plot/qcp.h"

namespace alignscope::ui {

QColor categoricalColor(int i)
{
    static const QColor colors[] = {
        QColor(0xE6, 0x9F, 0x00),  // orange
        QColor(0x56, 0xB4, 0xE9),  // sky blue
        QColor(0x00, 0x9E, 0x73),  // bluish green
        QColor(0xD5, 0x5E, 0x00),  // vermillion
        QColor(0x00, 0x72, 0xB2),  // blue
        QColor(0xCC, 0x79, 0xA7),  // reddish purple
        QColor(0x00, 0x00, 0x00),  // black
        QColor(0xF0, 0xE4, 0x42),  // yellow: last, it is faint on white
    };
    constexpr int n = int(sizeof colors / sizeof colors[0]);
    return colors[((i % n) + n) % n];
}

QCPColorGradient sequentialGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    // viridis, sampled at 9 points
    g.setColorStopAt(0.000, QColor(0x44, 0x01, 0x54));
    g.setColorStopAt(0.125, QColor(0x47, 0x2c, 0x7a));
    g.setColorStopAt(0.250, QColor(0x3b, 0x51, 0x8b));
    g.setColorStopAt(0.375, QColor(0x2c, 0x71, 0x8e));
    g.setColorStopAt(0.500, QColor(0x21, 0x90, 0x8d));
    g.setColorStopAt(0.625, QColor(0x27, 0xad, 0x81));
    g.setColorStopAt(0.750, QColor(0x5c, 0xc8, 0x63));
    g.setColorStopAt(0.875, QColor(0xaa, 0xdc, 0x32));
    g.setColorStopAt(1.000, QColor(0xfd, 0xe7, 0x25));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    return g;
}

} // namespace alignscope::ui
