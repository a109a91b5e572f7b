// SPDX-License-Identifier: MIT
#include "alignscope/analysis.h"

#include "alignscope/fraction_grid.h"
#include "alignscope/model.h"
#include "model/impl.h"
#include "selection/selection.h"

#include <cmath>
#include <stdexcept>

namespace alignscope {

std::pair<std::int64_t, std::int64_t> SelectionReport::layerTotals(int layer) const
{
    std::int64_t r = 0, c = 0;
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        r += removed[size_t(layer * kMatricesPerLayer + m)];
        c += capacity[size_t(layer * kMatricesPerLayer + m)];
    }
    return {r, c};
}

namespace {

/** Index of `f` in the fraction grid, or -1 when it is not a grid value. */
int gridIndex(double f)
{
    const int i = nearestFractionIndex(f);
    return std::abs(fractionGrid()[size_t(i)] - f) <= 1e-12 * f ? i : -1;
}

at::Tensor scoreTensor(const Store &s, const std::string &set, int l, Matrix m)
{
    std::vector<float> v = s.scores(set, l, m);
    const MatrixShape &sh = s.shapes()[size_t(m)];
    return at::from_blob(v.data(), {sh.rows, sh.cols}, at::kFloat).clone();
}

at::Tensor basisTensor(const Store &s, const std::string &set, int l, Matrix m)
{
    Store::Basis b = s.basis(set, l, m);
    return at::from_blob(b.vectors.data(), {b.rows, b.columns}, at::kFloat).clone();
}

void requireRole(const Store &s, const std::string &set, const char *role)
{
    if (s.set(set).role != role)
        throw std::invalid_argument("set \"" + set + "\" has the role " + s.set(set).role + ", not " + role);
}

/**
 * A sequential set's later layers were computed on a model modified by its own settings, so it only
 * describes that modification: refuse to apply it with other settings (spec §3.3, §6.3, §7).
 */
void requireSequentialMatch(const Store &store, const SelectionSpec &spec)
{
    auto refuse = [](const std::string &set, const std::string &what) {
        throw std::invalid_argument("set \"" + set + "\" was computed sequentially (" + what +
                                    "); its later layers describe only that modification. Apply it with the same "
                                    "settings, or use a one-shot set.");
    };
    auto isSequential = [&](const std::string &set) { return store.set(set).settings.mode == ScoreMode::Sequential; };
    switch (spec.kind) {
    case SelectionKind::SetDifference: return;
    case SelectionKind::RowPrune: {
        const ScoreSettings &s = store.set(spec.scores).settings;
        if (isSequential(spec.scores) && (s.sparsity != spec.sparsity || s.topDown != spec.topDown))
            refuse(spec.scores, "pruned per row at sparsity " + std::to_string(s.sparsity) +
                                    (s.topDown ? ", top-down" : ", bottom-up"));
        return;
    }
    case SelectionKind::ActSvd: {
        const ScoreSettings &s = store.set(spec.basis).settings;
        if (!isSequential(spec.basis))
            return;
        if (s.orthogonal)
            refuse(spec.basis, "for the orthogonal projection with r_u " + std::to_string(s.ru) + ", r_s " +
                                   std::to_string(s.rs));
        if (s.rank != spec.rank || s.removeTop != spec.removeTop)
            refuse(spec.basis, "rank " + std::to_string(s.rank) + (s.removeTop ? " removed from the top" : " from the bottom"));
        return;
    }
    case SelectionKind::Orthogonal:
        for (const std::string &b : {spec.safetyBasis, spec.utilityBasis}) {
            const ScoreSetInfo &i = store.set(b);
            if (i.settings.mode != ScoreMode::Sequential)
                continue;
            if (!i.settings.orthogonal)
                refuse(b, "with rank " + std::to_string(i.settings.rank) + " removed");
            const std::string other = b == spec.safetyBasis ? spec.utilityBasis : spec.safetyBasis;
            const ScoreSettings &s = i.settings;
            if (i.partner != other || s.ru != spec.ru || s.rs != spec.rs || s.paperRanks != spec.paperNaming)
                refuse(b, "for the orthogonal projection with r_u " + std::to_string(s.ru) + ", r_s " +
                              std::to_string(s.rs) + (s.paperRanks ? " (paper naming)" : "") + " and the set \"" +
                              i.partner + "\"");
        }
        return;
    }
}

} // namespace

