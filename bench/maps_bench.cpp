// factorscope-bench-maps DIR: the inputs of the map comparison (bench/maps.sh), written once so
// that Factorscope and the Python peers read the same vectors: the demo data's default model
// (dotbias, 64 factors, 1,500 movies with planted genres) trained and saved as DIR/demo.fsckpt,
// its tables as NumPy arrays (DIR/item_factors.npy, DIR/item_ids.npy, ...) and each movie's
// planted genre (DIR/labels.csv: id,genre). It prints what it wrote; it asserts nothing.
#include "core/data/DemoData.h"
#include "core/data/Split.h"
#include "core/io/NpyExport.h"
#include "core/train/Checkpoint.h"
#include "core/train/Trainer.h"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>

using namespace factorscope;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: factorscope-bench-maps DIR\n");
        return 2;
    }
    try {
        const std::string dir = argv[1];
        std::filesystem::create_directories(dir);
        const Dataset data = generateDemo(DemoSpec{});
        TrainSpec s; // the defaults a new user gets
        Model model(s.model, data.users.size(), data.items.size(), s.seed);
        Trainer trainer(model, s);
        const TrainResult r = trainer.run(data, makeSplit(data, s.split));
        saveCheckpoint(dir + "/demo.fsckpt", trainer, data);
        writeNpyTables(dir, model, data.users, data.items);
        std::ofstream labels(dir + "/labels.csv");
        labels << "id,genre\n";
        for (int32_t i = 0; i < data.items.size(); ++i)
            labels << data.items.original(i) << ',' << data.demoGenreOfItem[static_cast<std::size_t>(i)] << '\n';
        std::printf("# demo data, %s %d factors, %d epochs (validation RMSE %.4f): %s/demo.fsckpt, "
                    "item_factors.npy, item_ids.npy, labels.csv\n",
                    toString(s.model.kind).c_str(), s.model.factors, s.epochs, r.bestValRmse, dir.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "factorscope-bench-maps: %s\n", e.what());
        return 1;
    }
}
