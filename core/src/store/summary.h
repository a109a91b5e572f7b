// SPDX-License-Identifier: MIT
// Private: the slider summaries of a (safety, utility) pair of score sets. For every matrix and
// both granularities (whole matrix, per row), a cumulative joint histogram over the fraction grid:
// cum[a][b] = #entries in Top_{grid[a]}(safety) ∩ Top_{grid[b]}(utility), where an entry with
// 0-based rank r (score descending, then index ascending) belongs to Top_f iff r < ⌊f·n⌋ (n = the
// matrix's entries, or the row's for per-row). So set-difference counts and Jaccard indices at any
// grid point are exact lookups.
#pragma once
#include "store/h5.h"

#include <ATen/ATen.h>

namespace alignscope {

class JobContext;

/** cum [G, G] (int64) of one matrix's two scores (same shape). */
at::Tensor cumulativeJointHistogram(const at::Tensor &safety, const at::Tensor &utility, bool perRow);

/** Writes `group`/matrix and `group`/row ([L, 7, G, G] int64) for the sets `safety` and `utility` of `f`. */
void writeSliderSummary(const h5::File &f, const std::string &group, const std::string &safety,
                        const std::string &utility, int layers, JobContext *ctx);

} // namespace alignscope
