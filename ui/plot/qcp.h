// SPDX-License-Identifier: MIT
// The only way to include QCustomPlot: the project builds with QT_NO_KEYWORDS, and
// <qcustomplot.h> uses the bare `signals` and `foreach` keywords.
#pragma once

#ifndef signals
#define signals Q_SIGNALS
#define ALIGNSCOPE_DEFINED_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define ALIGNSCOPE_DEFINED_FOREACH
#endif

#include <qcustomplot.h>

#ifdef ALIGNSCOPE_DEFINED_SIGNALS
#undef signals
#undef ALIGNSCOPE_DEFINED_SIGNALS
#endif
#ifdef ALIGNSCOPE_DEFINED_FOREACH
#undef foreach
#undef ALIGNSCOPE_DEFINED_FOREACH
#endif
