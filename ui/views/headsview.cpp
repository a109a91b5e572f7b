// SPDX-License-Identifier: MIT
#include "views/headsview.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace alignscope::ui {

HeadsView::HeadsView(QWidget *parent)
    : LayerMapView(parent), m_open(new QPushButton(tr("Open probing results…"), this)),
      m_probe(new QPushButton(tr("Probe this model"), this)), m_evaluate(new QPushButton(tr("Evaluate ablation"), this)),
      m_k(new QSpinBox(this)), m_pool(new QComboBox(this)), m_how(new QComboBox(this)), m_result(new QLabel(this))
{
    setObjectName(QStringLiteral("headsView"));
    m_open->setObjectName(QStringLiteral("openProbing"));
    m_probe->setObjectName(QStringLiteral("probeHeads"));
    m_evaluate->setObjectName(QStringLiteral("evaluateAblation"));
    m_k->setObjectName(QStringLiteral("ablateCount"));
    m_pool->setObjectName(QStringLiteral("headPool"));
    m_how->setObjectName(QStringLiteral("headAblation"));
    m_result->setObjectName(QStringLiteral("ablationResult"));
    m_open->setToolTip(tr("A JSON file {\"layer-L-head-H\": accuracy} as the reference's data/probing_result_7b.json"));
    m_probe->setToolTip(tr("Train a linear harmful-vs-harmless probe on every head's output at the last prompt "
                           "token, with the safety and utility datasets of the model panel"));
    m_k->setRange(0, 0);
    m_pool->addItem(tr("highest accuracy"), int(HeadPool::Top));
    m_pool->addItem(tr("reference 7B draw"), int(HeadPool::Paper7B));
    m_pool->addItem(tr("reference 13B draw"), int(HeadPool::AllPerfect));
    m_pool->setToolTip(tr("Which heads: the k of highest accuracy, or the reference's random draws among the heads "
                          "at accuracy 1 (7B: from the first 132; seeded here)"));
    m_how->addItem(tr("as the reference (residual channels)"), int(HeadAblation::Reference));
    m_how->addItem(tr("head output (o_proj columns)"), int(HeadAblation::Output));
    m_how->setToolTip(tr("The reference zeroes columns of q/k/v and rows of o, i.e. residual-stream channels; "
                         "\"head output\" removes exactly the head's contribution"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QWidget(this);
    auto *v = new QVBoxLayout(bar);
    v->setContentsMargins(6, 6, 6, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_open);
    top->addWidget(m_probe);
    top->addStretch();
    v->addLayout(top);
    for (QComboBox *c : {m_pool, m_how}) {  // narrow windows: the full text is in each item's tooltip
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
        for (int i = 0; i < c->count(); ++i)
            c->setItemData(i, c->itemText(i), Qt::ToolTipRole);
    }
    auto *row = new QHBoxLayout;  // two short rows: the view sits beside the tradeoff, on a laptop too
    row->addWidget(new QLabel(tr("Ablate the top"), this));
    row->addWidget(m_k);
    row->addWidget(new QLabel(tr("heads:"), this));
    row->addWidget(m_pool, 1);
    v->addLayout(row);
    auto *how = new QHBoxLayout;
    how->addWidget(m_how, 1);
    how->addWidget(m_evaluate);
    v->addLayout(how);
    v->addWidget(m_result);
    setControls(bar);

    QStringList none;
    setColumns(none, tr("Head"));
    ColorScale accuracy;  // accuracies crowd near 1: the data's own range shows their differences
    accuracy.fromZero = false;
    setColorScale(accuracy);
    connect(m_open, &QPushButton::clicked, this, &HeadsView::openRequested);
    connect(m_probe, &QPushButton::clicked, this, &HeadsView::probeRequested);
    connect(m_evaluate, &QPushButton::clicked, this, &HeadsView::ablationRequested);
    clearProbing(tr("Open a probing result (JSON) or probe this model"));
}

void HeadsView::setProbing(const HeadProbing &probing)
{
    m_probing = probing;
    QStringList heads;
    for (int h = 0; h < probing.heads; ++h)
        heads << QString::number(h);
    setColumns(heads, tr("Head"));
    QVector<QVector<double>> values(probing.layers, QVector<double>(probing.heads));
    for (int l = 0; l < probing.layers; ++l)
        for (int h = 0; h < probing.heads; ++h)
            values[l][h] = probing.at(l, h);
    const QString source = QString::fromStdString(probing.source);
    setValues(values, tr("Probing accuracy (validation)"));
    m_k->setRange(0, probing.layers * probing.heads);
    if (m_k->value() == 0)
        m_k->setValue(std::min(probing.layers * probing.heads, std::max(1, probing.layers * probing.heads / 8)));
    m_evaluate->setEnabled(true);
    m_result->setText(QFileInfo::exists(source) ? tr("From %1").arg(source) : source);
}

void HeadsView::clearProbing(const QString &reason)
{
    m_probing = HeadProbing{};
    m_k->setRange(0, 0);
    m_evaluate->setEnabled(false);
    m_result->clear();
    clear(reason);
}

std::vector<HeadRef> HeadsView::chosenHeads() const
{
    return chooseAblationHeads(m_probing, m_k->value(), HeadPool(m_pool->currentData().toInt()), 0);
}

HeadAblation HeadsView::ablation() const { return HeadAblation(m_how->currentData().toInt()); }
int HeadsView::headCount() const { return m_k->value(); }
void HeadsView::setHeadCount(int k) { m_k->setValue(k); }
void HeadsView::setResult(const QString &text) { m_result->setText(text); }
QString HeadsView::result() const { return m_result->text(); }

void HeadsView::setBusy(bool busy)
{
    m_probe->setEnabled(!busy);
    m_evaluate->setEnabled(!busy && m_probing.layers > 0);
}

} // namespace alignscope::ui
