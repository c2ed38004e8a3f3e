// factorscope: the desktop application. Wiring only; the window lives in ui/.
#include "app/GuiOptions.h"
#include "core/common/AtomicFile.h"
#include "ui/AppSettings.h"
#include "ui/MainWindow.h"
#include "ui/Screenshots.h"
#include "ui/StallMeter.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ScheduleView.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// --report-stalls: from the first shown frame to the end of training, the event loop's longest
// stall; printed as one JSON line, then the window closes. Start-up is reported apart.
void reportStalls(factorscope::ui::MainWindow& window, const QElapsedTimer& sinceLaunch, int& exitCode) {
    auto* meter = new factorscope::ui::StallMeter(&window);
    auto startupMs = std::make_shared<double>(0);
    QTimer::singleShot(0, &window, [=] { // the first turn of the loop after show(): the first frame
        *startupMs = static_cast<double>(sinceLaunch.nsecsElapsed()) / 1e6;
        meter->begin();
    });
    factorscope::ui::TrainingSession& session = window.workbench().session();
    QObject::connect(&session, &factorscope::ui::TrainingSession::finished, &window, [=, &window, &session] {
        const factorscope::ui::StallFigures f = meter->figures();
        const auto epochs = session.trainer() ? session.trainer()->history().size() : 0;
        std::printf("{\"max_stall_ms\": %.1f, \"p99_stall_ms\": %.1f, \"stalls_over_50ms\": %d, "
                    "\"worst_stall_at_s\": %.2f, \"measured_s\": %.2f, \"startup_ms\": %.0f, \"epochs\": %zu}\n",
                    f.maxMs, f.p99Ms, f.over50ms, f.worstAtSeconds, f.seconds, *startupMs, epochs);
        std::fflush(stdout);
        window.close();
    });
    auto fail = [&window, &exitCode](const QString& message) {
        std::fprintf(stderr, "factorscope: %s\n", qPrintable(message));
        exitCode = 1;
        window.close();
    };
    QObject::connect(&window.workbench(), &factorscope::ui::Workbench::datasetFailed, &window,
                     [fail](const QString& m, const QString&) { fail(m); });
    QObject::connect(&session, &factorscope::ui::TrainingSession::failed, &window, fail);
}

} // namespace

int main(int argc, char** argv) {
    QElapsedTimer sinceLaunch;
    sinceLaunch.start();
    factorscope::ignoreFileSizeSignal(); // a save past ulimit -f reports the error instead of killing the app
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Factorscope"));
    QApplication::setOrganizationName(QStringLiteral("Factorscope"));
    QApplication::setApplicationVersion(QStringLiteral(FACTORSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.factorscope.Factorscope"));

    QString error;
    bool help = false;
    const auto options = factorscope::app::parseGuiOptions(QApplication::arguments(), &error, &help);
    if (!options) {
        std::fputs(qPrintable(help ? error : QStringLiteral("factorscope: ") + error + QLatin1Char('\n')),
                   help ? stdout : stderr);
        return help ? 0 : 2;
    }

    // Screenshots document the defaults, and a stall report measures them: keep the user's saved
    // settings out of both.
    std::unique_ptr<QTemporaryDir> isolated;
    const bool unattended = !options->screenshotDir.isEmpty();
    if (unattended || options->reportStalls) {
        isolated = std::make_unique<QTemporaryDir>();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, isolated->path());
    }

    factorscope::ui::MainWindow window;
    window.setConfirmClose(!unattended && !options->reportStalls);
    factorscope::ui::Workbench& bench = window.workbench();
    int exitCode = 0;

    auto startTraining = [&] {
        factorscope::TrainSpec spec = window.form().spec();
        if (!options->model.isEmpty())
            spec.setModelKind(*factorscope::parseModelKind(options->model.toStdString()));
        if (!options->loss.isEmpty())
            spec.setLoss(options->loss == QLatin1String("bpr") ? factorscope::LossKind::Bpr
                                                               : factorscope::LossKind::Mse);
        if (options->epochs > 0)
            spec.epochs = options->epochs;
        window.form().setSpec(spec);
        window.train();
    };
    if (options->train) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = QObject::connect(&bench, &factorscope::ui::Workbench::datasetLoaded, &window, [&, once] {
            QObject::disconnect(*once);
            if (unattended) // the schedule view's screenshot shows a real LR finder curve
                Q_EMIT window.scheduleView().findRequested();
            else
                startTraining();
        });
    }
    if (unattended) {
        QObject::connect(&bench.finder(), &factorscope::ui::LrFindJob::finished, &window, [&] { startTraining(); });
        QObject::connect(&bench.finder(), &factorscope::ui::LrFindJob::failed, &window, [&] { startTraining(); });
        QObject::connect(&bench.session(), &factorscope::ui::TrainingSession::finished, &window, [&] {
            QTimer::singleShot(300, &window, [&] {
                if (!factorscope::ui::saveScreenshots(window, options->screenshotDir)) {
                    std::fprintf(stderr, "factorscope: --screenshot %s: cannot write the images\n",
                                 qPrintable(options->screenshotDir));
                    exitCode = 1;
                } else {
                    std::printf("Screenshots written to %s\n", qPrintable(QDir(options->screenshotDir).absolutePath()));
                }
                window.close();
            });
        });
        auto fail = [&](const QString& message) {
            std::fprintf(stderr, "factorscope: %s\n", qPrintable(message));
            exitCode = 1;
            window.close();
        };
        QObject::connect(&bench, &factorscope::ui::Workbench::datasetFailed, &window,
                         [fail](const QString& m, const QString&) { fail(m); });
        QObject::connect(&bench.session(), &factorscope::ui::TrainingSession::failed, &window, fail);
    }

    if (options->reportStalls)
        reportStalls(window, sinceLaunch, exitCode);
    window.show();
    QString data = options->data;
    if (data.isEmpty())
        data = factorscope::ui::settings::lastDataset();
    if (data != QLatin1String("demo") && !QDir().exists(data) && !QFileInfo::exists(data))
        data = QStringLiteral("demo"); // the last data set has moved: start on the demo data
    window.openDataset(data);
    const int rc = app.exec();
    return exitCode ? exitCode : rc;
}
