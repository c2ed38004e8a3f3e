#pragma once
// One file with the weights, the optimiser state, the specs, the id maps, the catalogue of the
// encoded items and the per-epoch history. Written atomically: a temporary file, flushed,
// then renamed over the target, so a crash never leaves a half-written checkpoint.
//
// Layout: "FACTORSCOPE-CKPT" | u32 format | u64 n + JSON metadata | u64 n + model weights |
//         u64 n + optimiser state | u32 CRC-32 of all bytes before it.
// Format 2 stores the tensors in Factorscope's own layout (TensorPack.h). Format 1 stored
// LibTorch archives; those still load, through LibTorch's deserialiser, which a crafted file
// can crash (a fuzz finding in LibTorch 1.13): only format 2 is read without it.
#include "core/data/Dataset.h"
#include "core/model/Model.h"
#include "core/train/Trainer.h"

#include <memory>
#include <string>

namespace factorscope {

constexpr uint32_t kCheckpointFormat = 2;

struct CheckpointInfo {
    uint32_t format = kCheckpointFormat;
    std::string programVersion;
    TrainSpec spec;
    std::vector<EpochStats> history;
    IdMap users;
    IdMap items;
    std::string datasetFormat;
    std::string datasetSource;
    std::size_t datasetRatings = 0;
    double scaleMin = 0.5;
    double scaleMax = 5.0;
    // Per encoded item: its title and genre bits, so a checkpoint explains itself without
    // the data set.
    std::vector<std::string> itemTitles;
    std::vector<uint64_t> itemGenres;
    std::vector<std::string> genreNames;
    std::vector<int64_t> itemRatingCounts; // per encoded item; empty in the earliest checkpoints
};

struct LoadedCheckpoint {
    CheckpointInfo info;
    std::unique_ptr<Model> model;
    std::string optimizerState; // packed tensors (format 1: a LibTorch archive); see restoreOptimizer()
};

// Throws IoError when the file cannot be written.
void saveCheckpoint(const std::string& path, const Trainer& trainer, const Dataset& data);
// The same with the data set's part taken from `info` as it is (a fold-in's output: the
// checkpoint's own metadata, more users); the spec, history, weights and optimiser state are
// `trainer`'s.
void saveCheckpoint(const std::string& path, const Trainer& trainer, const CheckpointInfo& info);
// Throws CheckpointError for a truncated, corrupt, foreign or newer-format file.
LoadedCheckpoint loadCheckpoint(const std::string& path);
// Puts the checkpoint's optimiser state into a trainer built over its model (continue
// training): LibTorch's dense state and, when the run took the fused path, its row-wise state.
// When the trainer uses another kind of optimiser, it keeps its fresh state.
// Throws CheckpointError when the state does not load.
void restoreOptimizer(Trainer& trainer, const LoadedCheckpoint& checkpoint);
// The same by parts: a trainer's optimiser state as a checkpoint holds it (packed tensors), and
// its restore into a trainer (`format`: the checkpoint format the bytes come from).
std::string packedOptimizerState(const Trainer& trainer);
void restoreOptimizerState(Trainer& trainer, OptimizerKind savedKind, uint32_t format, const std::string& bytes);

// A data set shell with the checkpoint's id maps and catalogue: enough to predict, explain
// and export without the original files.
Dataset datasetFromCheckpoint(const CheckpointInfo& info);

} // namespace factorscope
