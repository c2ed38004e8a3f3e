#include "ui/Screenshots.h"

#include "ui/ExperimentPages.h"
#include "ui/LessonPanel.h"
#include "ui/MainWindow.h"
#include "ui/charts/LineChart.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExperimentsView.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/MapWidget.h"
#include "ui/views/RunsView.h"
#include "ui/views/ScheduleView.h"
#include "ui/views/SpreadsheetView.h"
#include "ui/views/StepView.h"
#include "ui/views/TrainingView.h"
#include "ui/views/YouPage.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QEventLoop>
#include <QTabWidget>
#include <QTableWidget>

#include <algorithm>
#include <functional>

namespace factorscope::ui {

namespace {

// The explorer's pages, with the most-rated movie and the first user picked; its colourings,
// you on the map, custom axes and t-SNE.
void shootExplorer(MainWindow& window, const std::function<void(const QString&)>& shoot) {
    ExplorerView& explorer = window.explorerView();
    window.tabs().setCurrentWidget(&explorer);
    const auto& pts = explorer.map()->points();
    if (explorer.map()->selected() < 0 && !pts.isEmpty()) {
        const auto top =
            std::max_element(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.weight < b.weight; });
        explorer.selectMovie(top->item);
    } else if (explorer.map()->selected() < 0 && explorer.recommendationTable()->rowCount() > 0) {
        // No map (a model without factors, such as knn): the user's top recommendation.
        explorer.selectMovie(explorer.recommendationTable()->item(0, 0)->data(Qt::UserRole).toInt());
    }
    const QStringList pages = {QStringLiteral("explorer-components"), QStringLiteral("explorer-neighbours"),
                               QStringLiteral("explorer-recommend"), QStringLiteral("explorer-data")};
    while (explorer.isFindingRatedAlike()) // the neighbours page's movies rated alike
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    for (int k = 0; k < pages.size(); ++k) {
        explorer.showPage(k);
        shoot(pages[k]);
    }
    explorer.setColour(ExplorerView::Colour::Norm); // what the model learned: its embeddings' lengths
    explorer.showPage(0);
    shoot(QStringLiteral("explorer-norm"));
    explorer.setColour(ExplorerView::Colour::Genre);
    if (const auto data = window.workbench().dataset()) { // "You": the first user's first ratings, as yours
        int rated = 0;
        for (std::size_t k = 0; k < data->ratings.size() && rated < 6; ++k)
            if (data->ratings.user[k] == 0 &&
                explorer.youPage()->rateItem(data->ratings.item[k], data->ratings.rating[k]))
                ++rated;
        explorer.showPage(4);
        shoot(QStringLiteral("explorer-you"));
    }
    if (!explorer.map()->points().isEmpty()) { // the same movies laid out by t-SNE
        explorer.setTsneLayout(true);
        while (explorer.isLayingOut())
            QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        explorer.showPage(1);
        shoot(QStringLiteral("explorer-tsne"));
        explorer.setTsneLayout(false);
    }
    const auto data = window.workbench().dataset();
    const auto digest = window.workbench().digest();
    if (data && digest && !data->demoGenreOfItem.empty() && !explorer.map()->points().isEmpty()) {
        // Custom axes from the most rated movie to the most rated of another planted genre.
        const auto& byCount = digest->items.byCount;
        const int32_t a = byCount.front();
        const auto b = std::find_if(byCount.begin(), byCount.end(), [&](int32_t i) {
            return data->demoGenreOfItem[static_cast<std::size_t>(i)] !=
                   data->demoGenreOfItem[static_cast<std::size_t>(a)];
        });
        const auto title = [&](int32_t i) {
            return QString::fromStdString(data->catalogue.titleOf(data->items.original(i)));
        };
        if (b != byCount.end() && explorer.setCustomAxes(title(a), title(*b))) {
            explorer.showPage(0);
            shoot(QStringLiteral("explorer-axes"));
        }
        explorer.setTsneLayout(false);
    }
}

// A lesson under way: learning rates, its first step (the schedule preview outlined), which
// trains nothing: the screenshot test runs under the sanitizers too.
void shootLesson(MainWindow& window, const std::function<void(const QString&)>& shoot) {
    auto* panel = window.findChild<LessonPanel*>(QStringLiteral("lessonPanel"));
    if (!panel || !window.workbench().dataset())
        return;
    const TrainSpec before = window.form().spec();
    panel->start(3);
    while (window.workbench().session().isRunning())
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    QApplication::processEvents();
    shoot(QStringLiteral("lesson"));
    panel->close();
    window.form().setSpec(before);
}

} // namespace

