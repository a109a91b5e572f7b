// SPDX-License-Identifier: MIT
#include "asrpoints.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace alignscope::ui {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("AsrPoints", text); }

const char *kindId(EditKind k)
{
    switch (k) {
    case EditKind::SetDifference: return "set_difference";
    case EditKind::PruneTopDown: return "prune_top_down";
    case EditKind::PruneBottomUp: return "prune_bottom_up";
    case EditKind::Orthogonal: return "orthogonal";
    }
    return "";
}

bool kindFromId(const QString &id, EditKind &k)
{
    for (int i = 0; i < kEditKinds; ++i)
        if (id == QLatin1String(kindId(EditKind(i)))) {
            k = EditKind(i);
            return true;
        }
    return false;
}

QJsonValue number(double v) { return std::isnan(v) ? QJsonValue() : QJsonValue(v); }
double number(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    return v.isDouble() ? v.toDouble() : AsrPoint::kUnknown;
}
/** Fractions as keys: exact for grid values, and printable. */
QString fractionKey(double f) { return QString::number(f, 'g', 10); }

} // namespace

double AsrPoint::x() const { return edit.kind == EditKind::Orthogonal ? rankFraction : actualSparsity; }

QString AsrPoint::key() const
{
    QString k = QLatin1String(kindId(edit.kind)) + QLatin1Char('/') + QString::fromStdString(asrSettingName(edit.setting)) +
                QLatin1Char('/') + safetySet + QLatin1Char('|') + utilitySet + QLatin1Char('/');
    switch (edit.kind) {
    case EditKind::SetDifference: return k + QStringLiteral("p=%1,q=%2").arg(fractionKey(edit.p), fractionKey(edit.q));
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp: return k + QStringLiteral("s=%1").arg(fractionKey(edit.s));
    case EditKind::Orthogonal: return k + QStringLiteral("ru=%1,rs=%2").arg(edit.ru).arg(edit.rs);
    }
    return k;
}

int AsrPointSet::upsert(AsrPoint p)
{
    const QString key = p.key();
    for (AsrPoint &old : m_points)
        if (old.key() == key) {
            p.id = old.id;
            old = std::move(p);
            return old.id;
        }
    p.id = m_nextId++;
    m_points.push_back(std::move(p));
    return m_points.back().id;
}

const AsrPoint *AsrPointSet::find(int id) const
{
    for (const AsrPoint &p : m_points)
        if (p.id == id)
            return &p;
    return nullptr;
}

AsrPoint *AsrPointSet::find(int id) { return const_cast<AsrPoint *>(std::as_const(*this).find(id)); }

int AsrPointSet::idOf(const QString &key) const
{
    for (const AsrPoint &p : m_points)
        if (p.key() == key)
            return p.id;
    return 0;
}

bool AsrPointSet::remove(int id)
{
    for (int i = 0; i < m_points.size(); ++i)
        if (m_points[i].id == id) {
            m_points.remove(i);
            return true;
        }
    return false;
}

void AsrPointSet::clear() { m_points.clear(); }

QString AsrPointSet::seriesKey(const AsrPoint &p, SeriesBy by)
{
    QString k = QLatin1String(kindId(p.edit.kind)) + QLatin1Char('/') + QString::fromStdString(asrSettingName(p.edit.setting)) +
                QLatin1Char('/') + p.safetySet + QLatin1Char('|') + p.utilitySet;
    switch (p.edit.kind) {
    case EditKind::SetDifference:
        return k + (by == SeriesBy::FixedQ ? QStringLiteral("/q=") + fractionKey(p.edit.q) : QStringLiteral("/p=") + fractionKey(p.edit.p));
    case EditKind::Orthogonal:
        return k + (by == SeriesBy::FixedQ ? QStringLiteral("/rs=%1").arg(p.edit.rs) : QStringLiteral("/ru=%1").arg(p.edit.ru));
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp: break;
    }
    return k;
}

QString AsrPointSet::seriesName(const AsrPoint &p, SeriesBy by)
{
    switch (p.edit.kind) {
    case EditKind::SetDifference:
        return by == SeriesBy::FixedQ ? tr("q = %1").arg(percentText(p.edit.q)) : tr("p = %1").arg(percentText(p.edit.p));
    case EditKind::Orthogonal:
        return by == SeriesBy::FixedQ ? tr("projection, r_s = %1").arg(p.edit.rs) : tr("projection, r_u = %1").arg(p.edit.ru);
    case EditKind::PruneTopDown:
    case EditKind::PruneBottomUp: break;
    }
    return editKindText(p.edit.kind);
}

