#include "ui/LessonPanel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace factorscope::ui {

LessonPanel::LessonPanel(LessonDriver& driver, QWidget* parent) : QDockWidget(tr("Lesson"), parent), m_driver(driver) {
    setObjectName(QStringLiteral("lessonPanel"));
    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_text = new QLabel;
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_back = new QPushButton(tr("Back"));
    m_next = new QPushButton(tr("Next"));
    m_next->setObjectName(QStringLiteral("lessonNext"));
    m_next->setDefault(true);
    connect(m_back, &QPushButton::clicked, this, &LessonPanel::back);
    connect(m_next, &QPushButton::clicked, this, &LessonPanel::next);
    m_poll = new QTimer(this); // Next waits while a run the lesson started trains
    m_poll->setInterval(250);
    connect(m_poll, &QTimer::timeout, this, &LessonPanel::refreshButtons);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(m_next);
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    body->setMinimumWidth(260);
    setWidget(body);
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible && m_outline)
            m_outline->deleteLater();
    });
}

QString LessonPanel::text() const { return m_text->text(); }
QWidget* LessonPanel::outlined() const { return m_outline ? m_outline->parentWidget() : nullptr; }

void LessonPanel::start(int lesson) {
    if (lesson < 0 || lesson >= static_cast<int>(lessons().size()))
        return;
    m_lesson = lesson;
    m_step = 0;
    QDockWidget::show();
    raise();
    present(true);
}

void LessonPanel::next() {
    if (m_lesson < 0 || m_driver.isBusy())
        return;
    if (m_step + 1 >= static_cast<int>(lessons()[static_cast<std::size_t>(m_lesson)].steps.size())) {
        close(); // the last step: done
        return;
    }
    ++m_step;
    present(true);
}

void LessonPanel::back() {
    if (m_lesson < 0 || m_step == 0)
        return;
    --m_step;
    present(false);
}

void LessonPanel::present(bool act) {
    const Lesson& l = lessons()[static_cast<std::size_t>(m_lesson)];
    const LessonStep& s = l.steps[static_cast<std::size_t>(m_step)];
    if (act && s.act)
        s.act(m_driver);
    m_title->setText(tr("<b>%1</b> · step %2 of %3").arg(l.name).arg(m_step + 1).arg(l.steps.size()));
    m_text->setText(s.text);
    if (m_outline)
        delete m_outline;
    if (QWidget* target = s.pointAt.isEmpty() ? nullptr : m_driver.find(s.pointAt)) {
        m_outline = new QFrame(target);
        m_outline->setObjectName(QStringLiteral("lessonOutline"));
        m_outline->setAttribute(Qt::WA_TransparentForMouseEvents);
        m_outline->setStyleSheet(QStringLiteral("QFrame#lessonOutline { border: 3px solid #e6550d; border-radius: 6px; "
                                                "background: transparent; }"));
        m_outline->setGeometry(target->rect());
        m_outline->show();
        m_outline->raise();
    }
    m_poll->start();
    refreshButtons();
}

void LessonPanel::refreshButtons() {
    if (m_lesson < 0)
        return;
    const bool last = m_step + 1 >= static_cast<int>(lessons()[static_cast<std::size_t>(m_lesson)].steps.size());
    const bool busy = m_driver.isBusy();
    m_back->setEnabled(m_step > 0);
    m_next->setEnabled(!busy);
    m_next->setText(busy ? tr("Training…") : last ? tr("Finish") : tr("Next"));
    if (m_outline && m_outline->parentWidget()) // the target may have been resized
        m_outline->setGeometry(m_outline->parentWidget()->rect());
    if (!busy)
        m_poll->stop();
}

} // namespace factorscope::ui
