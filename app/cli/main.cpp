// factorscope-cli: the engine without a display. Scripts depend on its JSON output.
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <iostream>
#include <map>

namespace {

const char* const kUsage = R"(factorscope-cli - collaborative filtering from the command line

Commands:
  info       describe a data set (JSON)
  train      train a model, one JSON line per epoch (--recipe NAME: a notebook's experiment)
  recipes    the notebooks' experiments that train --recipe sets up, one line each
  lr-find    the learning-rate range test
  evaluate   RMSE/MAE and top-K ranking metrics of a checkpoint on a split
  recommend  each user's top K from a checkpoint, as CSV
  predict    predicted ratings from a checkpoint: one pair, or a file of pairs
  fold-in    add new users to a checkpoint from their ratings, without retraining
  generate   write a synthetic data set (planted genres) as MovieLens CSV
  pca        principal components of a checkpoint's movie embeddings (JSON)
  export     embeddings for TensorBoard's Projector and NumPy, and projected coordinates
  project    a 2-D map of the movie embeddings (PCA or t-SNE) as CSV: id,title,x,y
  compare    two checkpoints' movies: neighbours shared, and how far each moved (Procrustes)
  cv         cross-validation (u1..u5 on MovieLens 100K, else k random folds)
  grid       grid search over settings, sorted by validation RMSE
  runs       the run store: list, show, export and delete recorded runs
  download   a MovieLens data set from GroupLens into the cache

Run "factorscope-cli COMMAND --help" for a command's flags. --data demo uses the built-in
demo data set. train, cv and grid record each run in the run store (see "runs --help").
Errors go to stderr as one line; the exit status is 2 for a bad command line,
1 for other errors.
)";

} // namespace

int main(int argc, char** argv) {
    using namespace factorscope::cli;
    factorscope::ignoreFileSizeSignal(); // a write past ulimit -f fails with a message instead of killing
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = argv[1];
    const std::vector<std::string> rest(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "factorscope-cli " << FACTORSCOPE_VERSION << "\n";
        return 0;
    }
    const std::map<std::string, int (*)(const std::vector<std::string>&)> commands = {
        {"info", cmdInfo},         {"train", cmdTrain},
        {"lr-find", cmdLrFind},    {"evaluate", cmdEvaluate},
        {"predict", cmdPredict},   {"generate", cmdGenerate},
        {"pca", cmdPca},           {"export", cmdExport},
        {"project", cmdProject},   {"cv", cmdCv},
        {"grid", cmdGrid},         {"runs", cmdRuns},
        {"download", cmdDownload}, {"recommend", cmdRecommend},
        {"fold-in", cmdFoldIn},    {"recipes", cmdRecipes},
        {"compare", cmdCompare}};
    auto it = commands.find(command);
    if (it == commands.end()) {
        std::cerr << "factorscope-cli: unknown command \"" << command << "\" (run factorscope-cli --help)\n";
        return 2;
    }
    try {
        return it->second(rest);
    } catch (const UsageError& e) {
        std::cerr << "factorscope-cli " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const factorscope::SpecError& e) {
        std::cerr << "factorscope-cli " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const factorscope::Error& e) {
        std::cerr << "factorscope-cli " << command << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "factorscope-cli " << command << ": internal error: " << e.what() << "\n";
        return 1;
    }
}
