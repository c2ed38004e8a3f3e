#pragma once
// Turns command-line flags into the engine's specs.
#include "app/cli/Args.h"
#include "core/data/Dataset.h"
#include "core/train/TrainSpec.h"

#include <optional>
#include <string>

namespace factorscope::cli {

LoadOptions loadOptionsFromArgs(Args& args);
// Starts from `base` (the defaults, or a checkpoint's spec) and applies the flags given.
TrainSpec trainSpecFromArgs(Args& args, TrainSpec base);

// MovieLens 100K's own ua split when the user named none (no --split), as the seeds use; else
// the spec's (random).
void defaultSplit(Args& args, const Dataset& data, TrainSpec& spec);

// The run store to record in: --runs-db FILE, else the default; none with --no-record.
std::optional<std::string> runsDbFromArgs(Args& args);
extern const char* const kRecordFlagsHelp;

// The flags trainSpecFromArgs reads, for the help text.
extern const char* const kTrainFlagsHelp;

} // namespace factorscope::cli
