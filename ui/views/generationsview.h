// SPDX-License-Identifier: MIT
#pragma once
#include "asrpoints.h"

#include <QAbstractTableModel>
#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QPlainTextEdit;

namespace alignscope::ui {

class GenerationsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SettingColumn, PromptColumn, ResponseColumn, VerdictColumn, JudgesColumn, UneditedColumn, ColumnCount };
    enum Roles { JailbrokenRole = Qt::UserRole + 1, IncoherentRole, FormattedPromptRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(QVector<GenerationRow> rows);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVector<GenerationRow> m_rows;
};

/** The prompts, responses and verdicts behind the current ASR point, filterable by verdict and setting. */
class GenerationsView : public QWidget {
    Q_OBJECT
public:
    explicit GenerationsView(QWidget *parent = nullptr);
    void setRows(const QVector<GenerationRow> &rows);
    void clear(const QString &reason);
    /** What the rows belong to (the edit and its ASR), above the table. */
    void setCaption(const QString &text);
    QString caption() const;
    GenerationsModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

private:
    void applyFilter();

    GenerationsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QComboBox *m_verdict;
    QComboBox *m_setting;
    QLabel *m_empty;
    QLabel *m_caption;
    QPlainTextEdit *m_formatted;  ///< the selected row's prompt as the model saw it
};

} // namespace alignscope::ui
