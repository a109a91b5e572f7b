// SPDX-License-Identifier: MIT
// The ASR points of a workspace as objects: one per distinct edit (evaluating it again replaces it),
// each with its parameters, every judge's ASR, utility and the generations behind it; grouped into
// series of a fixed q (or p) whose colours stay put while series come and go. Widget-free.
#pragma once
#include "selection.h"

#include <QJsonArray>
#include <QMap>
#include <QString>
#include <QVector>

#include <limits>

namespace alignscope::ui {

/** One judged generation behind an ASR point. */
struct GenerationRow {
    QString setting;   ///< e.g. "inst_basic"
    QString prompt;
    QString response;
    bool jailbroken = false;
    QString unedited;  ///< the unedited model's response to the same prompt (empty: not known)
    QString judges;    ///< every judge's verdict and the coherence flag, e.g. "prefix: yes (opens with …)"
    int incoherent = -1;  ///< 1: flagged incoherent; -1: not measured
    QString formatted;    ///< the prompt as the model saw it: its chat format's name, then the rendered text
};

/** One evaluated edit. */
struct AsrPoint {
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    int id = 0;                    ///< unique in its set, kept when the point is evaluated again
    SliderValues edit;             ///< the edit kind and setting; only the kind's own parameters count
    QString safetySet, utilitySet; ///< the score sets (set difference, pruning) or ActSVD bases (projection)
    double actualSparsity = kUnknown;  ///< spec §4.7
    double rankFraction = kUnknown;    ///< projection: ranks removed / full ranks of all matrices
    double asr = kUnknown;             ///< keyword judge (the paper's)
    double prefixAsr = kUnknown;       ///< prefix judge; NaN: not measured
    double incoherent = kUnknown;      ///< fraction flagged incoherent
    double incoherentSuccess = kUnknown;  ///< incoherent yet keyword-successful
    double utility = kUnknown;
    double coherenceThreshold = kUnknown;
    int prompts = 0;
    bool complete = false;         ///< utility and coherence measured too
    QVector<GenerationRow> rows;

    /** The tradeoff's x against sparsity: the actual sparsity, or the removed-rank fraction of a projection. */
    double x() const;
    /** Identifies the edit: kind, setting, score sets and the kind's parameters. */
    QString key() const;
    /** What the point evaluated, for people ("p = 1 %, q = 2 %"). */
    QString label() const { return editText(edit); }
};

/** How live points are joined into lines. */
enum class SeriesBy {
    FixedQ,  ///< set difference: one line per q (x varies with p); projection: per r_s
    FixedP,  ///< set difference: one line per p; projection: per r_u
};

/** The ASR points of a workspace. */
class AsrPointSet {
public:
    /** Adds `p`, or replaces the point of the same edit (keeping its id). Returns the id. */
    int upsert(AsrPoint p);
    /** The point with this id, or nullptr. */
    const AsrPoint *find(int id) const;
    AsrPoint *find(int id);
    /** The id of the point of `key` (AsrPoint::key), or 0. */
    int idOf(const QString &key) const;
    bool remove(int id);
    void clear();
    const QVector<AsrPoint> &points() const { return m_points; }
    bool isEmpty() const { return m_points.isEmpty(); }

    /** The line `p` belongs to: edit kind, setting, score sets and the fixed parameter. */
    static QString seriesKey(const AsrPoint &p, SeriesBy by);
    /** That line's name for people ("set difference, q = 10 %"). */
    static QString seriesName(const AsrPoint &p, SeriesBy by);

    /** JSON for a workspace file (every field and the generations). */
    QJsonArray toJson() const;
    /** Reads toJson()'s array; false with `error` when an entry is malformed. */
    bool fromJson(const QJsonArray &array, QString *error);

private:
    QVector<AsrPoint> m_points;
    int m_nextId = 1;
};

/**
 * Colours that stay with their series: a key gets the next palette index the first time it is seen
 * and keeps it, however series come and go.
 */
class SeriesColors {
public:
    int indexOf(const QString &key);
    QJsonObject toJson() const;
    void fromJson(const QJsonObject &o);
    void clear() { m_index.clear(); }

private:
    QMap<QString, int> m_index;
};

} // namespace alignscope::ui
