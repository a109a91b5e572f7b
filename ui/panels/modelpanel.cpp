// SPDX-License-Identifier: MIT
#include "panels/modelpanel.h"

#include "alignscope/model.h"
#include "alignscope/model_config.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QComboBox>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace alignscope::ui {

ModelPanel::ModelPanel(QWidget *parent)
    : QWidget(parent), m_modelName(new QLabel(this)), m_facts(new QFormLayout), m_safety(new QLineEdit(this)),
      m_utility(new QLineEdit(this)), m_method(new QComboBox(this)), m_nsamples(new QSpinBox(this)),
      m_compute(new QPushButton(tr("Compute scores"), this))
{
    setObjectName(QStringLiteral("modelPanel"));
    auto *modelBox = new QGroupBox(tr("Model"), this);
    auto *open = new QPushButton(tr("Open model…"), modelBox);
    open->setObjectName(QStringLiteral("openModelButton"));
    connect(open, &QPushButton::clicked, this, &ModelPanel::openModelRequested);
    m_modelName->setObjectName(QStringLiteral("modelName"));
    m_modelName->setWordWrap(true);
    m_modelName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *mv = new QVBoxLayout(modelBox);
    mv->addWidget(m_modelName);
    mv->addLayout(m_facts);
    mv->addWidget(open);

    auto *dataBox = new QGroupBox(tr("Calibration data"), this);
    auto *form = new QFormLayout(dataBox);
    m_safety->setObjectName(QStringLiteral("safetyDataset"));
    m_utility->setObjectName(QStringLiteral("utilityDataset"));
    m_safety->setPlaceholderText(tr("CSV, JSON or JSONL file"));
    m_utility->setPlaceholderText(tr("CSV, JSON or JSONL file"));
    form->addRow(tr("Safety:"), datasetRow(m_safety, tr("Choose the safety dataset")));
    form->addRow(tr("Utility:"), datasetRow(m_utility, tr("Choose the utility dataset")));
    m_method->setObjectName(QStringLiteral("methodChoice"));
    m_method->addItem(tr("SNIP"), QStringLiteral("snip"));
    m_method->addItem(tr("Wanda"), QStringLiteral("wanda"));
    m_method->addItem(tr("ActSVD (ranks)"), QStringLiteral("actsvd"));
    m_method->setToolTip(tr("SNIP: |W|·Σ|∇W loss|; Wanda: |W|·‖X‖; ActSVD: the rank bases of W·Xᵀ"));
    form->addRow(tr("Method:"), m_method);
    m_nsamples->setObjectName(QStringLiteral("nsamples"));
    m_nsamples->setRange(1, 100000);
    m_nsamples->setValue(128);
    m_nsamples->setToolTip(tr("Calibration examples per dataset (the paper: 128, chosen by numpy's permutation with seed 0)"));
    form->addRow(tr("Examples:"), m_nsamples);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, 1000000000);
    m_seed->setToolTip(tr("Which examples: the first n of numpy's default_rng(seed).permutation, as the reference (seed 0)"));
    form->addRow(tr("Seed:"), m_seed);
    m_maxLength = new QSpinBox(this);
    m_maxLength->setObjectName(QStringLiteral("maxLength"));
    m_maxLength->setRange(0, 1000000);
    m_maxLength->setSpecialValueText(tr("whole examples"));
    m_maxLength->setSuffix(tr(" tokens"));
    m_maxLength->setToolTip(tr("Cut longer examples to this many tokens (their responses are shortened); the reference "
                               "keeps every example whole"));
    form->addRow(tr("Max. length:"), m_maxLength);
    connect(m_seed, &QSpinBox::valueChanged, this, &ModelPanel::jobChanged);
    connect(m_maxLength, &QSpinBox::valueChanged, this, &ModelPanel::jobChanged);
    m_estimate = new QLabel(this);
    m_estimate->setObjectName(QStringLiteral("jobEstimate"));
    m_estimate->setWordWrap(true);
    m_estimate->setToolTip(tr("From the examples the job will use, tokenized: FLOPs at this machine's measured "
                              "matrix-product speed, and the peak memory of weights, activations and gradients"));
    form->addRow(tr("Estimate:"), m_estimate);
    connect(m_method, &QComboBox::currentIndexChanged, this, &ModelPanel::jobChanged);
    connect(m_nsamples, &QSpinBox::valueChanged, this, &ModelPanel::jobChanged);
    connect(this, &ModelPanel::datasetsChanged, this, &ModelPanel::jobChanged);
    m_compute->setObjectName(QStringLiteral("computeButton"));
    m_compute->setToolTip(tr("Score every matrix for safety and for utility in the background; the results go to "
                             "the model's store and are reused when the model is opened again"));
    connect(m_compute, &QPushButton::clicked, this, &ModelPanel::computeRequested);
    form->addRow(m_compute);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(modelBox);
    layout->addWidget(dataBox);
    layout->addStretch();
    clearModel();
}

QString ModelPanel::method() const { return m_method->currentData().toString(); }
QString ModelPanel::methodText() const { return m_method->currentText(); }
void ModelPanel::setMethod(const QString &method)
{
    const int i = m_method->findData(method);
    if (i >= 0)
        m_method->setCurrentIndex(i);
}

