// MainWindow's settings that persist: the last spec and data set, the window's layout and
// the recent data sets menu (split from MainWindow.cpp to keep each file readable).
#include "ui/AppSettings.h"
#include "ui/MainWindow.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace factorscope::ui {

void MainWindow::restoreSettings() {
    if (auto spec = settings::lastSpec())
        m_form->setSpec(*spec);
    restoreGeometry(settings::windowGeometry());
    restoreState(settings::windowState());
    updateRecentMenu();
}

void MainWindow::saveSettings() const {
    settings::setLastSpec(m_form->spec());
    if (m_bench->dataset())
        settings::setLastDataset(QString::fromStdString(m_bench->dataset()->source));
    settings::setWindowLayout(saveGeometry(), saveState());
}

void MainWindow::rememberRecent(const QString& path) {
    settings::addRecentDataset(path);
    QSettings().setValue(QStringLiteral("lastDir"), QFileInfo(path).absolutePath());
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = settings::recentDatasets();
    for (const QString& path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openDataset(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

} // namespace factorscope::ui