QJsonArray AsrPointSet::toJson() const
{
    QJsonArray out;
    for (const AsrPoint &p : m_points) {
        QJsonArray rows;
        for (const GenerationRow &r : p.rows)
            rows.append(QJsonObject{{QStringLiteral("setting"), r.setting},
                                    {QStringLiteral("prompt"), r.prompt},
                                    {QStringLiteral("response"), r.response},
                                    {QStringLiteral("jailbroken"), r.jailbroken},
                                    {QStringLiteral("unedited"), r.unedited},
                                    {QStringLiteral("judges"), r.judges},
                                    {QStringLiteral("incoherent"), r.incoherent},
                                    {QStringLiteral("formatted"), r.formatted}});
        QJsonObject o{{QStringLiteral("edit"), QLatin1String(kindId(p.edit.kind))},
                      {QStringLiteral("setting"), QString::fromStdString(asrSettingName(p.edit.setting))},
                      {QStringLiteral("safety"), p.safetySet},
                      {QStringLiteral("utility_set"), p.utilitySet},
                      {QStringLiteral("actual_sparsity"), number(p.actualSparsity)},
                      {QStringLiteral("rank_fraction"), number(p.rankFraction)},
                      {QStringLiteral("asr"), number(p.asr)},
                      {QStringLiteral("asr_prefix"), number(p.prefixAsr)},
                      {QStringLiteral("incoherent"), number(p.incoherent)},
                      {QStringLiteral("incoherent_success"), number(p.incoherentSuccess)},
                      {QStringLiteral("utility"), number(p.utility)},
                      {QStringLiteral("coherence_threshold"), number(p.coherenceThreshold)},
                      {QStringLiteral("prompts"), p.prompts},
                      {QStringLiteral("complete"), p.complete},
                      {QStringLiteral("generations"), rows}};
        switch (p.edit.kind) {
        case EditKind::SetDifference:
            o.insert(QStringLiteral("p"), p.edit.p);
            o.insert(QStringLiteral("q"), p.edit.q);
            break;
        case EditKind::PruneTopDown:
        case EditKind::PruneBottomUp: o.insert(QStringLiteral("s"), p.edit.s); break;
        case EditKind::Orthogonal:
            o.insert(QStringLiteral("ru"), p.edit.ru);
            o.insert(QStringLiteral("rs"), p.edit.rs);
            break;
        }
        out.append(o);
    }
    return out;
}

bool AsrPointSet::fromJson(const QJsonArray &array, QString *error)
{
    AsrPointSet set;
    for (int i = 0; i < array.size(); ++i) {
        auto fail = [&](const QString &why) {
            if (error)
                *error = tr("ASR point %1: %2").arg(i + 1).arg(why);
            return false;
        };
        const QJsonObject o = array[i].toObject();
        AsrPoint p;
        if (!kindFromId(o.value(QStringLiteral("edit")).toString(), p.edit.kind))
            return fail(tr("unknown edit \"%1\"").arg(o.value(QStringLiteral("edit")).toString()));
        try {
            p.edit.setting = parseAsrSetting(o.value(QStringLiteral("setting")).toString().toStdString());
        } catch (const std::exception &e) {
            return fail(QString::fromStdString(e.what()));
        }
        auto need = [&](const char *name) { return o.value(QLatin1String(name)).isDouble(); };
        switch (p.edit.kind) {
        case EditKind::SetDifference:
            if (!need("p") || !need("q"))
                return fail(tr("a set difference needs p and q"));
            p.edit.p = o.value(QStringLiteral("p")).toDouble();
            p.edit.q = o.value(QStringLiteral("q")).toDouble();
            break;
        case EditKind::PruneTopDown:
        case EditKind::PruneBottomUp:
            if (!need("s"))
                return fail(tr("a pruning needs s"));
            p.edit.s = o.value(QStringLiteral("s")).toDouble();
            break;
        case EditKind::Orthogonal:
            if (!need("ru") || !need("rs"))
                return fail(tr("a projection needs ru and rs"));
            p.edit.ru = o.value(QStringLiteral("ru")).toInt();
            p.edit.rs = o.value(QStringLiteral("rs")).toInt();
            break;
        }
        if (!need("asr"))
            return fail(tr("no ASR"));
        p.safetySet = o.value(QStringLiteral("safety")).toString();
        p.utilitySet = o.value(QStringLiteral("utility_set")).toString();
        p.actualSparsity = number(o, "actual_sparsity");
        p.rankFraction = number(o, "rank_fraction");
        p.asr = number(o, "asr");
        p.prefixAsr = number(o, "asr_prefix");
        p.incoherent = number(o, "incoherent");
        p.incoherentSuccess = number(o, "incoherent_success");
        p.utility = number(o, "utility");
        p.coherenceThreshold = number(o, "coherence_threshold");
        p.prompts = o.value(QStringLiteral("prompts")).toInt();
        p.complete = o.value(QStringLiteral("complete")).toBool();
        for (const QJsonValue &v : o.value(QStringLiteral("generations")).toArray()) {
            const QJsonObject r = v.toObject();
            p.rows.append(GenerationRow{r.value(QStringLiteral("setting")).toString(), r.value(QStringLiteral("prompt")).toString(),
                                        r.value(QStringLiteral("response")).toString(),
                                        r.value(QStringLiteral("jailbroken")).toBool(),
                                        r.value(QStringLiteral("unedited")).toString(), r.value(QStringLiteral("judges")).toString(),
                                        r.value(QStringLiteral("incoherent")).toInt(-1),
                                        r.value(QStringLiteral("formatted")).toString()});
        }
        set.upsert(std::move(p));
    }
    *this = std::move(set);
    return true;
}

int SeriesColors::indexOf(const QString &key)
{
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        int next = 0;  // never an index in use, even after a workspace with gaps was read
        for (int v : m_index)
            next = std::max(next, v + 1);
        it = m_index.insert(key, next);
    }
    return *it;
}

QJsonObject SeriesColors::toJson() const
{
    QJsonObject o;
    for (auto it = m_index.begin(); it != m_index.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

void SeriesColors::fromJson(const QJsonObject &o)
{
    m_index.clear();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.value().isDouble())
            m_index.insert(it.key(), it.value().toInt());
}

} // namespace alignscope::ui
