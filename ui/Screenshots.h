#pragma once
// --screenshot: a PNG of each page of the main window (training, schedule, predictions, the
// explorer's four pages, runs, experiments), as a user would see them.
#include <QString>

namespace factorscope::ui {

class MainWindow;

// False when a file cannot be written.
bool saveScreenshots(MainWindow& window, const QString& dir);

} // namespace factorscope::ui
