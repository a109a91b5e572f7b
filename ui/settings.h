// SPDX-License-Identifier: MIT
#pragma once
#include <QObject>
#include <QStringList>
#include <QVariant>

#include <memory>

class QSettings;

namespace alignscope::ui {

/**
 * Typed application settings over QSettings: every key has one name and one default here.
 * Tests and portable installs point it at an INI file with useFile().
 */
class Settings : public QObject {
    Q_OBJECT
public:
    enum class Key {
        Language,            ///< "system", "en", "de", "zh_CN"
        Threads,             ///< libtorch intra-op threads for the worker; 0 = all
        RecentFiles,         ///< most recent first
        LastOpenDir,
        MainWindowGeometry,
        MainWindowState,
        CurrentView,         ///< index of the visible view tab
        ExportDir,           ///< the folder figures were last exported to
        ExportSize,          ///< "single", "double" or "custom"
        ExportWidthIn,       ///< custom figure width in inches
        ExportHeightIn,      ///< figure height in inches; 0: each view's own proportions
        ExportFontPt,        ///< every text of a figure, in points
        ExportDpi,           ///< PNG resolution
        ExportFormat,        ///< "pdf", "svg", "png" or "csv" (one view)
        ExportLegend,        ///< "auto", "right", "below", "inside", "hidden"
        ExportTitle,         ///< figures carry their title
        GenerationsHeight,   ///< height of the generations drawer; 0: closed
    };
    Q_ENUM(Key)

    static constexpr int kMaxRecentFiles = 10;

    static Settings *instance();
    /** Re-targets the instance at an INI file (tests: a temporary file). Empty path: the platform default. */
    static void useFile(const QString &path);

    QVariant get(Key key) const;
    void set(Key key, const QVariant &value);
    void resetToDefaults();
    void sync();
    static QString keyName(Key key);
    static QVariant defaultValue(Key key);

    QString language() const { return get(Key::Language).toString(); }
    void setLanguage(const QString &lang) { set(Key::Language, lang); }
    int threads() const { return get(Key::Threads).toInt(); }
    QStringList recentFiles() const { return get(Key::RecentFiles).toStringList(); }
    void addRecentFile(const QString &path);
    void removeRecentFile(const QString &path);

Q_SIGNALS:
    void changed(alignscope::ui::Settings::Key key);

private:
    explicit Settings(const QString &file);
    std::unique_ptr<QSettings> m_settings;
};

} // namespace alignscope::ui
