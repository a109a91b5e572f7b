// SPDX-License-Identifier: MIT
#include "dialogs/exportdialog.h"

#include "plot/plotview.h"
#include "plot/qcp.h"
#include "settings.h"
#include "viewset.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

namespace alignscope::ui {

namespace {
constexpr int kPreviewWidth = 460, kPreviewHeight = 420;  // screen pixels
}

ExportDialog::ExportDialog(ViewSet *views, PlotView *current, QWidget *parent)
    : QDialog(parent), m_views(views), m_current(current), m_one(new QRadioButton(this)), m_set(new QRadioButton(this)),
      m_size(new QComboBox(this)), m_format(new QComboBox(this)), m_legend(new QComboBox(this)), m_width(new QDoubleSpinBox(this)),
      m_height(new QDoubleSpinBox(this)), m_font(new QDoubleSpinBox(this)), m_dpi(new QSpinBox(this)),
      m_title(new QCheckBox(tr("Title above the figure"), this)), m_path(new QLineEdit(this)), m_preview(new QLabel(this)),
      m_previewInfo(new QLabel(this)), m_previewDelay(new QTimer(this))
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export figures"));
    m_one->setObjectName(QStringLiteral("exportOne"));
    m_set->setObjectName(QStringLiteral("exportSet"));
    m_one->setText(current ? tr("This view: %1").arg(current->figureTitle()) : tr("This view"));
    m_one->setEnabled(current != nullptr);
    m_set->setText(tr("Every view with data (a PDF, SVG, PNG and CSV of each)"));
    m_size->setObjectName(QStringLiteral("exportSize"));
    m_size->addItem(tr("One column (3.25 in)"), QStringLiteral("single"));
    m_size->addItem(tr("Two columns (6.75 in)"), QStringLiteral("double"));
    m_size->addItem(tr("Custom"), QStringLiteral("custom"));
    for (QDoubleSpinBox *b : {m_width, m_height}) {
        b->setDecimals(2);
        b->setSingleStep(0.25);
        b->setSuffix(tr(" in"));
    }
    m_width->setObjectName(QStringLiteral("exportWidth"));
    m_width->setRange(1, 20);
    m_height->setObjectName(QStringLiteral("exportHeight"));
    m_height->setRange(0, 20);
    m_height->setSpecialValueText(tr("automatic"));
    m_font->setObjectName(QStringLiteral("exportFont"));
    m_font->setRange(4, 24);
    m_font->setSingleStep(0.5);
    m_font->setDecimals(1);
    m_font->setSuffix(tr(" pt"));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->addItem(tr("PDF (vector)"), int(ExportFormat::Pdf));
    m_format->addItem(tr("SVG (vector)"), int(ExportFormat::Svg));
    m_format->addItem(tr("PNG (raster)"), int(ExportFormat::Png));
    m_format->addItem(tr("CSV (the plotted data)"), int(ExportFormat::Csv));
    m_dpi->setObjectName(QStringLiteral("exportDpi"));
    m_dpi->setRange(72, 2400);
    m_dpi->setSingleStep(100);
    m_dpi->setSuffix(tr(" dpi"));
    m_legend->setObjectName(QStringLiteral("exportLegend"));
    m_legend->addItem(tr("Automatic (below a narrow figure, else beside)"), int(LegendPlacement::Auto));
    m_legend->addItem(tr("Beside the plot"), int(LegendPlacement::Right));
    m_legend->addItem(tr("Below the plot"), int(LegendPlacement::Below));
    m_legend->addItem(tr("Inside the plot (top right)"), int(LegendPlacement::Inside));
    m_legend->addItem(tr("Hidden"), int(LegendPlacement::Hidden));
    m_path->setObjectName(QStringLiteral("exportPath"));
    auto *browseButton = new QPushButton(tr("Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    auto *where = new QHBoxLayout;
    where->addWidget(m_path, 1);
    where->addWidget(browseButton);

    auto *form = new QFormLayout;
    form->addRow(m_one);
    form->addRow(m_set);
    form->addRow(tr("Size:"), m_size);
    form->addRow(tr("Width:"), m_width);
    form->addRow(tr("Height:"), m_height);
    form->addRow(tr("Font size:"), m_font);
    form->addRow(tr("Legend:"), m_legend);
    form->addRow(QString(), m_title);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("PNG resolution:"), m_dpi);
    form->addRow(tr("Save to:"), where);

    m_preview->setObjectName(QStringLiteral("exportPreview"));
    m_preview->setMinimumSize(kPreviewWidth, kPreviewHeight);  // room for the largest preview: it grows as points arrive
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_previewInfo->setAlignment(Qt::AlignCenter);
    m_previewInfo->setWordWrap(true);
    auto *previewBox = new QVBoxLayout;
    previewBox->addWidget(m_preview, 1);
    previewBox->addWidget(m_previewInfo);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole)->setObjectName(QStringLiteral("exportButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    auto *columns = new QHBoxLayout;
    columns->addLayout(form);
    columns->addLayout(previewBox, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);

    // what was chosen last time
    Settings *s = Settings::instance();
    FigureStyle style;
    style.widthIn = s->get(Settings::Key::ExportWidthIn).toDouble();
    style.heightIn = s->get(Settings::Key::ExportHeightIn).toDouble();
    style.fontPt = s->get(Settings::Key::ExportFontPt).toDouble();
    style.dpi = s->get(Settings::Key::ExportDpi).toInt();
    style.legend = parseLegendPlacement(s->get(Settings::Key::ExportLegend).toString()).value_or(LegendPlacement::Auto);
    style.title = s->get(Settings::Key::ExportTitle).toBool();
    m_size->setCurrentIndex(std::max(0, m_size->findData(s->get(Settings::Key::ExportSize).toString())));
    setStyle(style);
    setFormat(exportFormatForPath(QStringLiteral("x.") + s->get(Settings::Key::ExportFormat).toString()).value_or(ExportFormat::Pdf));
    (current ? m_one : m_set)->setChecked(true);
    updateDestination();

    m_previewDelay->setSingleShot(true);
    m_previewDelay->setInterval(150);
    connect(m_previewDelay, &QTimer::timeout, this, &ExportDialog::updatePreview);
    auto changed = [this] { m_previewDelay->start(); };
    connect(m_size, &QComboBox::currentIndexChanged, this, [this, changed] {
        const QString size = m_size->currentData().toString();
        if (const auto preset = FigureStyle::preset(size))
            m_width->setValue(preset->widthIn);
        m_width->setEnabled(size == QLatin1String("custom"));
        changed();
    });
    m_width->setEnabled(m_size->currentData().toString() == QLatin1String("custom"));
    for (QDoubleSpinBox *b : {m_width, m_height, m_font})
        connect(b, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_legend, &QComboBox::currentIndexChanged, this, changed);
    connect(m_title, &QCheckBox::toggled, this, changed);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        m_dpi->setEnabled(m_set->isChecked() || format() == ExportFormat::Png);
        updateDestination();
    });
    for (QRadioButton *r : {m_one, m_set})
        connect(r, &QRadioButton::toggled, this, [this, changed] {
            m_format->setEnabled(m_one->isChecked());
            m_dpi->setEnabled(m_set->isChecked() || format() == ExportFormat::Png);
            updateDestination();
            changed();
        });
    m_format->setEnabled(m_one->isChecked());
    m_dpi->setEnabled(m_set->isChecked() || format() == ExportFormat::Png);
    // live ASR points and finished jobs keep arriving while the dialog is open: the preview follows the views
    if (current)
        connect(current, &PlotView::redrawn, this, changed);
    for (const auto &[name, v] : m_views->plotViews())
        if (v != current)
            connect(v, &PlotView::redrawn, this, changed);
    updatePreview();
}

