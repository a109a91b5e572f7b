// SPDX-License-Identifier: MIT
#include "panels/sliderpanel.h"

#include "alignscope/fraction_grid.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace alignscope::ui {

double SliderPanel::fractionAt(int position) { return gridFraction(position); }
int SliderPanel::positionOf(double fraction) { return gridPosition(fraction); }
QString SliderPanel::percent(double fraction) { return percentText(fraction); }

QSlider *SliderPanel::logSlider(const QString &name, QLabel *readout)
{
    auto *s = new QSlider(Qt::Horizontal, this);
    s->setObjectName(name);
    s->setRange(0, int(fractionGrid().size()) - 1);
    s->setSingleStep(1);
    s->setPageStep(3);  // 4 page steps per decade
    readout->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0,0123 %")));
    readout->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    connect(s, &QSlider::valueChanged, this, [this, readout](int pos) {
        readout->setText(percent(fractionAt(pos)));
        Q_EMIT valuesChanged();
    });
    return s;
}

SliderPanel::SliderPanel(QWidget *parent)
    : QWidget(parent), m_ru(new QSpinBox(this)), m_rs(new QSpinBox(this)), m_pLabel(new QLabel(this)),
      m_qLabel(new QLabel(this)), m_sLabel(new QLabel(this)), m_actual(new QLabel(this)),
      m_pair(new QComboBox(this)), m_quantity(new QComboBox(this)), m_kind(new QComboBox(this)),
      m_setting(new QComboBox(this))
{
    setObjectName(QStringLiteral("sliderPanel"));
    m_p = logSlider(QStringLiteral("pSlider"), m_pLabel);
    m_q = logSlider(QStringLiteral("qSlider"), m_qLabel);
    m_s = new QSlider(Qt::Horizontal, this);
    m_s->setObjectName(QStringLiteral("sSlider"));
    m_s->setRange(0, 1000);  // permille
    m_sLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    connect(m_s, &QSlider::valueChanged, this, [this](int v) {
        m_sLabel->setText(percent(v / 1000.0));
        Q_EMIT valuesChanged();
    });
    m_ru->setObjectName(QStringLiteral("ruSpin"));
    m_rs->setObjectName(QStringLiteral("rsSpin"));
    m_ruSlider = new QSlider(Qt::Horizontal, this);
    m_rsSlider = new QSlider(Qt::Horizontal, this);
    m_ruSlider->setObjectName(QStringLiteral("ruSlider"));
    m_rsSlider->setObjectName(QStringLiteral("rsSlider"));
    for (auto [b, sl] : {std::pair{m_ru, m_ruSlider}, std::pair{m_rs, m_rsSlider}}) {
        b->setRange(0, 0);
        sl->setRange(0, 0);
        connect(b, &QSpinBox::valueChanged, this, &SliderPanel::valuesChanged);
        // slider and spin box show one value: the slider to drag, the box to type
        connect(sl, &QSlider::valueChanged, b, &QSpinBox::setValue);
        connect(b, &QSpinBox::valueChanged, sl, [sl](int v) {
            const QSignalBlocker block(sl);
            sl->setValue(v);
        });
    }
    m_actual->setObjectName(QStringLiteral("actualSparsity"));

    auto row = [this](QSlider *s, QLabel *l) {
        auto *w = new QWidget(this);
        auto *h = new QHBoxLayout(w);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(s, 1);
        h->addWidget(l);
        return w;
    };

    auto *setDiff = new QGroupBox(tr("Set difference"), this);
    auto *f1 = new QFormLayout(setDiff);
    m_pair->setObjectName(QStringLiteral("scorePair"));
    m_pair->setToolTip(tr("The safety and utility score sets of the store that the sliders select from"));
    m_pair->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_pair->setMinimumContentsLength(16);
    f1->addRow(tr("Scores:"), m_pair);
    connect(m_pair, &QComboBox::currentIndexChanged, this, &SliderPanel::pairChanged);
    f1->addRow(tr("p (utility top):"), row(m_p, m_pLabel));
    f1->addRow(tr("q (safety top):"), row(m_q, m_qLabel));
    m_quantity->setObjectName(QStringLiteral("layerMapQuantity"));
    m_quantity->addItem(tr("Fraction removed by the edit"), int(MapQuantity::Removed));
    m_quantity->addItem(tr("Jaccard index of the top p"), int(MapQuantity::Jaccard));
    m_quantity->addItem(tr("Mean safety score"), int(MapQuantity::MeanScore));
    m_quantity->addItem(tr("Subspace similarity (r_u, r_s)"), int(MapQuantity::Subspace));
    m_quantity->setToolTip(tr("What the layer map colours"));
    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT quantityChanged(layerMapQuantity()); });
    m_p->setToolTip(tr("Weights among the top p of the utility score are kept"));
    m_q->setToolTip(tr("Weights among the top q of the safety score, and not kept for utility, are removed"));

    auto *prune = new QGroupBox(tr("Pruning"), this);
    auto *f2 = new QFormLayout(prune);
    f2->addRow(tr("Sparsity s:"), row(m_s, m_sLabel));

    auto *ranks = new QGroupBox(tr("Orthogonal projection"), this);
    auto *f3 = new QFormLayout(ranks);
    auto rankRow = [this](QSlider *s, QSpinBox *b) {
        auto *w = new QWidget(this);
        auto *h = new QHBoxLayout(w);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(s, 1);
        h->addWidget(b);
        return w;
    };
    f3->addRow(tr("r_u:"), rankRow(m_ruSlider, m_ru));
    f3->addRow(tr("r_s:"), rankRow(m_rsSlider, m_rs));

    m_ru->setToolTip(tr("The protected utility subspace has dimension m − r_u (the reference code's --rank_pos)"));
    m_rs->setToolTip(tr("The safety subspace has dimension m − r_s (the reference code's --rank_neg)"));
    m_ruSlider->setToolTip(m_ru->toolTip());
    m_rsSlider->setToolTip(m_rs->toolTip());

    auto *edit = new QGroupBox(tr("Edit and evaluation"), this);
    auto *f0 = new QFormLayout(edit);
    m_kind->setObjectName(QStringLiteral("editKind"));
    m_kind->addItem(tr("Set difference (p, q)"), int(EditKind::SetDifference));
    m_kind->addItem(tr("Pruning, top-down (s)"), int(EditKind::PruneTopDown));
    m_kind->addItem(tr("Pruning, bottom-up (s)"), int(EditKind::PruneBottomUp));
    m_kind->addItem(tr("Orthogonal projection (r_u, r_s)"), int(EditKind::Orthogonal));
    m_kind->setToolTip(tr("The edit the layer map shows and the live evaluation applies: the set difference of the "
                          "score pair, per-row pruning by its safety scores, or the orthogonal projection with the "
                          "store's ActSVD bases"));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SliderPanel::valuesChanged);
    m_setting->setObjectName(QStringLiteral("asrSetting"));
    for (AsrSetting st : {AsrSetting::Vanilla, AsrSetting::NoSys, AsrSetting::Suffix, AsrSetting::Decoding})
        m_setting->addItem(st == AsrSetting::Vanilla  ? tr("Vanilla (system prompt)")
                           : st == AsrSetting::NoSys  ? tr("No system prompt")
                           : st == AsrSetting::Suffix ? tr("Adversarial suffixes (3×)")
                                                      : tr("Adversarial decoding (5 samples)"),
                           int(st));
    m_setting->setToolTip(tr("The ASR setting of the live evaluation (spec §9.7); suffixes and decoding take 3× and 5× "
                             "as long"));
    connect(m_setting, &QComboBox::currentIndexChanged, this, &SliderPanel::valuesChanged);
    for (QComboBox *c : {m_kind, m_setting, m_quantity}) {  // narrow docks: the full text is in the tooltip of each item
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
        for (int i = 0; i < c->count(); ++i)
            c->setItemData(i, c->itemText(i), Qt::ToolTipRole);
    }
    f0->addRow(tr("Edit:"), m_kind);
    f0->addRow(tr("ASR setting:"), m_setting);
    f0->addRow(tr("Layer map:"), m_quantity);
    f0->addRow(tr("Removed:"), m_actual);
    m_actual->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(edit);
    layout->addWidget(setDiff);
    layout->addWidget(prune);
    layout->addWidget(ranks);
    layout->addStretch();
    setValues(SliderValues{});
    setActualSparsity(std::nan(""));
    setPairs({}, {});
}

