#pragma once
// Runs factorscope-cli as a script would and parses its JSON lines.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace fs::test {

struct CliRun {
    int exitCode = -1;
    QList<QJsonObject> lines; // stdout, one JSON object per line
    QString stderrText;
    QJsonObject last() const { return lines.isEmpty() ? QJsonObject() : lines.last(); }
};

inline CliRun runCli(const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(QStringLiteral(FACTORSCOPE_CLI), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.stderrText = QString::fromUtf8(p.readAllStandardError());
    for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
        if (!line.trimmed().isEmpty())
            r.lines << QJsonDocument::fromJson(line).object();
    return r;
}

} // namespace fs::test
