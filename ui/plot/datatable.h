// SPDX-License-Identifier: MIT
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

class QIODevice;

namespace alignscope::ui {

/** A small column-oriented table: exactly the data a chart plots, for CSV export. */
struct DataTable {
    QStringList columns;
    QVector<QVector<double>> values;  ///< values[c][r]; NaN is written as an empty field
    QVector<QStringList> labels;      ///< optional text columns, written before the numeric ones
    QStringList labelColumns;

    int rowCount() const;
    bool isEmpty() const { return rowCount() == 0; }
};

/** RFC 4180 CSV writer (comma, CRLF-free "\n" line ends, quotes doubled, C locale, %.9g numbers). */
class CsvWriter {
public:
    bool write(const DataTable &table, QIODevice *device);
    bool write(const DataTable &table, const QString &fileName);
    static QString toString(const DataTable &table);
    QString errorString() const { return m_error; }

private:
    QString m_error;
};

} // namespace alignscope::ui
