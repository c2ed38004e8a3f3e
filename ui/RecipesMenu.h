#pragma once
// The Recipes menu: each seed notebook's experiment, named for what it is, one click away.
// Choosing one sets the experiment form (MainWindow); the tooltip says what it trains, where
// it comes from, the figure the notebook reports and what Factorscope gets.
#include <QMenu>

namespace factorscope::ui {

class RecipesMenu : public QMenu {
    Q_OBJECT
public:
    explicit RecipesMenu(QWidget* parent = nullptr);

Q_SIGNALS:
    void chosen(int index); // into factorscope::recipes()
};

} // namespace factorscope::ui
