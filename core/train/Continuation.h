#pragma once
// The one rule for what training continues, for the CLI's train --resume and the GUI's Continue
// training alike. A trained model continues on the data set it was trained on (the same users and
// items) under a spec whose model builds the same network; the optimiser, schedule, epochs and
// split may change. Its history carries on, and so does the optimiser's state where the optimiser
// is of the same kind (another kind starts fresh, as asked for). What starts the model's weights
// (init, spread) does not matter to a model that already has them.
#include "core/train/Checkpoint.h"
#include "core/train/Trainer.h"

#include <memory>
#include <string>

namespace factorscope {

// Why a model built from `trained` cannot continue under `asked`, e.g. "factors 64 -> 32";
// empty when it can.
std::string modelChange(const ModelSpec& trained, const ModelSpec& asked);
// Why `data` is not the data set a model of these users and items was trained on; empty when it is.
std::string dataChange(const IdMap& trainedUsers, const IdMap& trainedItems, const Dataset& data);

// A trainer that continues `previous` under `spec`, over the same model, with its history and
// optimiser state. Throws SpecError naming the change when spec's model is another network.
std::unique_ptr<Trainer> continueTraining(const Trainer& previous, const TrainSpec& spec);
// A trainer that continues a loaded checkpoint under `spec`, over `model` (the checkpoint's,
// which the caller has taken over). Throws DataError when `data` is another data set, SpecError
// when spec's model is another network, CheckpointError when the optimiser state does not load.
std::unique_ptr<Trainer> continueCheckpoint(Model& model, const LoadedCheckpoint& checkpoint, const TrainSpec& spec,
                                            const Dataset& data);

} // namespace factorscope
