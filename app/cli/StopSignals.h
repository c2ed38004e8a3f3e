#pragma once
// SIGINT and SIGTERM while train, cv or grid runs: the first asks the training to stop at the
// next batch, so the run is recorded as stopped with its epochs so far and the command ends
// with 130 (SIGINT) or 143 (SIGTERM), as a shell expects of an interrupted program. A second
// signal ends the process at once.
#include "core/train/Trainer.h"

namespace factorscope::cli {

class StopOnSignals {
public:
    StopOnSignals();  // installs the handlers (one StopOnSignals at a time)
    ~StopOnSignals(); // restores the previous ones
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;

    TrainControl* control() { return &m_control; }
    int signal() const;                // 0, SIGINT or SIGTERM
    int exitCode(int otherwise) const; // 128 + the signal, or `otherwise` when none came

private:
    TrainControl m_control;
};

} // namespace factorscope::cli
