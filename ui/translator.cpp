// SPDX-License-Identifier: MIT
#include "translator.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace alignscope::ui {

QStringList availableLanguages()
{
    QStringList langs{QStringLiteral("en")};
    const QDir dir(QStringLiteral(":/i18n"));
    for (const QString &f : dir.entryList({QStringLiteral("alignscope_*.qm")}, QDir::Files, QDir::Name)) {
        QString lang = f.mid(int(qstrlen("alignscope_")));
        lang.chop(3);
        langs << lang;
    }
    return langs;
}

QString resolveLanguage(const QString &setting)
{
    const QStringList langs = availableLanguages();
    if (setting != QLatin1String("system"))
        return langs.contains(setting) ? setting : QStringLiteral("en");
    const QLocale sys = QLocale::system();
    const QString full = sys.name();                 // e.g. "zh_CN", "de_AT"
    if (langs.contains(full))
        return full;
    const QString base = full.section(QLatin1Char('_'), 0, 0);  // "de"
    for (const QString &l : langs)
        if (l.section(QLatin1Char('_'), 0, 0) == base)
            return l;
    return QStringLiteral("en");
}

QString installTranslators(QCoreApplication *app, const QString &setting)
{
    const QString lang = resolveLanguage(setting);
    if (lang == QLatin1String("en"))
        return lang;
    auto *own = new QTranslator(app);
    if (own->load(QStringLiteral(":/i18n/alignscope_%1.qm").arg(lang)))
        QCoreApplication::installTranslator(own);
    auto *qt = new QTranslator(app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    QLocale::setDefault(QLocale(lang));
    return lang;
}

} // namespace alignscope::ui
