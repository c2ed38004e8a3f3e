#pragma once
// A trained model's movies as a comparison reads them (ModelCompare.h): the embeddings, or an
// item-based kNN model's own neighbour lists.
#include "core/analysis/ModelCompare.h"
#include "core/data/IdMap.h"

namespace factorscope {

// Throws SpecError for a model with neither: the baseline (biases only) and a user-based kNN
// (its neighbours are users), naming what to compare instead.
ItemSide itemSideOf(const Model& model, const IdMap& items);

} // namespace factorscope
