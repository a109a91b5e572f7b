// SPDX-License-Identifier: MIT
#include "storesession.h"

#include "alignscope/fraction_grid.h"
#include "alignscope/matrices.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace alignscope::ui {

namespace {
double gridValue(double fraction) { return snapToGrid(fraction); }
}

StoreSession::StoreSession(const std::string &path) : m_store(Store::open(path))
{
    const auto pairs = m_store->summaryPairs();
    m_pairs.assign(pairs.begin(), pairs.end());
    try {  // a broken sweep leaves the scores usable
        for (const std::string &name : sweepNames(m_store->path())) {
            SweepTable t = readSweep(m_store->path(), name);
            if (t.hasColumn("actual_sparsity"))
                m_sweeps.push_back(std::move(t));
        }
    } catch (const std::exception &e) {
        m_sweepError = QString::fromStdString(e.what());
    }
}

QString StoreSession::noBasesText()
{
    return tr("The store has no ActSVD bases: compute ActSVD for the safety and the utility set");
}

StoreSession::Answer StoreSession::answer(int pair, const SliderValues &v) const
{
    const Pair &names = m_pairs.at(size_t(pair));
    const int pi = gridPosition(v.p), qi = gridPosition(v.q);
    Answer a;
    a.slider = m_store->query(names.first, names.second, pi, qi, Granularity::WholeMatrix);
    OverlapSpec spec;
    spec.safety = names.first;
    spec.utility = names.second;
    spec.p = fractionGrid()[size_t(pi)];
    a.overlap = reportOverlap(*m_store, spec);  // from the summaries: p is a grid value
    return a;
}

SelectionSpec StoreSession::setDifference(int pair, const SliderValues &v) const
{
    SelectionSpec spec;
    spec.safety = m_pairs.at(size_t(pair)).first;
    spec.utility = m_pairs.at(size_t(pair)).second;
    spec.p = gridValue(v.p);
    spec.q = gridValue(v.q);
    return spec;
}

SelectionSpec StoreSession::selection(int pair, const SliderValues &v) const
{
    SelectionSpec spec;
    switch (v.kind) {
    case EditKind::SetDifference:
        return setDifference(pair, v);
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp:
        spec.kind = SelectionKind::RowPrune;
        spec.scores = m_pairs.at(size_t(pair)).first;
        spec.sparsity = std::min(v.s, 0.999);
        spec.topDown = v.kind == EditKind::PruneTopDown;
        break;
    case EditKind::Orthogonal: {
        const auto [safety, utility] = basisPair(v);
        if (safety.empty())
            throw std::invalid_argument(tr("The store has no ActSVD bases for the projection: compute ActSVD for the "
                                           "safety and the utility set").toStdString());
        spec.kind = SelectionKind::Orthogonal;
        spec.safetyBasis = safety;
        spec.utilityBasis = utility;
        spec.ru = v.ru;
        spec.rs = v.rs;
        break;
    }
    }
    return spec;
}

StoreSession::Pair StoreSession::basisPair(const SliderValues &v) const
{
    std::string safety, utility;
    for (const ScoreSetInfo &i : m_store->sets()) {  // one-shot bases first, then a sequential pair made for (r_u, r_s)
        if (!i.isBasis() || i.settings.mode != ScoreMode::OneShot)
            continue;
        std::string &slot = i.role == "safety" ? safety : utility;
        if (slot.empty())
            slot = i.name;
    }
    if (!safety.empty() && !utility.empty())
        return {safety, utility};
    for (const ScoreSetInfo &i : m_store->sets())
        if (i.isBasis() && i.settings.orthogonal && i.role == "safety" && i.settings.ru == v.ru && i.settings.rs == v.rs &&
            !i.settings.paperRanks && !i.partner.empty())
            return {i.name, i.partner};
    return {};
}

StoreSession::PendingRead StoreSession::subspaceRead(const SliderValues &v) const
{
    PendingRead r;
    const auto [safety, utility] = basisPair(v);
    if (safety.empty())
        return r;
    std::int64_t m = 0;
    for (const MatrixShape &sh : m_store->shapes())
        m = std::max(m, std::min(sh.rows, sh.cols));
    r.kind = PendingRead::Kind::Subspace;
    r.safety = safety;
    r.utility = utility;
    r.rs = std::max<std::int64_t>(1, m - v.rs);
    r.ru = std::max<std::int64_t>(1, m - v.ru);
    return r;
}