SliderValues SliderPanel::values() const
{
    SliderValues v;
    v.kind = EditKind(m_kind->currentData().toInt());
    v.setting = AsrSetting(m_setting->currentData().toInt());
    v.p = fractionAt(m_p->value());
    v.q = fractionAt(m_q->value());
    v.s = m_s->value() / 1000.0;
    v.ru = m_ru->value();
    v.rs = m_rs->value();
    return v;
}

void SliderPanel::setValues(const SliderValues &v)
{
    // shows the values without announcing them: whoever sets them knows
    const QSignalBlocker b1(m_kind), b2(m_setting), b3(m_p), b4(m_q), b5(m_s), b6(m_ru), b7(m_rs), b8(m_ruSlider), b9(m_rsSlider);
    m_kind->setCurrentIndex(m_kind->findData(int(v.kind)));
    m_setting->setCurrentIndex(m_setting->findData(int(v.setting)));
    m_p->setValue(positionOf(v.p));
    m_q->setValue(positionOf(v.q));
    m_s->setValue(int(std::lround(v.s * 1000)));
    m_ru->setValue(v.ru);
    m_rs->setValue(v.rs);
    m_ruSlider->setValue(v.ru);
    m_rsSlider->setValue(v.rs);
    m_pLabel->setText(percent(fractionAt(m_p->value())));
    m_qLabel->setText(percent(fractionAt(m_q->value())));
    m_sLabel->setText(percent(m_s->value() / 1000.0));
}

