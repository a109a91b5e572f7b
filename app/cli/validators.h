// SPDX-License-Identifier: MIT
// Validators for the command line's numbers. CLI11's own let NaN through every range (a comparison
// with NaN is false) and print DBL_MAX in 300 digits: these refuse NaN and infinities, parse the
// whole text, and say the range in a few words. A refused value is a usage error (exit 2).
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace alignscope::cli {

/** A finite number in [lo, hi] (in (lo, hi] with `lowOpen`). */
CLI::Validator numberIn(double lo, double hi, bool lowOpen = false);
/** A finite number > 0. */
CLI::Validator positiveNumber();
/** A finite number >= 0. */
CLI::Validator nonNegativeNumber();
/** A whole number >= `min` (and <= `max`). */
CLI::Validator wholeNumber(long long min, long long max = (1LL << 62));
/** A whole number >= 0 that fits 64 bits unsigned (a seed): no sign, no wrap-around of "-1". */
CLI::Validator unsignedNumber();
/**
 * A dtype in either spelling — fp32|float32, bf16|bfloat16, fp16|float16 (and `auto` with `withAuto`) —
 * rewritten to one: float32/bfloat16/float16 when `longNames`, else fp32/bf16/fp16. Use with transform().
 */
CLI::Validator dtypeName(bool longNames, bool withAuto);

} // namespace alignscope::cli
