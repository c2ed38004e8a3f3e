#pragma once
// Guided tours of collaborative filtering that drive the app: each step sets the experiment
// form, starts a run or turns to a page, then says what to look at and outlines it. The text is
// the project's own. LessonPanel shows them; a LessonDriver is what they may do to the app.
#include "core/train/TrainSpec.h"

#include <QString>

#include <functional>
#include <vector>

class QWidget;

namespace factorscope::ui {

class LessonDriver {
public:
    virtual ~LessonDriver() = default;
    virtual TrainSpec spec() const = 0;
    virtual void setSpec(const TrainSpec& spec) = 0;
    virtual void trainNew() = 0;     // a fresh model with the form's spec on the loaded data
    virtual bool isBusy() const = 0; // training or finding the learning rate: the next step waits
    virtual void findLearningRate() = 0;
    virtual void showTab(const QString& objectName) = 0;
    virtual void showExplorer(int page, bool mostRatedSelected) = 0;
    virtual void colourExplorerByBias() = 0;
    virtual void selectNewestRuns(int count) = 0;
    virtual QWidget* find(const QString& objectName) const = 0; // a widget to outline
};

struct LessonStep {
    QString text;                           // what to look at and why (rich text)
    std::function<void(LessonDriver&)> act; // done when the step is first reached; may be empty
    QString pointAt;                        // the objectName of the widget to outline; may be empty
};

struct Lesson {
    QString name;
    QString what; // one sentence
    std::vector<LessonStep> steps;
};

const std::vector<Lesson>& lessons();

} // namespace factorscope::ui
