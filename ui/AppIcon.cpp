#include "ui/AppIcon.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be called from the global namespace.
static void registerFactorscopeResources() {
    static const bool once = [] {
        Q_INIT_RESOURCE(factorscope);
        return true;
    }();
    (void)once;
}

namespace factorscope::ui {

QIcon appIcon() {
    registerFactorscopeResources();
    return QIcon(QStringLiteral(":/icons/factorscope.svg"));
}

} // namespace factorscope::ui
