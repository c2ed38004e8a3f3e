#pragma once
// From a worker thread: runs `f(object)` on the object's (GUI) thread, later, and only if the
// object still exists then. How jobs hand progress to their signals.
#include <QMetaObject>
#include <QPointer>

namespace fs::ui {

template <class T, class F> void postToGui(const QPointer<T>& object, F f) {
    if (!object)
        return;
    QMetaObject::invokeMethod(object.data(), [object, f] {
        if (object)
            f(object.data());
    }, Qt::QueuedConnection);
}

} // namespace fs::ui
