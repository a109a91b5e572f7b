// SPDX-License-Identifier: MIT
// Runs alignscope-cli as a user does: a real process, its exit status, stdout and stderr. Header-only:
// every CLI test defines ALIGNSCOPE_CLI (the path of the built executable).
#pragma once
#include <QProcess>
#include <QString>
#include <QStringList>

namespace alignscope::test {

struct CliRun {
    int exitCode = -1;  ///< -1: crashed or timed out
    QString out, err;
};

inline CliRun runCli(const QStringList &args, int timeoutMs = 600000)
{
    QProcess p;
    p.start(QStringLiteral(ALIGNSCOPE_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace alignscope::test
