#pragma once

#include <QIcon>

namespace factorscope::ui {

/// Factorscope's window icon from the ui library's resources. Registers those resources on
/// first use, so any program linking the static ui library (the app, the tests) finds them.
QIcon appIcon();

} // namespace factorscope::ui
