// SPDX-License-Identifier: MIT
// An attribution sink that keeps nothing: benchmarks time the attribution alone.
#pragma once
#include "attribution/attribution.h"

namespace alignscope {

struct NullSink : AttributionSink {
    at::Tensor score(int, Matrix, const at::Tensor &s) override { return s; }
    at::Tensor basis(int, Matrix, const at::Tensor &, const at::Tensor &e) override { return e; }
    void layerDone(int) override {}
    at::Tensor storedScore(int, Matrix) override { return {}; }
    at::Tensor storedBasis(int, Matrix) override { return {}; }
};

} // namespace alignscope
