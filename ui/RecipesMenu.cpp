#include "ui/RecipesMenu.h"

#include "core/experiment/Recipes.h"

namespace factorscope::ui {

RecipesMenu::RecipesMenu(QWidget* parent) : QMenu(tr("&Recipes"), parent) {
    setObjectName(QStringLiteral("recipesMenu"));
    setToolTipsVisible(true);
    const auto& all = recipes();
    for (int k = 0; k < static_cast<int>(all.size()); ++k) {
        const Recipe& r = all[static_cast<std::size_t>(k)];
        QAction* a = addAction(QString::fromStdString(r.name), this, [this, k] { Q_EMIT chosen(k); });
        a->setObjectName(QStringLiteral("recipe-") + QString::fromStdString(r.name));
        a->setToolTip(tr("<p>%1.</p><p>From <i>%2</i>, on %3 (%4).</p><p>It reports: %5.<br>Factorscope: %6.</p>")
                          .arg(QString::fromStdString(r.what), QString::fromStdString(r.notebook),
                               QString::fromStdString(r.data), QString::fromStdString(r.dataNote),
                               r.reported.empty() ? tr("no final figure") : QString::fromStdString(r.reported),
                               QString::fromStdString(r.measured)));
    }
}

} // namespace factorscope::ui
