#pragma once
// Runs the project's programs as a script would: any of them with its exit code and output,
// and factorscope-cli with its JSON lines parsed.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace factorscope::test {

struct ProcessRun {
    int exitCode = -1; // -1: it crashed or ran past the time limit
    QString out, err;
};

inline ProcessRun runProgram(const QString& program, const QStringList& args,
                             const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                             int timeoutMs = 300000) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    ProcessRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

struct CliRun {
    int exitCode = -1;
    QList<QJsonObject> lines; // stdout, one JSON object per line
    QString stderrText;
    QJsonObject last() const { return lines.isEmpty() ? QJsonObject() : lines.last(); }
};

inline CliRun runCli(const QStringList& args, int timeoutMs = 300000) {
    const ProcessRun p =
        runProgram(QStringLiteral(FACTORSCOPE_CLI), args, QProcessEnvironment::systemEnvironment(), timeoutMs);
    CliRun r;
    r.exitCode = p.exitCode;
    r.stderrText = p.err;
    for (const QString& line : p.out.split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            r.lines << QJsonDocument::fromJson(line.toUtf8()).object();
    return r;
}

} // namespace factorscope::test
