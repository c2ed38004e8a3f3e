#include "ui/session/GuiPoster.h"

#include <QCoreApplication>
#include <QEvent>

namespace factorscope::ui {

namespace {
const QEvent::Type kPosted = static_cast<QEvent::Type>(QEvent::registerEventType());
} // namespace

void GuiPoster::post(std::function<void()> f) {
    // The event is made and posted under the lock, so the GUI thread, which takes the lock
    // before it looks at any event, sees it whole.
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(f));
    QCoreApplication::postEvent(this, new QEvent(kPosted));
}

bool GuiPoster::event(QEvent* e) {
    std::unique_lock lock(m_mutex);
    if (e->type() != kPosted || m_queue.empty()) {
        lock.unlock();
        return QObject::event(e);
    }
    std::function<void()> call = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    call();
    return true;
}

} // namespace factorscope::ui
