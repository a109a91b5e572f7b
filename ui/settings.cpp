// SPDX-License-Identifier: MIT
#include "settings.h"

#include <QSettings>

namespace alignscope::ui {

namespace {

struct Entry {
    Settings::Key key;
    const char *name;
    QVariant def;
};

const Entry kEntries[] = {
    {Settings::Key::Language, "ui/language", QStringLiteral("system")},
    {Settings::Key::Threads, "engine/threads", 0},
    {Settings::Key::RecentFiles, "files/recent", QStringList()},
    {Settings::Key::LastOpenDir, "files/lastOpenDir", QString()},
    {Settings::Key::MainWindowGeometry, "window/geometry", QByteArray()},
    {Settings::Key::MainWindowState, "window/state2", QByteArray()},  // 2: the linked layout of 0.2
    {Settings::Key::CurrentView, "window/view2", 0},
    {Settings::Key::ExportDir, "export/dir", QString()},
    {Settings::Key::ExportSize, "export/size", QStringLiteral("single")},
    {Settings::Key::ExportWidthIn, "export/widthIn", 3.25},
    {Settings::Key::ExportHeightIn, "export/heightIn", 0.0},
    {Settings::Key::ExportFontPt, "export/fontPt", 8.0},
    {Settings::Key::ExportDpi, "export/dpi", 600},
    {Settings::Key::ExportFormat, "export/format", QStringLiteral("pdf")},
    {Settings::Key::ExportLegend, "export/legend", QStringLiteral("auto")},
    {Settings::Key::ExportTitle, "export/title", true},
    {Settings::Key::GenerationsHeight, "window/generationsHeight", 220},
};

const Entry &entry(Settings::Key key)
{
    for (const Entry &e : kEntries)
        if (e.key == key)
            return e;
    Q_UNREACHABLE();
}

std::unique_ptr<Settings> g_instance;

} // namespace

Settings::Settings(const QString &file)
    : m_settings(file.isEmpty() ? std::make_unique<QSettings>()
                                : std::make_unique<QSettings>(file, QSettings::IniFormat))
{
}

Settings *Settings::instance()
{
    if (!g_instance)
        g_instance.reset(new Settings(QString()));
    return g_instance.get();
}

void Settings::useFile(const QString &path)
{
    g_instance.reset(new Settings(path));
}

QString Settings::keyName(Key key) { return QString::fromLatin1(entry(key).name); }
QVariant Settings::defaultValue(Key key) { return entry(key).def; }

QVariant Settings::get(Key key) const
{
    const Entry &e = entry(key);
    QVariant v = m_settings->value(QLatin1String(e.name), e.def);
    // INI files store a one-element list as a plain string; keep the declared type.
    if (e.def.typeId() == QMetaType::QStringList && v.typeId() == QMetaType::QString)
        return QStringList{v.toString()};
    if (e.def.isValid() && v.typeId() != e.def.typeId() && v.canConvert(e.def.metaType()))
        v.convert(e.def.metaType());
    return v;
}

void Settings::set(Key key, const QVariant &value)
{
    if (get(key) == value)
        return;
    m_settings->setValue(QLatin1String(entry(key).name), value);
    Q_EMIT changed(key);
}

void Settings::resetToDefaults()
{
    m_settings->clear();
    for (const Entry &e : kEntries)
        Q_EMIT changed(e.key);
}

void Settings::sync() { m_settings->sync(); }

void Settings::addRecentFile(const QString &path)
{
    QStringList list = recentFiles();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecentFiles)
        list.removeLast();
    set(Key::RecentFiles, list);
}

void Settings::removeRecentFile(const QString &path)
{
    QStringList list = recentFiles();
    list.removeAll(path);
    set(Key::RecentFiles, list);
}

} // namespace alignscope::ui