int ModelPanel::nsamples() const { return m_nsamples->value(); }
void ModelPanel::setNsamples(int n) { m_nsamples->setValue(n); }
int ModelPanel::seed() const { return m_seed->value(); }
void ModelPanel::setSeed(int seed) { m_seed->setValue(seed); }
int ModelPanel::maxLength() const { return m_maxLength->value(); }
void ModelPanel::setMaxLength(int tokens) { m_maxLength->setValue(tokens); }
void ModelPanel::setBusy(bool busy) { m_compute->setEnabled(!busy && !m_modelDir.isEmpty()); }

QWidget *ModelPanel::datasetRow(QLineEdit *edit, const QString &dialogTitle)
{
    auto *row = new QWidget(this);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(dialogTitle);
    h->addWidget(edit, 1);
    h->addWidget(browse);
    connect(edit, &QLineEdit::editingFinished, this, &ModelPanel::datasetsChanged);
    connect(browse, &QToolButton::clicked, this, [this, edit, dialogTitle] {
        const QString f = QFileDialog::getOpenFileName(this, dialogTitle, QFileInfo(edit->text()).absolutePath(),
                                                       tr("Datasets (*.csv *.json *.jsonl *.txt);;All files (*)"));
        if (!f.isEmpty()) {
            edit->setText(QDir::toNativeSeparators(f));
            Q_EMIT datasetsChanged();
        }
    });
    return row;
}

void ModelPanel::showModel(const QString &dir, const ModelConfig &c)
{
    m_modelDir = dir;
    m_compute->setEnabled(true);
    m_modelName->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                             .arg(QFileInfo(dir).fileName().toHtmlEscaped(),
                                  QDir::toNativeSeparators(dir).toHtmlEscaped()));
    while (m_facts->rowCount() > 0)
        m_facts->removeRow(0);
    const QLocale loc;
    auto add = [this](const QString &label, const QString &value) {
        auto *v = new QLabel(value, this);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_facts->addRow(label, v);
    };
    add(tr("Architecture:"), QString::fromStdString(c.architecture));
    add(tr("Layers:"), loc.toString(qlonglong(c.numLayers)));
    add(tr("Hidden size:"), loc.toString(qlonglong(c.hiddenSize)));
    add(tr("MLP size:"), loc.toString(qlonglong(c.intermediateSize)));
    add(tr("Heads:"), c.numKvHeads == c.numHeads
                          ? loc.toString(qlonglong(c.numHeads))
                          : tr("%1 (%2 key/value)").arg(loc.toString(qlonglong(c.numHeads)),
                                                        loc.toString(qlonglong(c.numKvHeads))));
    add(tr("Vocabulary:"), loc.toString(qlonglong(c.vocabSize)));
    add(tr("Parameters:"), loc.toString(qlonglong(c.totalParameters())));
    add(tr("Scored matrices:"), tr("%1 (%2 weights)")
                                    .arg(loc.toString(qlonglong(7 * c.numLayers)),
                                         loc.toString(qlonglong(c.decoderLinearParameters()))));
    if (!c.torchDtype.empty())
        add(tr("Stored dtype:"), QString::fromStdString(c.torchDtype));
    // what the two kinds of job will need (float32 compute on the CPU)
    JobShape gen;
    gen.promptTokens = 512;
    gen.newTokens = 256;
    JobShape grad = gen;
    grad.weightGradients = true;
    const QString genMem = QString::fromStdString(formatBytes(estimateMemory(c, gen).total()));
    const QString gradMem = QString::fromStdString(formatBytes(estimateMemory(c, grad).total()));
    auto *mem = new QLabel(tr("%1 to generate, %2 for gradients").arg(genMem, gradMem), this);
    mem->setObjectName(QStringLiteral("memoryEstimate"));
    mem->setWordWrap(true);
    mem->setToolTip(tr("Peak memory, float32 on the CPU: generating 256 tokens after a 512-token prompt; "
                       "weight gradients (SNIP) of one 512-token example"));
    m_facts->addRow(tr("Memory:"), mem);
}

void ModelPanel::clearModel()
{
    m_modelDir.clear();
    m_compute->setEnabled(false);
    m_modelName->setText(tr("No model loaded"));
    while (m_facts->rowCount() > 0)
        m_facts->removeRow(0);
}

QString ModelPanel::safetyDataset() const { return QDir::fromNativeSeparators(m_safety->text()); }
QString ModelPanel::utilityDataset() const { return QDir::fromNativeSeparators(m_utility->text()); }
void ModelPanel::setSafetyDataset(const QString &p)
{
    m_safety->setText(QDir::toNativeSeparators(p));
    Q_EMIT jobChanged();
}

void ModelPanel::setUtilityDataset(const QString &p)
{
    m_utility->setText(QDir::toNativeSeparators(p));
    Q_EMIT jobChanged();
}

void ModelPanel::setEstimate(const QString &text) { m_estimate->setText(text); }
QString ModelPanel::estimate() const { return m_estimate->text(); }

} // namespace alignscope::ui
