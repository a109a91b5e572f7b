// SPDX-License-Identifier: MIT
#pragma once
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;
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
    QString method() const;  ///< "snip", "wanda" or "actsvd"
    /** The method as the panel shows it ("SNIP", "ActSVD (ranks)"). */
    QString methodText() const;
    void setMethod(const QString &method);
    int nsamples() const;
    void setNsamples(int n);
    int seed() const;           ///< the sample-selection seed (numpy's permutation)
    void setSeed(int seed);
    int maxLength() const;      ///< cut longer examples to this many tokens; 0 keeps them whole (the reference)
    void setMaxLength(int tokens);
    /** The estimate of the compute job shown above its button (time, memory, examples). */
    void setEstimate(const QString &text);
    QString estimate() const;
    /** Disables the compute button while a job runs. */
    void setBusy(bool busy);

Q_SIGNALS:
    void openModelRequested();
    void datasetsChanged();
    /** The datasets, method or number of examples changed: the estimate is stale. */
    void jobChanged();
    /** Compute the chosen method's safety and utility scores into the model's store. */
    void computeRequested();

private:
    QWidget *datasetRow(QLineEdit *edit, const QString &dialogTitle);

    QString m_modelDir;
    QLabel *m_modelName;
    QFormLayout *m_facts;
    QLineEdit *m_safety;
    QLineEdit *m_utility;
    QComboBox *m_method;
    QSpinBox *m_nsamples;
    QSpinBox *m_seed;
    QSpinBox *m_maxLength;
    QPushButton *m_compute;
    QLabel *m_estimate;
};

} // namespace alignscope::ui
