// SPDX-License-Identifier: MIT
#include "selection/selection.h"

#include <stdexcept>
#include <string>

namespace alignscope {

std::int64_t fractionCount(double fraction, std::int64_t n)
{
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw std::invalid_argument("a fraction must lie in [0, 1] (got " + std::to_string(fraction) + ")");
    return std::int64_t(double(n) * fraction);
}

namespace {

/** Indices (along the last dim) of the k highest entries: value descending, then index ascending. */
at::Tensor topIndices(const at::Tensor &s, std::int64_t k)
{
    const at::Tensor order = std::get<1>(at::sort(s.to(at::kFloat), /*stable=*/true, /*dim=*/-1, /*descending=*/true));
    return order.narrow(-1, 0, k);
}

at::Tensor rowsToFlat(const at::Tensor &cols, std::int64_t dIn)
{
    const at::Tensor rows = at::arange(cols.size(0), cols.options()).unsqueeze(1) * dIn;
    return std::get<0>(at::sort((cols + rows).reshape({-1})));
}

} // namespace

at::Tensor topFlat(const at::Tensor &score, double fraction)
{
    const at::Tensor flat = score.reshape({-1});
    return std::get<0>(at::sort(topIndices(flat, fractionCount(fraction, flat.numel()))));
}

at::Tensor topPerRow(const at::Tensor &score, double fraction)
{
    return rowsToFlat(topIndices(score, fractionCount(fraction, score.size(1))), score.size(1));
}

at::Tensor rowPruneIndices(const at::Tensor &score, double sparsity, bool topDown)
{
    const std::int64_t k = fractionCount(sparsity, score.size(1));
    const at::Tensor s = topDown ? -score.to(at::kFloat) : score.to(at::kFloat);
    const at::Tensor order = std::get<1>(at::sort(s, /*stable=*/true, /*dim=*/1, /*descending=*/false));
    return rowsToFlat(order.narrow(1, 0, k), score.size(1));
}

namespace {

at::Tensor topSet(const at::Tensor &s, double f, Granularity g)
{
    return g == Granularity::WholeMatrix ? topFlat(s, f) : topPerRow(s, f);
}

at::Tensor membership(const at::Tensor &indices, std::int64_t n)
{
    at::Tensor m = at::zeros({n}, at::TensorOptions().dtype(at::kBool).device(indices.device()));
    m.index_fill_(0, indices, true);
    return m;
}

} // namespace

at::Tensor setDifference(const at::Tensor &safety, const at::Tensor &utility, double p, double q, Granularity g)
{
    if (safety.sizes() != utility.sizes())
        throw std::invalid_argument("[setDifference] safety and utility scores differ in shape");
    const at::Tensor s = topSet(safety, q, g);
    const at::Tensor inU = membership(topSet(utility, p, g), utility.numel());
    return s.masked_select(inU.index_select(0, s).logical_not());
}

Overlap topOverlap(const at::Tensor &a, const at::Tensor &b, double p, Granularity g)
{
    if (a.sizes() != b.sizes())
        throw std::invalid_argument("[topOverlap] the two scores differ in shape");
    const at::Tensor A = topSet(a, p, g), B = topSet(b, p, g);
    Overlap o;
    o.intersection = membership(B, b.numel()).index_select(0, A).sum().item<std::int64_t>();
    o.unionSize = A.numel() + B.numel() - o.intersection;
    return o;
}

double subspaceSimilarity(const at::Tensor &basisS, std::int64_t rS, const at::Tensor &basisU, std::int64_t rU)
{
    if (rS < 1 || rU < 1 || rS > basisS.size(1) || rU > basisU.size(1))
        throw std::invalid_argument("[subspaceSimilarity] ranks out of range");
    const at::Tensor m = at::matmul(basisS.narrow(1, 0, rS).to(at::kDouble).t(), basisU.narrow(1, 0, rU).to(at::kDouble));
    return m.pow(2).sum().item<double>() / double(std::min(rS, rU));
}

std::pair<std::int64_t, std::int64_t> orthogonalDimensions(std::int64_t dOut, std::int64_t dIn, std::int64_t ru,
                                                           std::int64_t rs, bool paperNaming)
{
    const std::int64_t m = std::min(dOut, dIn);
    if (ru < 0 || ru > m || rs < 0 || rs > m)
        throw std::invalid_argument("[orthogonal projection] r_u = " + std::to_string(ru) + " and r_s = " +
                                    std::to_string(rs) + " must lie in [0, " + std::to_string(m) + "]");
    return paperNaming ? std::make_pair(ru, rs) : std::make_pair(m - ru, m - rs);
}

std::int64_t orthogonalRankBound(std::int64_t dOut, std::int64_t dIn, std::int64_t ru, std::int64_t rs, bool paperNaming)
{
    const auto [du, ds] = orthogonalDimensions(dOut, dIn, ru, rs, paperNaming);
    return std::min(dOut - du, ds);
}

at::Tensor orthogonalProjectionDelta(const at::Tensor &weight, const at::Tensor &utilityBasis,
                                     const at::Tensor &safetyBasis, std::int64_t ru, std::int64_t rs, bool paperNaming)
{
    const auto [du, ds] = orthogonalDimensions(weight.size(0), weight.size(1), ru, rs, paperNaming);
    if (utilityBasis.size(0) != weight.size(0) || safetyBasis.size(0) != weight.size(0) ||
        utilityBasis.size(1) < du || safetyBasis.size(1) < ds)
        throw std::invalid_argument("[orthogonal projection] the bases do not fit the matrix and ranks");
    const at::Tensor W = weight.to(at::kDouble);
    const at::Tensor Vs = safetyBasis.narrow(1, 0, ds).to(at::kDouble);
    const at::Tensor Vu = utilityBasis.narrow(1, 0, du).to(at::kDouble);
    const at::Tensor psW = at::matmul(Vs, at::matmul(Vs.t(), W));     // Π_s W
    return psW - at::matmul(Vu, at::matmul(Vu.t(), psW));             // (I − Π_u) Π_s W
}

std::int64_t numericalRank(const at::Tensor &m, double scale, double eps)
{
    if (m.numel() == 0)
        return 0;
    const at::Tensor s = at::linalg_svdvals(m.to(at::kDouble));
    const double top = std::max(s.max().item<double>(), scale);
    if (top <= 0)
        return 0;
    const double tol = double(std::max(m.size(0), m.size(1))) * eps * top;
    return (s > tol).sum().item<std::int64_t>();
}

} // namespace alignscope
