// SPDX-License-Identifier: MIT
#include "plot/datatable.h"

#include <QBuffer>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <cmath>

namespace alignscope::ui {

int DataTable::rowCount() const
{
    int n = 0;
    for (const auto &c : values)
        n = std::max(n, int(c.size()));
    for (const auto &c : labels)
        n = std::max(n, int(c.size()));
    return n;
}

namespace {

QString quoted(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
        !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    QString q = field;
    q.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString number(double v)
{
    if (std::isnan(v))
        return {};
    return QString::number(v, 'g', 9);
}

} // namespace

QString CsvWriter::toString(const DataTable &t)
{
    QString out;
    QStringList header;
    for (const auto &c : t.labelColumns)
        header << quoted(c);
    for (const auto &c : t.columns)
        header << quoted(c);
    out += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    const int rows = t.rowCount();
    for (int r = 0; r < rows; ++r) {
        QStringList fields;
        for (const auto &c : t.labels)
            fields << (r < c.size() ? quoted(c[r]) : QString());
        for (const auto &c : t.values)
            fields << (r < c.size() ? number(c[r]) : QString());
        out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

bool CsvWriter::write(const DataTable &table, QIODevice *device)
{
    const QByteArray bytes = toString(table).toUtf8();
    if (device->write(bytes) != bytes.size()) {
        m_error = device->errorString();
        return false;
    }
    return true;
}

bool CsvWriter::write(const DataTable &table, const QString &fileName)
{
    QSaveFile f(fileName);  // atomic: never a half-written CSV
    if (!f.open(QIODevice::WriteOnly)) {
        m_error = fileName + QStringLiteral(": ") + f.errorString();
        return false;
    }
    if (!write(table, &f)) {
        f.cancelWriting();
        m_error = fileName + QStringLiteral(": ") + m_error;
        return false;
    }
    if (!f.commit()) {
        m_error = fileName + QStringLiteral(": ") + f.errorString();
        return false;
    }
    return true;
}

} // namespace alignscope::ui
