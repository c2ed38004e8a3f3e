// MainWindow's teaching parts (split from MainWindow.cpp to keep each file readable): the
// Recipes menu, where a recipe sets the experiment form for the loaded data set, the
// Spreadsheet page, the One step page, your own ratings kept for the next training, and the
// Lessons menu with the panel that walks through one (and what a lesson may do to the window).
#include "core/experiment/Recipes.h"
#include "ui/ExperimentPages.h"
#include "ui/LessonPanel.h"
#include "ui/Lessons.h"
#include "ui/MainWindow.h"
#include "ui/RecipesMenu.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/RunsView.h"
#include "ui/views/SpreadsheetView.h"
#include "ui/views/StepView.h"
#include "ui/views/YouPage.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>

namespace factorscope::ui {

namespace {

// What a lesson does to the window, through its public parts.
class WindowLessons : public QObject, public LessonDriver {
public:
    explicit WindowLessons(MainWindow& w) : QObject(&w), m_w(w) {}
    TrainSpec spec() const override { return m_w.form().spec(); }
    void setSpec(const TrainSpec& spec) override { m_w.form().setSpec(spec); }
    void trainNew() override {
        if (isBusy())
            return;
        m_w.workbench().discardModel();
        m_w.train();
    }
    bool isBusy() const override {
        return m_w.workbench().session().isRunning() || m_w.workbench().finder().isRunning();
    }
    void findLearningRate() override {
        showTab(QStringLiteral("scheduleView"));
        if (auto* find = m_w.findChild<QAction*>(QStringLiteral("findLrAction")); find && find->isEnabled())
            find->trigger();
    }
    void showTab(const QString& objectName) override {
        if (QWidget* page = m_w.findChild<QWidget*>(objectName))
            m_w.tabs().setCurrentWidget(page);
    }
    void showExplorer(int page, bool mostRatedSelected) override {
        ExplorerView& explorer = m_w.explorerView();
        m_w.tabs().setCurrentWidget(&explorer);
        explorer.showPage(page);
        const auto digest = m_w.workbench().digest();
        if (mostRatedSelected && digest && !digest->items.byCount.empty())
            explorer.selectMovie(digest->items.byCount.front());
    }
    void colourExplorerByBias() override {
        showExplorer(0, false);
        m_w.explorerView().setColour(ExplorerView::Colour::ItemBias);
    }
    void selectNewestRuns(int count) override { m_w.pages().runs().selectNewest(count); }
    QWidget* find(const QString& objectName) const override { return m_w.findChild<QWidget*>(objectName); }

private:
    MainWindow& m_w;
};

} // namespace

void MainWindow::buildTeaching() {
    auto* sheet = new SpreadsheetView;
    sheet->setObjectName(QStringLiteral("spreadsheet"));
    m_tabs->addTab(sheet, tr("Spreadsheet"));
    connect(m_bench, &Workbench::datasetLoaded, sheet,
            [this, sheet] { sheet->setData(m_bench->dataset(), m_bench->digest()); });
    auto* steps = new StepView;
    steps->setObjectName(QStringLiteral("oneStep"));
    m_tabs->addTab(steps, tr("One step"));
    connect(m_bench, &Workbench::datasetLoaded, steps, [this, steps] { steps->setData(m_bench->dataset()); });
    buildOwnRatings();
    buildLessons();
    auto* menu = new RecipesMenu(this);
    menuBar()->addMenu(menu);
    connect(menu, &RecipesMenu::chosen, this, [this](int index) {
        const Recipe& r = recipes().at(static_cast<std::size_t>(index));
        TrainSpec spec = r.spec;
        QString note;
        if (const auto data = m_bench->dataset()) {
            note = QString::fromStdString(r.fitSplit(spec, data->predefinedSplits));
            r.fitToData(spec, data->ratings.size() * 8 / 10);
        }
        m_form->setSpec(spec);
        m_status->setText(tr("Recipe %1 set: %2. Press Train (Ctrl+Return).%3")
                              .arg(QString::fromStdString(r.name), QString::fromStdString(r.what),
                                   note.isEmpty() ? QString() : QStringLiteral(" ") + note + QStringLiteral(".")));
        m_status->setToolTip(tr("It reports: %1. Factorscope: %2.")
                                 .arg(r.reported.empty() ? tr("no final figure") : QString::fromStdString(r.reported),
                                      QString::fromStdString(r.measured)));
    });
}

// Lessons ▸ one of the guided tours, followed in a panel docked on the right.
void MainWindow::buildLessons() {
    auto* panel = new LessonPanel(*new WindowLessons(*this), this);
    addDockWidget(Qt::RightDockWidgetArea, panel);
    panel->hide();
    QMenu* menu = menuBar()->addMenu(tr("&Lessons"));
    for (std::size_t k = 0; k < lessons().size(); ++k) {
        const Lesson& l = lessons()[k];
        QAction* a = menu->addAction(l.name, panel, [panel, k] { panel->start(static_cast<int>(k)); });
        a->setObjectName(QStringLiteral("lesson-%1").arg(k));
        a->setToolTip(l.what);
        a->setStatusTip(l.what);
    }
    menu->setToolTipsVisible(true);
}

// The You page keeps your ratings in a file of your own per data set; this menu item makes the
// next load include them (and reloads the data set now, when one is open and nothing trains).
void MainWindow::buildOwnRatings() {
    auto* include = m_pages->datasetsMenu()->addAction(tr("Include &my ratings when loading"));
    include->setObjectName(QStringLiteral("includeOwnRatings"));
    include->setCheckable(true);
    include->setToolTip(tr("Your ratings kept from Explorer ▸ You join the data set when it loads, so training "
                           "learns you like any other user"));
    include->setChecked(QSettings().value(QStringLiteral("includeOwnRatings"), false).toBool());
    m_bench->setIncludeOwnRatings(include->isChecked());
    connect(include, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("includeOwnRatings"), on);
        m_bench->setIncludeOwnRatings(on);
        if (!m_bench->datasetPath().isEmpty() && !m_bench->session().isRunning())
            openDataset(m_bench->datasetPath());
    });
    connect(m_bench, &Workbench::datasetLoaded, this,
            [this] { m_explorer->youPage()->setKeepPath(Workbench::ownRatingsPath(m_bench->datasetPath())); });
}

} // namespace factorscope::ui
