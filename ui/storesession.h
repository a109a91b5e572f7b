// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "selection.h"

#include <QCoreApplication>
#include <QString>
#include <QVector>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace alignscope::ui {

/**
 * An open store and what the views ask of it at the controls' positions: its (safety, utility) score
 * pairs and sweeps, the edit the controls select, the layer map's values, the overlap at p and the
 * subspace similarity of a projection. Keeps the answers that read scores or bases (mean scores,
 * subspace reports) and the exact ranks that the last projection evaluated removed. Widget-free: the
 * main window draws what it answers.
 */
class StoreSession {
    Q_DECLARE_TR_FUNCTIONS(StoreSession)
public:
    using Pair = std::pair<std::string, std::string>;  ///< (safety, utility) set names

    /** Opens the store at `path` read-only and reads its sweeps (see sweepError()). Throws StoreError naming the file. */
    explicit StoreSession(const std::string &path);

    const Store &store() const { return *m_store; }
    /** The score pairs with slider summaries, in the store's order. */
    const std::vector<Pair> &pairs() const { return m_pairs; }
    bool hasPair(int pair) const { return pair >= 0 && pair < int(m_pairs.size()); }
    /** The store's sweeps of edits that have an actual-sparsity column (the tradeoff view's). */
    const std::vector<SweepTable> &sweeps() const { return m_sweeps; }
    /** Why the sweeps could not all be read (the file and the problem), or empty. */
    const QString &sweepError() const { return m_sweepError; }

    /** The slider summaries' answer at the controls' grid (p, q) and the Jaccard indices of the top p. */
    struct Answer {
        SliderAnswer slider;
        OverlapReport overlap;
    };
    Answer answer(int pair, const SliderValues &v) const;

    /** The controls' edit with the sets of `pair` (p, q snapped to the grid). Throws std::invalid_argument
     *  naming what the store lacks (e.g. no ActSVD bases for a projection). */
    SelectionSpec selection(int pair, const SliderValues &v) const;
    /** The set difference of `pair` at the controls' grid (p, q), whatever edit they select (the matrix view's). */
    SelectionSpec setDifference(int pair, const SliderValues &v) const;
    /** The (safety, utility) ActSVD basis sets for a projection at the controls' r_u, r_s, or empty. */
    Pair basisPair(const SliderValues &v) const;
    /**
     * What must be read from the store (every score of a set, every basis of two sets) before a layer
     * map or overlap can be drawn: too slow for the GUI thread, so the workspace reads it on its I/O lane
     * (read()) and hands it back (put()).
     */
    struct PendingRead {
        enum class Kind { None, MeanScores, Subspace } kind = Kind::None;
        std::string safety, utility;    ///< the score set (mean scores) or the two basis sets
        std::int64_t rs = 0, ru = 0;    ///< subspace dimensions
        bool operator==(const PendingRead &o) const
        {
            return kind == o.kind && safety == o.safety && utility == o.utility && rs == o.rs && ru == o.ru;
        }
    };
    /** What a read found: mean scores per matrix, or the subspace report. */
    struct ReadResult {
        std::vector<double> meanScores;
        OverlapReport subspace;
    };
    /** Reads `what` from the store at `path` (any thread; opens its own handle). Throws StoreError. */
    static ReadResult read(const std::string &path, const PendingRead &what);
    /** Keeps what read() found. */
    void put(const PendingRead &what, ReadResult result);

    /** The subspace similarity of the projection's two subspaces at r_u, r_s, or nullptr: without ActSVD
     *  bases (`pending` None) or before it was read (`pending` says what to read); `label` names the subspaces. */
    const OverlapReport *subspaceReport(const SliderValues &v, QString &label, PendingRead *pending) const;
    /** The layer map's values [layer][matrix] for `quantity`, what they are (`label`) and the colour bar's
     *  short name (`scale`); false with the reason in `why` (and what must be read first in `pending`). */
    bool layerMapValues(int pair, const SliderValues &v, MapQuantity quantity, const Answer &answer,
                        QVector<QVector<double>> &values, QString &label, QString &scale, QString &why,
                        PendingRead *pending) const;
    /** What the controls' edit removes in all: the actual sparsity of a weight edit (NaN for a projection);
     *  a projection's ranks (exact once evaluated, else the §7 bound) in `text`. Throws. */
    double removedFraction(int pair, const SliderValues &v, const Answer &answer, QString &text) const;

    /** What a rank view says when the store has no ActSVD bases. */
    static QString noBasesText();

    /** Records the ranks a projection at (r_u, r_s) removed per matrix (its evaluation's report). */
    void setRemovedRanks(int ru, int rs, const SelectionReport &report);

private:
    /** The ranks removed by the projection at (r_u, r_s) if it was evaluated, else nullptr. */
    const QVector<QVector<double>> *removedRanks(int ru, int rs) const;

    std::unique_ptr<Store> m_store;
    std::vector<Pair> m_pairs;
    std::vector<SweepTable> m_sweeps;
    QString m_sweepError;
    std::map<std::string, std::vector<double>> m_meanScores;  ///< per score set (the layer map's mean score)
    std::map<std::tuple<std::string, std::string, std::int64_t, std::int64_t>, OverlapReport> m_subspace;
    /** The subspace dimensions of the projection at the controls' r_u, r_s. */
    PendingRead subspaceRead(const SliderValues &v) const;
    QVector<QVector<double>> m_removedRanks;  ///< exact ranks removed per matrix by the last projection evaluated
    std::pair<int, int> m_removedRanksAt{-1, -1};  ///< its (r_u, r_s)
};

} // namespace alignscope::ui
