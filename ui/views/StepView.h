#pragma once
// One step at a time (core/analysis/StepLesson): Step trains exactly one batch of plain
// gradient descent on the loaded ratings; the map shows every movie at its two factors with
// arrows from where the batch's movies were to where they are; the followed rating is worked
// through in numbers (prediction, error, gradients, update) a student can check by hand; its
// value can be changed in the lesson's copy of the data, and that user's top 10 follows.
#include "core/analysis/StepLesson.h"

#include <QWidget>

#include <memory>
#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace factorscope::ui {

class MapWidget;

class StepView : public QWidget {
    Q_OBJECT
public:
    explicit StepView(QWidget* parent = nullptr);
    ~StepView() override;

    // The lesson is made when the page is first shown or stepped, not on every load: at 25 M
    // ratings its copies take seconds.
    void setData(std::shared_ptr<const Dataset> data);
    void reset();         // fresh parameters from the seed, with the form's learning rate and batch
    void step(int n = 1); // n batches; the map, the numbers and the top 10 show the last
    void follow(int64_t row);
    // Changes the followed rating in the lesson's copy; false with the reason shown.
    bool changeRating(double stars);

    const StepLesson* lesson() const { return m_lesson.get(); }
    const StepResult& lastStep() const { return m_last; }
    MapWidget* map() const { return m_map; }
    QTableWidget* batchTable() const { return m_batch; }
    QTableWidget* topTable() const { return m_top; }
    QString workedText() const;
    QString statusText() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    bool usable() const; // a data set with rating values
    void refresh();
    void refreshMap();
    void refreshBatch();
    void refreshWorked();
    void refreshTop();
    QString titleOf(int32_t item) const;

    std::shared_ptr<const Dataset> m_data;
    std::unique_ptr<StepLesson> m_lesson;
    StepResult m_last;
    std::vector<int32_t> m_shown; // the movies on the map: the most rated
    double m_magnify = 1;
    bool m_stale = false; // the data changed since the lesson was made

    QPushButton* m_step;
    QPushButton* m_steps;
    QPushButton* m_reset;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_batchSize;
    QLabel* m_status;
    MapWidget* m_map;
    QLabel* m_mapCaption;
    QTableWidget* m_batch;
    QLabel* m_worked;
    QDoubleSpinBox* m_edit;
    QPushButton* m_apply;
    QLabel* m_topTitle;
    QTableWidget* m_top;
};

} // namespace factorscope::ui
