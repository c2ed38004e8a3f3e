// factorscope-bench-foldin: folding new users in against retraining with them (FoldInTrial.h).
//   factorscope-bench-foldin [--data DIR|demo] [--model KIND] [--seed N] [--l2 A,B,...] [--epochs N] [--y-range on|off]
// Default: MovieLens 100K (u.data), the app's default model and settings (dotbias, 64 factors,
// sigmoid y-range, AdamW, one-cycle, 8 epochs), 10 % of the users held out (seed 7), each
// folded in from their first 80 % of ratings in time order and scored on the last 20 %.
// Prints RMSEs and seconds; it asserts nothing.
#include "core/data/Dataset.h"
#include "core/experiment/FoldInTrial.h"
#include "core/model/ModelSpec.h"
#include "core/train/TrainSpec.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace factorscope;

int main(int argc, char** argv) {
    std::string data = FACTORSCOPE_ML100K "/u.data";
    TrainSpec spec = TrainSpec::defaults();
    FoldInTrialSpec trial;
    trial.l2s = {0.0, 0.005, 0.01, 0.02, 0.05, 0.1};
    for (int k = 1; k + 1 < argc; k += 2) {
        const std::string flag = argv[k], value = argv[k + 1];
        if (flag == "--data")
            data = value;
        else if (flag == "--model" && parseModelKind(value))
            spec.setModelKind(*parseModelKind(value));
        else if (flag == "--y-range")
            spec.model.useYRange = value != "off";
        else if (flag == "--seed")
            trial.seed = std::stoull(value);
        else if (flag == "--epochs")
            spec.epochs = std::stoi(value);
        else if (flag == "--l2") {
            trial.l2s.clear();
            std::stringstream in(value);
            for (std::string part; std::getline(in, part, ',');)
                trial.l2s.push_back(std::stod(part));
        } else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    try {
        const Dataset d = loadDatasetOrDemo(data);
        const FoldInTrialResult r = runFoldInTrial(d, spec, trial);
        std::printf("data %s: %zu users held out (seed %llu), %zu ratings folded in, %zu predicted\n", data.c_str(),
                    r.heldOutUsers, static_cast<unsigned long long>(trial.seed), r.foldedRatings, r.predictedRatings);
        std::printf("model %s, %d epochs; training A and B: %.1f s\n", toString(spec.model.kind).c_str(), spec.epochs,
                    r.trainSeconds);
        std::printf("retrained with their first ratings (B): RMSE %.4f\n", r.retrainedRmse);
        std::printf("mean trained user, nothing folded in:   RMSE %.4f\n", r.meanUserRmse);
        std::printf("one user alone (%zu ratings, l2 %g): %.1f ms\n", r.oneUserRatings, trial.l2s.front(),
                    1000 * r.oneUserSeconds);
        for (std::size_t k = 0; k < trial.l2s.size(); ++k)
            std::printf("folded in, l2 %-6g: RMSE %.4f (%+.4f against B), %.1f ms for all %zu users\n", trial.l2s[k],
                        r.foldedRmse[k], r.foldedRmse[k] - r.retrainedRmse, 1000 * r.foldSeconds[k], r.heldOutUsers);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "factorscope-bench-foldin: %s\n", e.what());
        return 1;
    }
    return 0;
}