const OverlapReport *StoreSession::subspaceReport(const SliderValues &v, QString &label, PendingRead *pending) const
{
    const PendingRead r = subspaceRead(v);
    if (pending)
        *pending = {};
    if (r.kind == PendingRead::Kind::None)
        return nullptr;
    label = tr("Subspace similarity: top %1 safety vs top %2 utility directions").arg(r.rs).arg(r.ru);
    // it reads every basis of both sets: once per (sets, ranks), on the I/O lane
    const auto it = m_subspace.find(std::make_tuple(r.safety, r.utility, r.rs, r.ru));
    if (it == m_subspace.end()) {
        if (pending)
            *pending = r;
        return nullptr;
    }
    return &it->second;
}

StoreSession::ReadResult StoreSession::read(const std::string &path, const PendingRead &what)
{
    ReadResult out;
    const auto store = Store::open(path);
    if (what.kind == PendingRead::Kind::MeanScores) {
        out.meanScores = meanScores(*store, what.safety);
    } else if (what.kind == PendingRead::Kind::Subspace) {
        OverlapSpec spec;
        spec.safetyBasis = what.safety;
        spec.utilityBasis = what.utility;
        spec.rs = what.rs;
        spec.ru = what.ru;
        out.subspace = reportOverlap(*store, spec);
    }
    return out;
}

void StoreSession::put(const PendingRead &what, ReadResult result)
{
    if (what.kind == PendingRead::Kind::MeanScores)
        m_meanScores[what.safety] = std::move(result.meanScores);
    else if (what.kind == PendingRead::Kind::Subspace)
        m_subspace[std::make_tuple(what.safety, what.utility, what.rs, what.ru)] = std::move(result.subspace);
}

void StoreSession::setRemovedRanks(int ru, int rs, const SelectionReport &report)
{
    m_removedRanks = QVector<QVector<double>>(report.layers, QVector<double>(kMatricesPerLayer));
    for (int l = 0; l < report.layers; ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m)
            m_removedRanks[l][m] = double(report.removed[size_t(l * kMatricesPerLayer + m)]);
    m_removedRanksAt = {ru, rs};
}

const QVector<QVector<double>> *StoreSession::removedRanks(int ru, int rs) const
{
    return m_removedRanksAt == std::make_pair(ru, rs) && !m_removedRanks.isEmpty() ? &m_removedRanks : nullptr;
}

double StoreSession::removedFraction(int pair, const SliderValues &v, const Answer &answer, QString &text) const
{
    text.clear();
    switch (v.kind) {
    case EditKind::SetDifference:
        return answer.slider.actualSparsity();
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp:
        return reportSelection(*m_store, selection(pair, v)).fraction();
    case EditKind::Orthogonal:
        break;
    }
    const QVector<QVector<double>> *exact = removedRanks(v.ru, v.rs);
    std::int64_t removed = 0, bound = 0, full = 0;
    for (int l = 0; l < m_store->numLayers(); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const MatrixShape &sh = m_store->shapes()[size_t(m)];
            full += std::min(sh.rows, sh.cols);
            bound += orthogonalRankBound(sh.rows, sh.cols, v.ru, v.rs, false);
            if (exact)
                removed += std::int64_t((*exact)[l][m]);
        }
    text = exact ? tr("%1 of %2 ranks (%3)").arg(removed).arg(full).arg(percentText(double(removed) / double(full)))
                 : tr("at most %1 of %2 ranks (the §7 bound; exact once evaluated)").arg(bound).arg(full);
    return std::numeric_limits<double>::quiet_NaN();
}

