#pragma once
// A TrainControl behind a shared pointer, so a worker and its job share the stop flag.
#include "core/train/Trainer.h"

namespace factorscope::ui {

class TrainControlHolder {
public:
    TrainControl control;
};

} // namespace factorscope::ui
