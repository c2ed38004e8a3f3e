#pragma once
// Recipes: each seed notebook's experiment set up in one step, named for what it is. A recipe
// is a training spec and the data set it was run on, with the figure the notebook reports
// where it reports one. The CLI (recipes, train --recipe) and the app's menu read this list.
#include "core/train/TrainSpec.h"

#include <cstddef>
#include <string>
#include <vector>

namespace factorscope {

struct Recipe {
    std::string name;     // one word: embedding-net-clr
    std::string what;     // one line: what it trains and how
    std::string notebook; // the notebook's own title
    std::string data;     // the MovieLens set it used, as `download` names it: ml-100k
    std::string dataNote; // how it used it, where it differs: "a 2.5 M-rating sample"
    std::string reported; // the figure the notebook reports, "" where it reports none
    std::string measured; // what Factorscope gets with this recipe, and on what (docs/RECIPES.md)
    TrainSpec spec;
    // step schedules: the rate drops after this many epochs (the notebook changed it by hand);
    // 0: the spec's own stepSize. Turned into steps by fitToData, once the split is known.
    int dropAfterEpochs = 0;

    // A predefined split (ua) on a data set without it (`predefined`: the set's own): a random
    // 20 % instead; returns the sentence that says so, "" when nothing changed.
    std::string fitSplit(TrainSpec& spec, const std::vector<std::string>& predefined) const;
    // Settles what depends on the data: the step schedule's size in steps.
    void fitToData(TrainSpec& spec, std::size_t trainRatings) const;
};

const std::vector<Recipe>& recipes();
// Throws SpecError listing the names when there is no such recipe.
const Recipe& recipeNamed(const std::string& name);

} // namespace factorscope