bool StoreSession::layerMapValues(int pair, const SliderValues &v, MapQuantity quantity, const Answer &answer,
                                  QVector<QVector<double>> &values, QString &label, QString &scale, QString &why,
                                  PendingRead *pending) const
{
    if (pending)
        *pending = {};
    const int L = m_store->numLayers();
    const auto &shapes = m_store->shapes();
    const double p = gridValue(v.p), q = gridValue(v.q);
    values = QVector<QVector<double>>(L, QVector<double>(kMatricesPerLayer));
    auto fill = [&](const std::function<double(int, int)> &f) {
        for (int l = 0; l < L; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m)
                values[l][m] = f(l, m);
    };
    const QString noBases = noBasesText();
    try {
        switch (quantity) {
        case MapQuantity::Removed:
            switch (v.kind) {
            case EditKind::SetDifference:
                fill([&](int l, int m) {
                    const SliderCell &c = answer.slider.cells[size_t(l * kMatricesPerLayer + m)];
                    return c.numel ? double(c.removed) / double(c.numel) : 0.0;
                });
                label = tr("Removed at p = %1, q = %2 (fraction of the matrix)").arg(percentText(p), percentText(q));
                scale = tr("Fraction removed");
                return true;
            case EditKind::PruneTopDown:
            case EditKind::PruneBottomUp: {
                const SelectionReport r = reportSelection(*m_store, selection(pair, v));
                fill([&](int l, int m) {
                    const size_t i = size_t(l * kMatricesPerLayer + m);
                    return double(r.removed[i]) / double(r.capacity[i]);
                });
                label = tr("Pruned per row at s = %1 (fraction of the matrix)").arg(percentText(v.s));
                scale = tr("Fraction removed");
                return true;
            }
            case EditKind::Orthogonal: {
                if (basisPair(v).first.empty()) {
                    why = noBases;
                    return false;
                }
                const QVector<QVector<double>> *exact = removedRanks(v.ru, v.rs);
                fill([&](int l, int m) {
                    const MatrixShape &sh = shapes[size_t(m)];
                    const double full = double(std::min(sh.rows, sh.cols));
                    return (exact ? (*exact)[l][m] : double(orthogonalRankBound(sh.rows, sh.cols, v.ru, v.rs, false))) / full;
                });
                scale = tr("Fraction of the rank removed");
                label = exact ? tr("Ranks removed at r_u = %1, r_s = %2 (fraction of the full rank)").arg(v.ru).arg(v.rs)
                              : tr("Bound on the ranks removed at r_u = %1, r_s = %2 (fraction; exact once evaluated)")
                                    .arg(v.ru)
                                    .arg(v.rs);
                return true;
            }
            }
            break;
        case MapQuantity::Jaccard:
            fill([&](int l, int m) { return answer.overlap.jaccard[size_t(l * kMatricesPerLayer + m)]; });
            label = tr("Jaccard index of the top %1 (safety vs utility)").arg(percentText(p));
            scale = tr("Jaccard index");
            return true;
        case MapQuantity::MeanScore: {
            const std::string &set = m_pairs.at(size_t(pair)).first;
            const auto it = m_meanScores.find(set);
            if (it == m_meanScores.end()) {  // every score of the set: read once, on the I/O lane
                why = tr("Reading the scores of %1…").arg(QString::fromStdString(set));
                if (pending)
                    *pending = PendingRead{PendingRead::Kind::MeanScores, set, {}, 0, 0};
                return false;
            }
            fill([&](int l, int m) {
                const double mean = it->second[size_t(l * kMatricesPerLayer + m)];
                return mean > 0 ? std::log10(mean) : std::numeric_limits<double>::quiet_NaN();
            });
            label = tr("log10 of the mean safety score (%1)").arg(QString::fromStdString(set));
            scale = tr("log10 mean safety score");
            return true;
        }
        case MapQuantity::Subspace: {
            PendingRead read;
            const OverlapReport *sub = subspaceReport(v, label, &read);
            if (!sub) {
                why = read.kind == PendingRead::Kind::None ? noBases : tr("Reading the ActSVD bases…");
                if (pending)
                    *pending = read;
                return false;
            }
            scale = tr("Subspace similarity");
            fill([&](int l, int k) { return sub->subspace[size_t(l * kMatricesPerLayer + k)]; });
            return true;
        }
        }
    } catch (const std::exception &e) {
        why = QString::fromStdString(e.what());
    }
    return false;
}

} // namespace alignscope::ui
