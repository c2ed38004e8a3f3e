#pragma once
// The practical limit: a hand-written, single-thread, per-rating SGD loop for the dot product
// with biases and a sigmoid y-range, updating weights in place. No framework, no batches.
#include "core/data/Dataset.h"

#include <vector>

namespace factorscope::bench {

struct HandwrittenResult {
    double ratingsPerSecond = 0; // training only, the per-epoch shuffle included
    double valRmse = 0;
};

HandwrittenResult handwrittenSgd(const Dataset& d, const std::vector<int64_t>& train, const std::vector<int64_t>& val,
                                 int factors, int epochs, double lr, double reg);

} // namespace factorscope::bench
