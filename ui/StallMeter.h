#pragma once
// Measures how long the GUI thread's event loop goes without turning: a precise 5 ms timer
// on that thread, each tick's lateness past its interval being a stall (the loop was busy or
// blocked). For `factorscope --report-stalls`: phases (start-up, training) are measured apart.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <vector>

namespace factorscope::ui {

struct StallFigures {
    double maxMs = 0;          // the longest stall
    double p99Ms = 0;          // 99 % of the ticks were at most this late
    int over50ms = 0;          // stalls longer than 50 ms
    double seconds = 0;        // how long the phase lasted
    double worstAtSeconds = 0; // when, from the phase's start, the longest stall ended
};

class StallMeter : public QObject {
    Q_OBJECT
public:
    explicit StallMeter(QObject* parent = nullptr);
    void begin(); // starts (or restarts) a phase: figures from now on
    StallFigures figures() const;

private:
    void tick();
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0, m_start = 0;
    std::vector<float> m_lateMs;
    double m_max = 0, m_worstAt = 0;
    int m_over50 = 0;
};

} // namespace factorscope::ui