FigureStyle ExportDialog::style() const
{
    FigureStyle s;
    s.widthIn = m_width->value();
    s.heightIn = m_height->value();
    s.fontPt = m_font->value();
    s.dpi = m_dpi->value();
    s.legend = LegendPlacement(m_legend->currentData().toInt());
    s.title = m_title->isChecked();
    return s;
}

void ExportDialog::setStyle(const FigureStyle &s)
{
    m_width->setValue(s.widthIn);
    m_height->setValue(s.heightIn);
    m_font->setValue(s.fontPt);
    m_dpi->setValue(s.dpi);
    m_legend->setCurrentIndex(std::max(0, m_legend->findData(int(s.legend))));
    m_title->setChecked(s.title);
    const QString size = s.widthIn == FigureStyle::kSingleColumnIn   ? QStringLiteral("single")
                         : s.widthIn == FigureStyle::kDoubleColumnIn ? QStringLiteral("double")
                                                                      : QStringLiteral("custom");
    if (m_size->currentData().toString() != QLatin1String("custom") || size != QLatin1String("custom")) {
        const QSignalBlocker block(m_size);
        m_size->setCurrentIndex(m_size->findData(size));
    }
    m_width->setEnabled(m_size->currentData().toString() == QLatin1String("custom"));
}

bool ExportDialog::figureSet() const { return m_set->isChecked(); }
void ExportDialog::setFigureSet(bool set) { (set ? m_set : m_one)->setChecked(true); }
ExportFormat ExportDialog::format() const { return ExportFormat(m_format->currentData().toInt()); }
void ExportDialog::setFormat(ExportFormat f) { m_format->setCurrentIndex(std::max(0, m_format->findData(int(f)))); }
QString ExportDialog::destination() const { return m_path->text(); }
void ExportDialog::setDestination(const QString &path) { m_path->setText(path); }