SelectionReport reportSelection(const Store &store, const SelectionSpec &spec, const std::string &modelDir)
{
    SelectionReport r;
    r.layers = store.numLayers();
    const auto &shapes = store.shapes();
    const size_t cells = size_t(r.layers) * kMatricesPerLayer;
    requireSequentialMatch(store, spec);
    r.removed.assign(cells, 0);
    r.capacity.assign(cells, 0);
    switch (spec.kind) {
    case SelectionKind::SetDifference: {
        requireRole(store, spec.safety, "safety");
        requireRole(store, spec.utility, "utility");
        fractionCount(spec.p, 1);  // validates both fractions
        fractionCount(spec.q, 1);
        const int pi = gridIndex(spec.p), qi = gridIndex(spec.q);
        bool haveSummary = false;
        for (const auto &[s, u] : store.summaryPairs())
            haveSummary |= s == spec.safety && u == spec.utility;
        if (pi >= 0 && qi >= 0 && haveSummary) {
            const SliderAnswer a = store.query(spec.safety, spec.utility, pi, qi, spec.granularity);
            for (size_t i = 0; i < cells; ++i) {
                r.removed[i] = a.cells[i].removed;
                r.capacity[i] = a.cells[i].numel;
            }
            r.fromSummaries = true;
        } else {
            for (int l = 0; l < r.layers; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    const size_t i = size_t(l * kMatricesPerLayer + m);
                    r.removed[i] = setDifference(scoreTensor(store, spec.safety, l, Matrix(m)),
                                                 scoreTensor(store, spec.utility, l, Matrix(m)), spec.p, spec.q,
                                                 spec.granularity)
                                       .numel();
                    r.capacity[i] = shapes[size_t(m)].numel();
                }
        }
        break;
    }
    case SelectionKind::RowPrune: {
        store.set(spec.scores);  // must exist
        if (!(spec.sparsity >= 0 && spec.sparsity < 1))
            throw std::invalid_argument("the sparsity must lie in [0, 1)");
        for (int l = 0; l < r.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const MatrixShape &sh = shapes[size_t(m)];
                const size_t i = size_t(l * kMatricesPerLayer + m);
                r.removed[i] = sh.rows * fractionCount(spec.sparsity, sh.cols);
                r.capacity[i] = sh.numel();
            }
        break;
    }
    case SelectionKind::ActSvd: {
        if (!store.set(spec.basis).isBasis())
            throw std::invalid_argument("set \"" + spec.basis + "\" holds scores, not ActSVD bases");
        r.ranks = true;
        for (int l = 0; l < r.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const MatrixShape &sh = shapes[size_t(m)];
                const std::int64_t full = std::min(sh.rows, sh.cols);
                if (spec.rank < 0 || spec.rank > full)
                    throw std::invalid_argument("rank " + std::to_string(spec.rank) + " outside [0, " +
                                                std::to_string(full) + "] for " + std::string(matrixName(Matrix(m))));
                const size_t i = size_t(l * kMatricesPerLayer + m);
                r.removed[i] = spec.rank;
                r.capacity[i] = full;
            }
        break;
    }
    case SelectionKind::Orthogonal: {
        for (const std::string &b : {spec.safetyBasis, spec.utilityBasis})
            if (!store.set(b).isBasis())
                throw std::invalid_argument("set \"" + b + "\" holds scores, not ActSVD bases");
        requireRole(store, spec.safetyBasis, "safety");
        requireRole(store, spec.utilityBasis, "utility");
        const std::string dir = modelDir.empty() ? store.modelDir() : modelDir;
        if (computeModelFingerprint(dir) != store.modelFingerprint())
            throw StoreError(dir + " is not the model of the store " + store.path() + " (fingerprints differ)");
        auto model = Model::load(dir);
        const LlamaModel &llama = *model->impl().llama;
        r.ranks = true;
        r.bound.assign(cells, 0);
        for (int l = 0; l < r.layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const MatrixShape &sh = shapes[size_t(m)];
                const size_t i = size_t(l * kMatricesPerLayer + m);
                const at::Tensor W = llama.layer(l).w[m].to(at::kDouble);
                const at::Tensor d = orthogonalProjectionDelta(W, basisTensor(store, spec.utilityBasis, l, Matrix(m)),
                                                               basisTensor(store, spec.safetyBasis, l, Matrix(m)),
                                                               spec.ru, spec.rs, spec.paperNaming);
                r.removed[i] = numericalRank(d, W.norm().item<double>(), 1.1920929e-07);  // the bases are stored in fp32
                r.capacity[i] = std::min(sh.rows, sh.cols);
                r.bound[i] = orthogonalRankBound(sh.rows, sh.cols, spec.ru, spec.rs, spec.paperNaming);
            }
        break;
    }
    }
    for (size_t i = 0; i < cells; ++i) {
        r.removedTotal += r.removed[i];
        r.capacityTotal += r.capacity[i];
    }
    return r;
}

