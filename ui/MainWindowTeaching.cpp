// MainWindow's teaching parts (split from MainWindow.cpp to keep each file readable): the
// Recipes menu, where a recipe sets the experiment form for the loaded data set, the
// Spreadsheet page, the One step page, and your own ratings kept for the next training.
#include "core/experiment/Recipes.h"
#include "ui/ExperimentPages.h"
#include "ui/MainWindow.h"
#include "ui/RecipesMenu.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/SpreadsheetView.h"
#include "ui/views/StepView.h"
#include "ui/views/YouPage.h"

#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>

namespace factorscope::ui {

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
