#pragma once
// Turns command-line flags into the engine's specs.
#include "app/cli/Args.h"
#include "core/data/Dataset.h"
#include "core/train/TrainSpec.h"

#include <optional>
#include <set>
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

// The flags trainSpecFromArgs reads (the spec's field table's, and the data's), for the help.
std::string trainFlagsHelp();
// The switches (flags without a value) of a command that reads a spec: `others`, --lenient,
// and --NAME / --no-NAME of every on-off setting.
std::set<std::string> trainSwitches(std::set<std::string> others = {});

} // namespace factorscope::cli
