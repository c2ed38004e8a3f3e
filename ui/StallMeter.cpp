#include "ui/StallMeter.h"

#include <algorithm>

namespace factorscope::ui {

namespace {
constexpr int kIntervalMs = 5;
}

StallMeter::StallMeter(QObject* parent) : QObject(parent) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallMeter::tick);
    m_clock.start();
}

void StallMeter::begin() {
    m_lateMs.clear();
    m_max = m_worstAt = 0;
    m_over50 = 0;
    m_start = m_last = m_clock.nsecsElapsed();
    m_timer.start();
}

void StallMeter::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    const double late = std::max(0.0, static_cast<double>(now - m_last) / 1e6 - kIntervalMs);
    m_last = now;
    m_lateMs.push_back(static_cast<float>(late));
    if (late > 50)
        ++m_over50;
    if (late > m_max) {
        m_max = late;
        m_worstAt = static_cast<double>(now - m_start) / 1e9;
    }
}

StallFigures StallMeter::figures() const {
    StallFigures f;
    // The time since the last tick counts too: a loop blocked right now is stalled now.
    const double pending = std::max(0.0, static_cast<double>(m_clock.nsecsElapsed() - m_last) / 1e6 - kIntervalMs);
    f.maxMs = std::max(m_max, pending);
    f.worstAtSeconds = pending > m_max ? static_cast<double>(m_clock.nsecsElapsed() - m_start) / 1e9 : m_worstAt;
    f.over50ms = m_over50 + (pending > 50 ? 1 : 0);
    f.seconds = static_cast<double>(m_clock.nsecsElapsed() - m_start) / 1e9;
    if (!m_lateMs.empty()) {
        std::vector<float> sorted = m_lateMs;
        const auto k = static_cast<std::ptrdiff_t>(0.99 * static_cast<double>(sorted.size() - 1));
        std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
        f.p99Ms = sorted[static_cast<std::size_t>(k)];
    }
    return f;
}

} // namespace factorscope::ui
