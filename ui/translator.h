// SPDX-License-Identifier: MIT
#pragma once
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace alignscope::ui {

/** Languages with a translation: "en" plus the embedded .qm files ("de", "zh_CN"). */
QStringList availableLanguages();
/** The language `setting` resolves to ("system" follows the system locale; unknown falls back to "en"). */
QString resolveLanguage(const QString &setting);
/** Installs AlignScope's and Qt's translators for `setting`; returns the language used. */
QString installTranslators(QCoreApplication *app, const QString &setting);

} // namespace alignscope::ui
