#pragma once
// Core tests of checkpoints with fitted tables: the message a fresh model's loadWeights gives
// when one named tensor of a good set is changed. Includes LibTorch (core tests only).
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/TensorPack.h"

#include <string>

namespace factorscope::test {

template <class Change> QString damagedLoadError(const NamedTensors& good, const std::string& name, Change change,
                                                 const ModelSpec& spec, int32_t users, int32_t items, uint64_t seed) {
    NamedTensors w;
    for (const auto& [n, t] : good)
        w.emplace_back(n, n == name ? change(t.clone()) : t.clone());
    Model fresh(spec, users, items, seed);
    return errorOf<CheckpointError>([&] { loadWeights(*fresh.impl().net, w); });
}

} // namespace factorscope::test