void ExportDialog::updateDestination()
{
    QString dir = Settings::instance()->get(Settings::Key::ExportDir).toString();
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString current = m_path->text();
    if (figureSet()) {
        if (current.isEmpty() || QFileInfo(current).suffix().size() > 0)
            m_path->setText(QDir(dir).filePath(QStringLiteral("alignscope-figures")));
        return;
    }
    const QString suffix = exportFormatSuffix(format());
    QString name = m_current ? m_current->objectName().remove(QStringLiteral("View")) : QStringLiteral("figure");
    if (!current.isEmpty() && !QFileInfo(current).suffix().isEmpty())
        m_path->setText(QFileInfo(current).dir().filePath(QFileInfo(current).completeBaseName() + QLatin1Char('.') + suffix));
    else
        m_path->setText(QDir(dir).filePath(name + QLatin1Char('.') + suffix));
}

void ExportDialog::browse()
{
    const QString start = m_path->text();
    QString chosen;
    if (figureSet()) {
        chosen = QFileDialog::getExistingDirectory(this, tr("Export the figures into"), QFileInfo(start).absolutePath());
    } else {
        const QString suffix = exportFormatSuffix(format());
        chosen = QFileDialog::getSaveFileName(this, tr("Export figure"), start, tr("%1 file (*.%2)").arg(suffix.toUpper(), suffix));
        if (!chosen.isEmpty() && QFileInfo(chosen).suffix().isEmpty())
            chosen += QLatin1Char('.') + suffix;
    }
    if (!chosen.isEmpty())
        m_path->setText(chosen);
}

QPixmap ExportDialog::preview() const
{
    return m_preview->pixmap();
}

void ExportDialog::updatePreview()
{
    PlotView *view = m_current;
    if (figureSet() || !view)
        for (const auto &[name, v] : m_views->plotViews())
            if (!v->isEmptyState()) {
                view = v;
                break;
            }
    if (!view) {
        m_preview->setText(tr("No view has data yet"));
        m_previewInfo->clear();
        return;
    }
    int w = 0, h = 0;
    const FigureStyle s = style();
    const std::unique_ptr<QCustomPlot> fig = view->figure(s, &w, &h);
    const double scale = std::min({1.0, double(kPreviewWidth) / w, double(kPreviewHeight) / h}) * devicePixelRatioF();
    QPixmap pixmap = fig->toPixmap(w, h, scale);
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    m_preview->setPixmap(pixmap);
    const QStringList problems = layoutProblems(fig.get(), s.fontPx(), s.fontPx(1));
    m_previewInfo->setText(tr("%1: %2 × %3 in, text %4 pt")
                               .arg(view->figureTitle(), QLocale().toString(w / FigureStyle::kLogicalDpi, 'f', 2),
                                    QLocale().toString(h / FigureStyle::kLogicalDpi, 'f', 2), QLocale().toString(s.fontPt))
                           + (problems.isEmpty() ? QString() : QStringLiteral("\n") + tr("Does not fit: %1").arg(problems.join(QStringLiteral("; ")))));
}

void ExportDialog::remember() const
{
    Settings *s = Settings::instance();
    const FigureStyle st = style();
    s->set(Settings::Key::ExportSize, m_size->currentData().toString());
    s->set(Settings::Key::ExportWidthIn, st.widthIn);
    s->set(Settings::Key::ExportHeightIn, st.heightIn);
    s->set(Settings::Key::ExportFontPt, st.fontPt);
    s->set(Settings::Key::ExportDpi, st.dpi);
    s->set(Settings::Key::ExportLegend, legendPlacementName(st.legend));
    s->set(Settings::Key::ExportTitle, st.title);
    if (!figureSet())
        s->set(Settings::Key::ExportFormat, exportFormatSuffix(format()));
    const QFileInfo where(m_path->text());
    s->set(Settings::Key::ExportDir, where.absolutePath());  // a set's folder lies in it too
}

bool ExportDialog::exportNow(QStringList *written, QString *error)
{
    const QString path = m_path->text().trimmed();
    if (path.isEmpty()) {
        if (error)
            *error = tr("Choose where to save");
        return false;
    }
    remember();
    if (figureSet()) {
        const QStringList files = m_views->exportFigureSet(path, style(), error);
        if (written)
            *written = files;
        return !files.isEmpty();
    }
    if (!m_current)
        return false;
    if (!m_current->exportTo(path, format(), style(), error))
        return false;
    if (written)
        *written = {path};
    return true;
}

void ExportDialog::accept()
{
    QString error;
    QStringList files;
    if (!exportNow(&files, &error)) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return;
    }
    QDialog::accept();
}

} // namespace alignscope::ui
