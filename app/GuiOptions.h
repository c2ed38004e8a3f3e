#pragma once
// The GUI binary's command line: --data PATH|demo, --train, --epochs N, --loss mse|bpr,
// --model NAME, --screenshot DIR, --report-stalls.
#include <QString>
#include <QStringList>

#include <optional>

namespace factorscope::app {

struct GuiOptions {
    QString data;              // empty: the last data set, else the demo data
    bool train = false;        // start training as soon as the data is loaded
    int epochs = 0;            // 0: the form's value
    QString loss;              // mse or bpr (with its settings); empty: the form's
    QString model;             // a model kind's name (with its defaults); empty: the form's
    QString screenshotDir;     // non-empty: train, save a PNG of each view, quit
    bool reportStalls = false; // train, print the longest event-loop stall as JSON, quit
};

// nullopt with *error set (one line naming the option) when the command line is unusable.
std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error, bool* helpShown);

} // namespace factorscope::app
