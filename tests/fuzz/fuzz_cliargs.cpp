// factorscope-cli's argument parsing from any command line (one argument per input line): the
// flags, their values and the specs made of them. Only the usage and spec errors may come out.
#include "FuzzUtil.h"
#include "app/cli/Args.h"
#include "app/cli/SpecArgs.h"
#include "core/common/Error.h"
#include "core/experiment/GridSearch.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::vector<std::string> argv;
    std::istringstream in{std::string(fs::fuzz::asText(data, size))};
    for (std::string line; std::getline(in, line);)
        argv.push_back(line);
    try {
        fs::cli::wantsHelp(argv);
        fs::cli::Args args(argv, {"lenient", "nesterov", "no-restore-best", "random-folds", "cv", "no-record"});
        fs::cli::loadOptionsFromArgs(args);
        fs::cli::trainSpecFromArgs(args, fs::TrainSpec::defaults());
        if (auto grid = args.text("grid"))
            fs::parseGrid(*grid);
        args.rejectUnused("fuzz");
    } catch (const fs::cli::UsageError&) {
    } catch (const fs::Error&) {
    }
    return 0;
}
