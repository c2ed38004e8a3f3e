#pragma once
// The lesson being followed, docked beside the pages: its step's text, Back and Next, and an
// outline around the widget the step points at. Next runs the next step's action (set the
// form, start a run, turn a page) and waits while a run it started is still training.
#include "ui/Lessons.h"

#include <QDockWidget>
#include <QPointer>

class QFrame;
class QLabel;
class QPushButton;
class QTimer;

namespace factorscope::ui {

class LessonPanel : public QDockWidget {
    Q_OBJECT
public:
    LessonPanel(LessonDriver& driver, QWidget* parent = nullptr);

    void start(int lesson); // its first step, acted
    void next();            // the next step, acted; the last one closes the lesson
    void back();            // the previous step's text and outline, not acted again
    int lesson() const { return m_lesson; }
    int step() const { return m_step; }
    QString text() const;
    QWidget* outlined() const; // the widget the outline surrounds, or nullptr

private:
    void present(bool act);
    void refreshButtons();

    LessonDriver& m_driver;
    int m_lesson = -1;
    int m_step = 0;
    QLabel* m_title;
    QLabel* m_text;
    QPushButton* m_back;
    QPushButton* m_next;
    QTimer* m_poll;
    QPointer<QFrame> m_outline;
};

} // namespace factorscope::ui
