// SPDX-License-Identifier: MIT
#include "store/summary.h"

#include "alignscope/fraction_grid.h"
#include "alignscope/jobs.h"
#include "selection/selection.h"
#include "store/layout.h"

namespace alignscope {

namespace {

/** The smallest grid index g with rank < ⌊grid[g]·n⌋, for every rank. */
at::Tensor buckets(const at::Tensor &ranks, std::int64_t n)
{
    const auto &grid = fractionGrid();
    std::vector<std::int64_t> t;
    for (double f : grid)
        t.push_back(fractionCount(f, n));
    const at::Tensor thresholds = at::tensor(t, at::kLong);
    return at::searchsorted(thresholds, ranks, /*out_int32=*/false, /*right=*/true);
}

/** 0-based rank of each entry along `dim` (score descending, then index ascending). */
at::Tensor ranksAlong(const at::Tensor &s, int dim)
{
    const at::Tensor order = std::get<1>(at::sort(s, /*stable=*/true, dim, /*descending=*/true));
    const std::int64_t n = s.size(dim);
    at::Tensor positions = at::arange(n, at::kLong);
    if (s.dim() == 2)
        positions = positions.unsqueeze(0).expand_as(order).contiguous();
    return at::empty_like(order).scatter_(dim, order, positions);
}

at::Tensor readMatrix(const h5::File &f, const std::string &path)
{
    auto v = f.readF32(path);
    const auto d = f.dims(path);
    return at::from_blob(v.data(), {d.at(0), d.at(1)}, at::kFloat).clone();
}

} // namespace

at::Tensor cumulativeJointHistogram(const at::Tensor &safety, const at::Tensor &utility, bool perRow)
{
    const std::int64_t G = std::int64_t(fractionGrid().size());
    at::Tensor bs, bu;
    if (perRow) {
        bs = buckets(ranksAlong(safety.to(at::kFloat), 1), safety.size(1));
        bu = buckets(ranksAlong(utility.to(at::kFloat), 1), utility.size(1));
    } else {
        const std::int64_t n = safety.numel();
        bs = buckets(ranksAlong(safety.reshape({-1}).to(at::kFloat), 0), n);
        bu = buckets(ranksAlong(utility.reshape({-1}).to(at::kFloat), 0), n);
    }
    const at::Tensor joint = at::bincount((bs * G + bu).reshape({-1}), {}, G * G).reshape({G, G});
    return joint.cumsum(0).cumsum(1);
}

void writeSliderSummary(const h5::File &f, const std::string &group, const std::string &safety,
                        const std::string &utility, int layers, JobContext *ctx)
{
    const std::int64_t G = std::int64_t(fractionGrid().size());
    at::Tensor whole = at::zeros({layers, kMatricesPerLayer, G, G}, at::kLong);
    at::Tensor row = at::zeros({layers, kMatricesPerLayer, G, G}, at::kLong);
    for (int l = 0; l < layers; ++l) {
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            if (ctx)
                ctx->checkCancelled();
            const at::Tensor s = readMatrix(f, layout::matrixPath(safety, l, Matrix(m)));
            const at::Tensor u = readMatrix(f, layout::matrixPath(utility, l, Matrix(m)));
            if (s.sizes() != u.sizes())
                throw StoreError(f.path() + ": sets " + safety + " and " + utility + " differ in shape at " +
                                 layout::layerName(l) + "/" + std::string(matrixName(Matrix(m))));
            whole[l][m].copy_(cumulativeJointHistogram(s, u, false));
            row[l][m].copy_(cumulativeJointHistogram(s, u, true));
        }
        if (ctx)
            ctx->report(l + 1, layers, "slider summary " + safety + " vs " + utility);
    }
    f.createGroups(group);
    f.setAttr(group, "safety", safety);
    f.setAttr(group, "utility", utility);
    const std::vector<std::int64_t> dims = {layers, kMatricesPerLayer, G, G};
    // uncompressed: the first slider query reads one of them whole (4.3 MB for a 7B model), and
    // inflating it took longer than the 5 ms a slider may take
    f.write(group + "/matrix", dims, h5::Type::I64, whole.contiguous().data_ptr(), false);
    f.write(group + "/row", dims, h5::Type::I64, row.contiguous().data_ptr(), false);
}

} // namespace alignscope
