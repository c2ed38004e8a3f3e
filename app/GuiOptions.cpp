#include "app/GuiOptions.h"

#include "core/model/ModelSpec.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace factorscope::app {

std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error, bool* helpShown) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Factorscope: a desktop laboratory for collaborative filtering."));
    const QCommandLineOption help = p.addHelpOption();
    const QCommandLineOption version = p.addVersionOption();
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("A MovieLens folder or .zip, a ratings CSV, or 'demo'."),
                                  QStringLiteral("path"));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training once the data is loaded."));
    const QCommandLineOption epochs(QStringLiteral("epochs"), QStringLiteral("Epochs to train (1 to 100000)."),
                                    QStringLiteral("n"));
    const QCommandLineOption loss(QStringLiteral("loss"),
                                  QStringLiteral("What training minimises: mse (ratings) or bpr (rankings)."),
                                  QStringLiteral("mse|bpr"));
    const QCommandLineOption model(
        QStringLiteral("model"),
        QStringLiteral("The model to train, with its defaults (as factorscope-cli's --model)."),
        QStringLiteral("name"));
    const QCommandLineOption shots(QStringLiteral("screenshot"),
                                   QStringLiteral("Train, save a PNG of each main view into dir, then quit."),
                                   QStringLiteral("dir"));
    const QCommandLineOption stalls(QStringLiteral("report-stalls"),
                                    QStringLiteral("Train, then print the longest event-loop stall (JSON) and quit."));
    p.addOptions({data, train, epochs, loss, model, shots, stalls});
    p.addPositionalArgument(QStringLiteral("path"), QStringLiteral("A data set to open (the same as --data)."),
                            QStringLiteral("[path]"));
    *helpShown = false;
    if (!p.parse(arguments)) {
        *error = p.errorText();
        return std::nullopt;
    }
    if (p.isSet(help) || p.isSet(version)) {
        *helpShown = true;
        *error = p.isSet(help) ? p.helpText() : QStringLiteral("factorscope " FACTORSCOPE_VERSION "\n");
        return std::nullopt;
    }
    // One path without a flag opens it, as a file manager's "Open with" passes it.
    const QStringList positional = p.positionalArguments();
    if (positional.size() > 1 || (positional.size() == 1 && p.isSet(data))) {
        *error = QStringLiteral("unexpected argument \"%1\" (give one data set, with or without --data)")
                     .arg(positional.back());
        return std::nullopt;
    }
    GuiOptions o;
    o.data = positional.isEmpty() ? p.value(data) : positional.front();
    if (p.isSet(data) && o.data.isEmpty()) {
        *error = QStringLiteral("--data: needs a path, or demo");
        return std::nullopt;
    }
    if (!o.data.isEmpty() && o.data != QLatin1String("demo") && !QFileInfo::exists(o.data)) {
        *error = QStringLiteral("%1 %2: no such file or folder")
                     .arg(positional.isEmpty() ? QStringLiteral("--data") : QString(), o.data)
                     .trimmed();
        return std::nullopt;
    }
    o.train = p.isSet(train);
    if (p.isSet(epochs)) {
        bool ok = false;
        o.epochs = p.value(epochs).toInt(&ok);
        if (!ok || o.epochs < 1 || o.epochs > 100000) {
            *error =
                QStringLiteral("--epochs: expected a whole number from 1 to 100000, got \"%1\"").arg(p.value(epochs));
            return std::nullopt;
        }
    }
    if (p.isSet(loss)) {
        o.loss = p.value(loss);
        if (o.loss != QLatin1String("mse") && o.loss != QLatin1String("bpr")) {
            *error = QStringLiteral("--loss: expected mse or bpr, got \"%1\"").arg(o.loss);
            return std::nullopt;
        }
    }
    if (p.isSet(model)) {
        o.model = p.value(model);
        if (!parseModelKind(o.model.toStdString())) {
            *error = QStringLiteral("--model: unknown \"%1\" (as factorscope-cli train --help lists)").arg(o.model);
            return std::nullopt;
        }
    }
    if (p.isSet(shots)) {
        o.screenshotDir = p.value(shots);
        if (o.screenshotDir.isEmpty() || !QDir().mkpath(o.screenshotDir) || !QFileInfo(o.screenshotDir).isWritable()) {
            *error = QStringLiteral("--screenshot %1: cannot create or write this folder").arg(o.screenshotDir);
            return std::nullopt;
        }
        o.train = true;
    }
    if (p.isSet(stalls) && p.isSet(shots)) {
        *error = QStringLiteral("--report-stalls: cannot be combined with --screenshot (it measures training alone)");
        return std::nullopt;
    }
    o.reportStalls = p.isSet(stalls);
    o.train = o.train || o.reportStalls;
    return o;
}

} // namespace factorscope::app
