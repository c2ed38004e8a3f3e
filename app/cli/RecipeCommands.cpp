// recipes: the seed notebooks' experiments, one line each (train --recipe NAME runs one).
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "core/experiment/Recipes.h"

#include <iostream>

namespace factorscope::cli {

int cmdRecipes(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli recipes [--names]\n"
                     "The experiments Factorscope can set up in one step, one line each: the name, what it\n"
                     "trains, the notebook it comes from, its data set and the figure the notebook reports.\n"
                     "--names prints the names alone. Run one with \"factorscope-cli train --recipe NAME\";\n"
                     "--data, --split, --epochs and every other training flag override the recipe's.\n";
        return 0;
    }
    Args args(argv, {"names"});
    const bool namesOnly = args.flag("names");
    args.rejectUnused("recipes");
    for (const Recipe& r : recipes()) {
        if (namesOnly) {
            std::cout << r.name << "\n";
            continue;
        }
        std::cout << r.name << ": " << r.what << ". From \"" << r.notebook << "\", on " << r.data;
        if (!r.dataNote.empty())
            std::cout << " (" << r.dataNote << ")";
        std::cout << "; it reports " << (r.reported.empty() ? "no final figure" : r.reported)
                  << ". Factorscope: " << r.measured << ".\n";
    }
    return 0;
}

} // namespace factorscope::cli