std::vector<double> meanScores(const Store &store, const std::string &set)
{
    if (store.set(set).isBasis())
        throw std::invalid_argument("set \"" + set + "\" holds ActSVD bases, not scores");
    std::vector<double> out;
    for (int l = 0; l < store.numLayers(); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const std::vector<float> v = store.scores(set, l, Matrix(m));
            double sum = 0;  // in double: 45 M fp32 terms for a 7B MLP matrix
            for (float x : v)
                sum += double(x);
            out.push_back(v.empty() ? 0.0 : sum / double(v.size()));
        }
    return out;
}

OverlapReport reportOverlap(const Store &store, const OverlapSpec &spec)
{
    OverlapReport o;
    o.layers = store.numLayers();
    const int L = o.layers;
    const size_t cells = size_t(L) * kMatricesPerLayer;
    if (!spec.safety.empty() || !spec.utility.empty()) {
        requireRole(store, spec.safety, "safety");
        requireRole(store, spec.utility, "utility");
        fractionCount(spec.p, 1);
        o.hasJaccard = true;
        o.jaccard.assign(cells, 0);
        o.jaccardAttention.assign(size_t(L), 0);
        o.jaccardMlp.assign(size_t(L), 0);
        std::vector<std::int64_t> inter(cells), uni(cells);
        const int pi = gridIndex(spec.p);
        bool haveSummary = false;
        for (const auto &[s, u] : store.summaryPairs())
            haveSummary |= s == spec.safety && u == spec.utility;
        if (pi >= 0 && haveSummary) {
            const SliderAnswer a = store.query(spec.safety, spec.utility, pi, pi, spec.granularity);
            const auto &shapes = store.shapes();
            for (size_t i = 0; i < cells; ++i) {
                const MatrixShape &sh = shapes[i % kMatricesPerLayer];
                const std::int64_t top = spec.granularity == Granularity::WholeMatrix
                                             ? fractionCount(spec.p, sh.numel())
                                             : sh.rows * fractionCount(spec.p, sh.cols);
                inter[i] = a.cells[i].intersection;
                uni[i] = 2 * top - inter[i];
            }
            o.fromSummaries = true;
        } else {
            for (int l = 0; l < L; ++l)
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    const Overlap ov = topOverlap(scoreTensor(store, spec.safety, l, Matrix(m)),
                                                  scoreTensor(store, spec.utility, l, Matrix(m)), spec.p, spec.granularity);
                    inter[size_t(l * kMatricesPerLayer + m)] = ov.intersection;
                    uni[size_t(l * kMatricesPerLayer + m)] = ov.unionSize;
                }
        }
        std::int64_t ai = 0, au = 0, mi = 0, mu = 0;
        for (int l = 0; l < L; ++l) {
            std::int64_t li[2] = {0, 0}, lu[2] = {0, 0};
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const size_t i = size_t(l * kMatricesPerLayer + m);
                o.jaccard[i] = uni[i] ? double(inter[i]) / double(uni[i]) : 0.0;
                li[isMlp(Matrix(m))] += inter[i];
                lu[isMlp(Matrix(m))] += uni[i];
            }
            o.jaccardAttention[size_t(l)] = lu[0] ? double(li[0]) / double(lu[0]) : 0.0;
            o.jaccardMlp[size_t(l)] = lu[1] ? double(li[1]) / double(lu[1]) : 0.0;
            ai += li[0];
            au += lu[0];
            mi += li[1];
            mu += lu[1];
        }
        o.jaccardAttentionAll = au ? double(ai) / double(au) : 0.0;
        o.jaccardMlpAll = mu ? double(mi) / double(mu) : 0.0;
    }
    if (!spec.safetyBasis.empty() || !spec.utilityBasis.empty()) {
        for (const std::string &b : {spec.safetyBasis, spec.utilityBasis})
            if (!store.set(b).isBasis())
                throw std::invalid_argument("set \"" + b + "\" holds scores, not ActSVD bases");
        requireRole(store, spec.safetyBasis, "safety");
        requireRole(store, spec.utilityBasis, "utility");
        o.hasSubspace = true;
        o.subspace.assign(cells, 0);
        o.subspaceAttention.assign(size_t(L), 0);
        o.subspaceMlp.assign(size_t(L), 0);
        for (int l = 0; l < L; ++l) {
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const double phi = subspaceSimilarity(basisTensor(store, spec.safetyBasis, l, Matrix(m)), spec.rs,
                                                      basisTensor(store, spec.utilityBasis, l, Matrix(m)), spec.ru);
                o.subspace[size_t(l * kMatricesPerLayer + m)] = phi;
                (isMlp(Matrix(m)) ? o.subspaceMlp : o.subspaceAttention)[size_t(l)] += phi / (isMlp(Matrix(m)) ? 3 : 4);
            }
            o.subspaceAttentionAll += o.subspaceAttention[size_t(l)] / L;
            o.subspaceMlpAll += o.subspaceMlp[size_t(l)] / L;
        }
    }
    if (!o.hasJaccard && !o.hasSubspace)
        throw std::invalid_argument("nothing to compare: give score sets (safety, utility) and/or basis sets");
    return o;
}