void SliderPanel::setMaxRank(int maxRank)
{
    const QSignalBlocker b1(m_ru), b2(m_rs), b3(m_ruSlider), b4(m_rsSlider);
    m_ru->setRange(0, maxRank);
    m_rs->setRange(0, maxRank);
    m_ruSlider->setRange(0, maxRank);
    m_rsSlider->setRange(0, maxRank);
    m_ruSlider->setValue(m_ru->value());
    m_rsSlider->setValue(m_rs->value());
}

void SliderPanel::setActualSparsity(double fraction)
{
    m_actual->setText(std::isnan(fraction) ? percent(fraction) : tr("%1 of the weights").arg(percent(fraction)));
}

void SliderPanel::setReadout(const QString &text) { m_actual->setText(text); }

void SliderPanel::setPairs(const QStringList &safety, const QStringList &utility)
{
    const QSignalBlocker block(m_pair);
    m_pair->clear();
    for (int i = 0; i < safety.size() && i < utility.size(); ++i) {
        m_pair->addItem(tr("%1 vs %2").arg(safety[i], utility[i]));
        m_pair->setItemData(i, tr("safety: %1\nutility: %2").arg(safety[i], utility[i]), Qt::ToolTipRole);
    }
    m_pair->setEnabled(m_pair->count() > 0);
    if (m_pair->count() == 0)
        m_pair->addItem(tr("(open a store with scores)"));
}

void SliderPanel::setCurrentPair(int index)
{
    const QSignalBlocker block(m_pair);
    if (m_pair->isEnabled() && index >= 0 && index < m_pair->count())
        m_pair->setCurrentIndex(index);
}

MapQuantity SliderPanel::layerMapQuantity() const { return MapQuantity(m_quantity->currentData().toInt()); }

void SliderPanel::setLayerMapQuantity(MapQuantity q)
{
    const QSignalBlocker block(m_quantity);
    const int i = m_quantity->findData(int(q));
    if (i >= 0)
        m_quantity->setCurrentIndex(i);
}

int SliderPanel::currentPair() const { return m_pair->isEnabled() ? m_pair->currentIndex() : -1; }

} // namespace alignscope::ui