bool saveScreenshots(MainWindow& window, const QString& dir) {
    if (!QDir().mkpath(dir))
        return false;
    bool ok = true;
    auto shoot = [&](const QString& name) {
        QApplication::processEvents();
        for (LineChart* c : window.trainingView().charts() + window.scheduleView().charts())
            c->resetZoom();
        QApplication::processEvents();
        ok = window.grab().save(QDir(dir).filePath(name + QLatin1String(".png"))) && ok;
    };
    const QStringList names = {QStringLiteral("training"), QStringLiteral("schedule"), QStringLiteral("predictions")};
    for (int k = 0; k < names.size(); ++k) {
        window.tabs().setCurrentIndex(k);
        shoot(names[k]);
    }
    shootExplorer(window, shoot);
    if (auto* sheet = window.findChild<SpreadsheetView*>(QStringLiteral("spreadsheet"))) { // after 400 epochs
        window.tabs().setCurrentWidget(sheet);
        sheet->trainEpochs(400);
        shoot(QStringLiteral("spreadsheet"));
    }
    if (auto* steps = window.findChild<StepView*>(QStringLiteral("oneStep"))) { // after 200 batches
        window.tabs().setCurrentWidget(steps);
        steps->step(199);
        steps->step(1);
        shoot(QStringLiteral("one-step"));
    }
    window.tabs().setCurrentWidget(&window.pages().runs());
    window.pages().runs().selectNewest(3); // their curves overlaid, their specs compared
    shoot(QStringLiteral("runs"));
    // The experiments page with a cross-validation and a small grid run on the loaded data.
    ExperimentsView& experiments = window.pages().experiments();
    window.tabs().setCurrentWidget(&experiments);
    ExperimentJob& job = window.workbench().experiments();
    auto runAndWait = [&](const std::function<void()>& start) {
        QEventLoop loop;
        const auto done = QObject::connect(&job, &ExperimentJob::cvFinished, &loop, &QEventLoop::quit);
        const auto grid = QObject::connect(&job, &ExperimentJob::gridFinished, &loop, &QEventLoop::quit);
        const auto fail = QObject::connect(&job, &ExperimentJob::failed, &loop, &QEventLoop::quit);
        start();
        if (job.isRunning())
            loop.exec();
        QObject::disconnect(done);
        QObject::disconnect(grid);
        QObject::disconnect(fail);
    };
    runAndWait([&] { experiments.startCrossValidation(); });
    experiments.setGridText(QStringLiteral("factors=16,32,64 weight-decay=0.1,0.3"));
    runAndWait([&] { experiments.startGridSearch(); });
    shoot(QStringLiteral("experiments"));
    window.tabs().setCurrentIndex(0);
    // The experiment form whole, its advanced settings unfolded.
    if (auto* advanced = window.form().findChild<QCheckBox*>(QStringLiteral("advanced"))) {
        advanced->setChecked(true);
        QApplication::processEvents();
        ok = window.form().grab().save(QDir(dir).filePath(QStringLiteral("experiment-form.png"))) && ok;
        advanced->setChecked(false);
    }
    shootLesson(window, shoot); // last: a lesson sets the form and trains
    return ok;
}

} // namespace factorscope::ui
