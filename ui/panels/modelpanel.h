// SPDX-License-Identifier: MIT
#pragma once
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace alignscope {
struct ModelConfig;
}

namespace alignscope::ui {

/** The model & data panel: the open model's shape, and the safety and utility datasets. */
class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget *parent = nullptr);

    void showModel(const QString &dir, const ModelConfig &config);
    void clearModel();
    QString modelDir() const { return m_modelDir; }
    QString safetyDataset() const;
    QString utilityDataset() const;
    void setSafetyDataset(const QString &path);
    void setUtilityDataset(const QString &path);

Q_SIGNALS:
    void openModelRequested();
    void datasetsChanged();

private:
    QWidget *datasetRow(QLineEdit *edit, const QString &dialogTitle);

    QString m_modelDir;
    QLabel *m_modelName;
    QFormLayout *m_facts;
    QLineEdit *m_safety;
    QLineEdit *m_utility;
};

} // namespace alignscope::ui