MatrixDetail matrixDetail(const Store &store, const SelectionSpec &spec, int layer, Matrix matrix, int maxBlocks, int bins)
{
    if (spec.kind != SelectionKind::SetDifference)
        throw std::invalid_argument("the matrix view shows a set difference");
    if (layer < 0 || layer >= store.numLayers())
        throw std::invalid_argument("layer " + std::to_string(layer) + " outside [0, " + std::to_string(store.numLayers()) + ")");
    if (maxBlocks < 1 || bins < 1)
        throw std::invalid_argument("the matrix view needs at least one block and one bin");
    requireRole(store, spec.safety, "safety");
    requireRole(store, spec.utility, "utility");
    MatrixDetail d;
    d.layer = layer;
    d.matrix = matrix;
    const MatrixShape &sh = store.shapes()[size_t(matrix)];
    d.rows = sh.rows;
    d.cols = sh.cols;
    const at::Tensor S = scoreTensor(store, spec.safety, layer, matrix), U = scoreTensor(store, spec.utility, layer, matrix);
    const at::Tensor removed = setDifference(S, U, spec.p, spec.q, spec.granularity);
    d.removed = removed.numel();
    d.blockRows = int(std::min<std::int64_t>(maxBlocks, sh.rows));
    d.blockCols = int(std::min<std::int64_t>(maxBlocks, sh.cols));
    // entry (i, j) falls in block (i·br / rows, j·bc / cols): near-equal blocks
    const at::Tensor r = removed.div(sh.cols, "floor"), c = removed.remainder(sh.cols);
    const at::Tensor block = r.mul(d.blockRows).div(sh.rows, "floor") * d.blockCols + c.mul(d.blockCols).div(sh.cols, "floor");
    const at::Tensor counts = at::bincount(block, {}, std::int64_t(d.blockRows) * d.blockCols).to(at::kDouble);
    // entries per block
    const at::Tensor rowsPer = at::bincount(at::arange(sh.rows, at::kLong).mul(d.blockRows).div(sh.rows, "floor"), {}, d.blockRows);
    const at::Tensor colsPer = at::bincount(at::arange(sh.cols, at::kLong).mul(d.blockCols).div(sh.cols, "floor"), {}, d.blockCols);
    const at::Tensor sizes = at::outer(rowsPer, colsPer).reshape({-1}).to(at::kDouble);
    const at::Tensor frac = (counts / sizes).contiguous();
    d.removedFraction.assign(frac.data_ptr<double>(), frac.data_ptr<double>() + frac.numel());
    // histograms over the common range of log10 of the positive scores
    const at::Tensor sPos = S.reshape({-1}).masked_select(S.reshape({-1}) > 0).to(at::kDouble).log10();
    const at::Tensor uPos = U.reshape({-1}).masked_select(U.reshape({-1}) > 0).to(at::kDouble).log10();
    d.safetyZeros = S.numel() - sPos.numel();
    d.utilityZeros = U.numel() - uPos.numel();
    double lo = 0, hi = 1;
    if (sPos.numel() + uPos.numel() > 0) {
        const at::Tensor all = at::cat({sPos, uPos});
        lo = all.min().item<double>();
        hi = all.max().item<double>();
        if (hi <= lo)
            hi = lo + 1;
    }
    for (int b = 0; b <= bins; ++b)
        d.binEdges.push_back(lo + (hi - lo) * double(b) / double(bins));
    auto histogram = [&](const at::Tensor &x) {
        std::vector<std::int64_t> h(size_t(bins), 0);
        if (x.numel() == 0)
            return h;
        const at::Tensor idx = ((x - lo) / (hi - lo) * bins).floor().clamp(0, bins - 1).to(at::kLong);
        const at::Tensor n = at::bincount(idx, {}, bins).contiguous();
        std::copy(n.data_ptr<std::int64_t>(), n.data_ptr<std::int64_t>() + bins, h.begin());
        return h;
    };
    d.safetyHistogram = histogram(sPos);
    d.utilityHistogram = histogram(uPos);
    return d;
}

} // namespace alignscope
