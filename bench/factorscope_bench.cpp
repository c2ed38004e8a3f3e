// factorscope-bench: training throughput side by side in one run, on the same data.
//   factorscope-bench [--data DIR] [--epochs N] [--rounds N] [--no-peer]   speed on MovieLens 100K (ua)
//   factorscope-bench --scale [--sizes 1,5,25]                 load/epoch/memory at N million ratings
//   factorscope-bench [--data DIR] --neural                    neural models against Python and sgemm
//   factorscope-bench [--data DIR] --threads [--models dot,...] [--sizes 1,5,25] [--rounds N]
//                                         default vs 1 vs 2 threads, unloaded and beside a busy core
//   factorscope-bench --one KEY [--data DIR] [--epochs N]      one trainer (the speed table's child process)
// It prints figures and ratios; it asserts nothing.
#include "HandwrittenSgd.h"
#include "ThreadsBench.h"
#include "core/data/DatasetWriter.h"
#include "core/data/DemoData.h"
#include "core/data/Split.h"
#include "core/model/Model.h"
#include "core/model/ModelImpl.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace factorscope;

namespace {

using Clock = std::chrono::steady_clock;

double procStatusMb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::stod(line.substr(std::string(key).size() + 1)) / 1024.0; // kB -> MB
    return 0;
}

struct Row {
    std::string name;
    double rps = 0;
    double rmse = 0;
};

// sgd: plain mini-batch SGD, the hand-written loop's optimiser (lr 5 on the batch's mean loss,
// decay 1e-4: validation RMSE 0.944 after 5 epochs, as the hand-written loop's), to show what
// the optimiser costs apart from the rest.
Row factorscope(const Dataset& d, const Split& split, ModelKind kind, int batch, Engine engine, int epochs, bool sgd) {
    TrainSpec s;
    s.model = ModelSpec::defaultsFor(kind);
    s.model.factors = 40;
    // The settings the README's throughput table was measured with (the defaults before the
    // cross-validated grid moved them to lr 0.005, decay 0.4).
    s.optimizer.lr = 0.01;
    s.optimizer.weightDecay = 0.3;
    if (sgd) {
        s.optimizer.kind = OptimizerKind::Sgd;
        s.optimizer.lr = 5;
        s.optimizer.weightDecay = 1e-4;
    }
    s.batchSize = batch;
    s.epochs = epochs;
    s.engine = engine;
    Model m(s.model, d.users.size(), d.items.size(), s.seed);
    Trainer t(m, s);
    const TrainResult r = t.run(d, split);
    double seconds = 0; // all epochs' ratings over all their time, as the hand-written loop counts
    for (const auto& e : r.history)
        seconds += e.seconds;
    char name[96];
    std::snprintf(name, sizeof name, "factorscope %-7s %-7s batch %5d%s", toString(engine).c_str(),
                  toString(kind).c_str(), batch, sgd ? " (SGD)" : "");
    return {name, static_cast<double>(split.train.size() * r.history.size()) / seconds, r.bestValRmse};
}

// The seeds' Python loop; nullopt when Debian's python3-torch is not installed.
std::optional<Row> peer(const std::string& dir, const char* loader, int trainSize) {
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        return std::nullopt;
    const std::string cmd = "/usr/bin/python3 " FACTORSCOPE_PEER " --data '" + dir +
                            "' --bs 64 --epochs 2 --threads 2 --loader " + loader + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return std::nullopt;
    char line[512];
    double seconds = 0, rmse = 0;
    int n = 0;
    while (std::fgets(line, sizeof line, p)) {
        double tm = 0, vr = 0, sec = 0;
        int ep = 0;
        if (std::sscanf(line, "epoch=%d train_mse=%lf val_rmse=%lf seconds=%lf", &ep, &tm, &vr, &sec) == 4) {
            seconds += sec;
            rmse = vr;
            ++n;
        }
    }
    pclose(p);
    if (n == 0)
        return std::nullopt;
    return Row{std::string("python peer (seeds' loop) ") + loader + " batch 64", trainSize * n / seconds, rmse};
}

// A whole number from `low` to `high` for `flag`, or an error naming both.
long long wholeNumber(const std::string& flag, const std::string& text, long long low, long long high) {
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || v < low || v > high)
        throw std::runtime_error(flag + ": expected a whole number from " + std::to_string(low) + " to " +
                                 std::to_string(high) + ", got '" + text + "'");
    return v;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// One trainer, named by its key ("hand-written" or kind/batch/engine[/sgd]), in this process:
// prints "ratings/s RMSE name" on one line. The key is checked before the data is read.
int measureOne(const std::string& dir, const std::string& key, int epochs) {
    const bool handwritten = key == "hand-written";
    std::optional<ModelKind> kind;
    std::optional<Engine> engine;
    int batch = 0;
    bool sgd = false;
    if (!handwritten) {
        std::stringstream ss(key);
        std::string parts[4];
        for (auto& part : parts)
            std::getline(ss, part, '/');
        kind = parseModelKind(parts[0]);
        engine = parseEngine(parts[2]);
        sgd = parts[3] == "sgd";
        if (!kind || !engine || !(parts[3].empty() || sgd) || !ss.eof())
            throw std::runtime_error("--one " + key +
                                     ": expected hand-written or KIND/BATCH/ENGINE[/sgd], e.g. dotbias/1024/fused");
        batch = static_cast<int>(wholeNumber("--one " + key + ": the batch", parts[1], 1, 1 << 20));
    }
    const Dataset d = loadDataset(dir);
    const Split split = makeSplit(d, SplitSpec::parse("ua"));
    Row row;
    if (handwritten) {
        const auto hw = bench::handwrittenSgd(d, split.train, split.validation, 40, epochs, 0.02, 0.02);
        row = {"hand-written SGD loop (1 thread, in place)", hw.ratingsPerSecond, hw.valRmse};
    } else {
        row = factorscope(d, split, *kind, batch, *engine, epochs, sgd);
    }
    std::printf("%.6g %.6g %s\n", row.rps, row.rmse, row.name.c_str());
    return 0;
}

// Runs `self --one key` in a child process: each trainer starts from a fresh process, so none
// runs beside the thread pools an earlier one left behind. In one process the fused path ran a
// fifth slower on this 2-core VM after LibTorch runs; with GOMP_SPINCOUNT=1000 or
// OMP_WAIT_POLICY=passive it did not: OpenMP workers spin-waiting after a parallel region.
Row runOne(const std::string& self, const std::string& dir, const std::string& key, int epochs) {
    const std::string cmd =
        "'" + self + "' --one " + key + " --epochs " + std::to_string(epochs) + " --data '" + dir + "'";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        throw std::runtime_error("could not start " + cmd);
    char line[512] = {};
    double rps = 0, rmse = 0;
    int used = 0;
    const bool ok = std::fgets(line, sizeof line, p) && std::sscanf(line, "%lf %lf %n", &rps, &rmse, &used) == 2;
    if (pclose(p) != 0 || !ok)
        throw std::runtime_error("the run of " + key + " failed: " + cmd);
    std::string name = line + used;
    if (!name.empty() && name.back() == '\n')
        name.pop_back();
    return {name, rps, rmse};
}

// Every trainer runs once per round, each in its own process, rounds one after another, so a
// slow spell of the machine falls on all of them alike; the table shows each trainer's median
// over the rounds and each ratio's median with its range. The hand-written loop runs right
// before each fused trainer a ratio is printed for, and each round's ratio divides by that
// run: seconds apart, not the length of a round (this VM's speed drifts within a round).
int speed(const std::string& self, const std::string& dir, int epochs, int rounds, bool withPeer) {
    const Dataset d = loadDataset(dir);
    const Split split = makeSplit(d, SplitSpec::parse("ua"));
    const unsigned cores = std::thread::hardware_concurrency();
    std::printf("# MovieLens 100K ua.base -> ua.test, 40 factors, %d epochs, %u cores, median of %d rounds\n", epochs,
                cores, rounds);
    std::printf("# factorscope rows: AdamW lr 0.01 wd 0.3, one-cycle, all cores; ratings/s = training only;\n"
                "# each trainer in a fresh process; the hand-written loop before each fused trainer of a ratio\n\n");
    const std::string hwKey = "hand-written";
    std::vector<std::string> keys = {hwKey};
    for (ModelKind kind : {ModelKind::Dot, ModelKind::DotBias})
        for (int batch : {64, 1024, 8192})
            for (Engine engine : {Engine::General, Engine::Fused})
                keys.push_back(toString(kind) + "/" + std::to_string(batch) + "/" + toString(engine));
    keys.insert(keys.end(), {"dot/1024/fused/sgd", "dotbias/1024/fused/sgd"});
    const auto paired = [](const std::string& key) { // the keys of the ratio lines
        return key.find("/fused") != std::string::npos && key.find("/64/") == std::string::npos;
    };
    std::map<std::string, std::vector<Row>> runs;      // by key, one per round (hand-written: more)
    std::map<std::string, std::vector<double>> before; // by key: the hand-written run just before it
    for (int round = 0; round < rounds; ++round)
        for (const std::string& key : keys) {
            if (key == hwKey)
                continue;
            if (paired(key)) {
                runs[hwKey].push_back(runOne(self, dir, hwKey, epochs));
                before[key].push_back(runs[hwKey].back().rps);
            }
            runs[key].push_back(runOne(self, dir, key, epochs));
        }
    std::map<std::string, Row> med;
    for (const auto& [key, rs] : runs) {
        std::vector<double> rps;
        for (const Row& r : rs)
            rps.push_back(r.rps);
        med[key] = {rs.front().name, median(rps), rs.front().rmse}; // the runs are deterministic
    }
    std::vector<Row> rows;
    for (const auto& key : keys)
        rows.push_back(med[key]);
    std::optional<Row> py64, pySlices;
    if (withPeer) { // slow, and far from the others: once
        py64 = peer(dir, "dataloader", static_cast<int>(split.train.size()));
        pySlices = peer(dir, "slices", static_cast<int>(split.train.size()));
        for (auto* r : {&py64, &pySlices})
            if (*r)
                rows.insert(rows.begin() + 1, **r);
    }
    std::printf("%-52s %14s %10s\n", "trainer", "ratings/s", "val RMSE");
    for (const Row& r : rows)
        std::printf("%-52s %14.0f %10.4f\n", r.name.c_str(), r.rps, r.rmse);
    std::printf("\n# ratios (median over the rounds, each round's own ratio; range in brackets)\n");
    // A fused trainer's speed over the hand-written run just before it, per round.
    struct Ratio {
        double median, low, high;
    };
    const auto ratioOf = [&](const std::string& key) {
        std::vector<double> ratio;
        for (int round = 0; round < rounds; ++round)
            ratio.push_back(runs[key][round].rps / before[key][round]);
        return Ratio{median(ratio), *std::min_element(ratio.begin(), ratio.end()),
                     *std::max_element(ratio.begin(), ratio.end())};
    };
    for (const char* kind : {"dot", "dotbias"})
        for (int batch : {1024, 8192}) {
            const std::string key = std::string(kind) + "/" + std::to_string(batch) + "/";
            const Ratio r = ratioOf(key + "fused");
            const Row& g = med[key + "general"];
            std::printf("%-8s batch %5d: fused / hand-written = %5.2f [%.2f-%.2f]   fused / general = %6.1fx   "
                        "|RMSE fused - general| = %.4f",
                        kind, batch, r.median, r.low, r.high, med[key + "fused"].rps / g.rps,
                        std::abs(med[key + "fused"].rmse - g.rmse));
            if (py64)
                std::printf("   fused / python(batch 64) = %6.1fx", med[key + "fused"].rps / py64->rps);
            std::printf("\n");
        }
    for (const char* kind : {"dot", "dotbias"}) {
        const Ratio r = ratioOf(std::string(kind) + "/1024/fused/sgd");
        std::printf("%-8s batch  1024, SGD as the hand-written loop: fused / hand-written = %5.2f [%.2f-%.2f]\n", kind,
                    r.median, r.low, r.high);
    }
    for (const char* kind : {"dot", "dotbias"}) {
        const Row& f = med[std::string(kind) + "/64/fused"];
        if (py64)
            std::printf("%-8s batch    64: fused / python(batch 64) = %6.1fx\n", kind, f.rps / py64->rps);
    }
    return 0;
}

// MovieLens-25M proportions: 154 ratings per user, 423 per movie.
int writeSynthetic(long long ratings, const std::string& dir) {
    DemoSpec s;
    s.ratings = static_cast<int>(ratings);
    s.users = static_cast<int>(ratings / 154);
    s.movies = static_cast<int>(ratings / 423);
    std::filesystem::create_directories(dir);
    writeMovieLensCsv(generateDemo(s), dir);
    return 0;
}

int measure(const std::string& dir) {
    auto t0 = Clock::now();
    const Dataset d = loadDataset(dir);
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const double rssAfterLoad = procStatusMb("VmRSS:");
    const double tableMb = static_cast<double>(d.ratings.size()) * (4 + 4 + 4 + 8) / 1e6;
    const Split split = makeSplit(d, SplitSpec::parse("random:0.1"));
    TrainSpec s;
    s.model.factors = 64;
    s.epochs = 1;
    s.batchSize = 4096;
    Model m(s.model, d.users.size(), d.items.size());
    Trainer t(m, s);
    const TrainResult r = t.run(d, split);
    std::printf("{\"ratings\":%zu,\"users\":%d,\"movies\":%d,\"load_seconds\":%.2f,\"table_mb\":%.0f,"
                "\"rss_after_load_mb\":%.0f,\"epoch_seconds\":%.2f,\"ratings_per_second\":%.0f,"
                "\"val_rmse\":%.4f,\"peak_rss_mb\":%.0f}\n",
                d.ratings.size(), d.users.size(), d.items.size(), loadSeconds, tableMb, rssAfterLoad,
                r.history.front().seconds, r.history.front().ratingsPerSecond, r.bestValRmse, procStatusMb("VmHWM:"));
    return 0;
}

// A synthetic set of `millions` ratings for --threads, generated once and kept in the temporary
// folder (the 25M one takes a minute to write).
std::string syntheticSet(const char* self, int millions) {
    const auto dir = std::filesystem::temp_directory_path() / "factorscope-threads" / (std::to_string(millions) + "M");
    if (!std::filesystem::exists(dir / "ratings.csv")) {
        const std::string gen =
            std::string(self) + " --write-synthetic " + std::to_string(millions * 1000000LL) + " " + dir.string();
        if (std::system(gen.c_str()) != 0)
            throw std::runtime_error("could not write the synthetic set " + dir.string());
    }
    return dir.string();
}

int scale(const char* self, const std::vector<int>& millions) {
    const std::string root = (std::filesystem::temp_directory_path() / "factorscope-scale").string();
    std::printf("# synthetic MovieLens-shaped ratings.csv (the project's generator); dotbias, 64 factors,\n"
                "# fused path, batch 4096, all cores; one process per size for honest peak memory\n");
    for (int m : millions) {
        const std::string dir = root + "/" + std::to_string(m) + "M";
        const std::string gen = std::string(self) + " --write-synthetic " + std::to_string(m * 1000000LL) + " " + dir;
        const auto t0 = Clock::now();
        if (std::system(gen.c_str()) != 0)
            return 1;
        std::printf("# %dM: generated and written in %.1f s\n", m,
                    std::chrono::duration<double>(Clock::now() - t0).count());
        std::fflush(stdout);
        if (std::system((std::string(self) + " --measure " + dir).c_str()) != 0)
            return 1;
        std::filesystem::remove_all(dir);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string data = FACTORSCOPE_ML100K;
    int epochs = 5, rounds = 3;
    bool withPeer = true, doScale = false;
    std::string one;  // --one KEY: the child process of one measurement
    std::string mode; // --neural, --threads, or a child's --rate / --sgemm (its key in `one`)
    std::vector<int> sizes = {1, 5, 25};
    std::vector<std::string> models = {"dot", "dotbias", "linear", "mlp", "neumf", "embnet"};
    try {
        for (int k = 1; k < argc; ++k) {
            const std::string a = argv[k];
            auto next = [&]() -> std::string {
                if (k + 1 >= argc)
                    throw std::runtime_error(a + ": needs a value");
                return argv[++k];
            };
            if (a == "--data")
                data = next();
            else if (a == "--epochs")
                epochs = static_cast<int>(wholeNumber(a, next(), 1, 1000));
            else if (a == "--rounds")
                rounds = static_cast<int>(wholeNumber(a, next(), 1, 100));
            else if (a == "--no-peer")
                withPeer = false;
            else if (a == "--scale")
                doScale = true;
            else if (a == "--sizes") {
                sizes.clear();
                std::stringstream ss(next());
                for (std::string part; std::getline(ss, part, ',');)
                    sizes.push_back(static_cast<int>(wholeNumber(a, part, 1, 1000)));
            } else if (a == "--models") {
                models.clear();
                std::stringstream ss(next());
                for (std::string part; std::getline(ss, part, ',');) {
                    if (part != "none" && !bench::isBenchModel(part))
                        throw std::runtime_error("--models: unknown model " + part +
                                                 " (dot, dotbias, linear, mlp, neumf, embnet, or none)");
                    if (part != "none")
                        models.push_back(part);
                }
            } else if (a == "--write-synthetic") {
                const long long n = wholeNumber(a, next(), 1000, 1000000000);
                return writeSynthetic(n, next());
            } else if (a == "--neural")
                mode = "neural";
            else if (a == "--threads")
                mode = "threads";
            else if (a == "--rate" || a == "--sgemm") { // child processes, after every flag is read
                mode = a.substr(2);
                one = next();
            } else if (a == "--measure")
                return measure(next());
            else if (a == "--one")
                one = next();
            else
                throw std::runtime_error(
                    "unknown argument " + a +
                    " (use --data DIR, --epochs N, --rounds N, --no-peer, --scale, --sizes 1,5,25, "
                    "--neural, --threads, --models LIST, --one KEY)");
        }
        if (mode == "rate")
            return bench::rateOne(data, one);
        if (mode == "sgemm")
            return bench::sgemmOne(one);
        if (!one.empty())
            return measureOne(data, one, epochs);
        // This binary, for its child processes (argv[0] may be a bare name found on PATH).
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        const std::string self = ec ? std::string(argv[0]) : exe.string();
        if (mode == "neural")
            return bench::neuralBench(self, data);
        if (mode == "threads") {
            std::vector<std::string> sets;
            for (const std::string& model : models)
                sets.push_back(model + ":" + data);
            for (int m : sizes)
                sets.push_back("dotbias:" + syntheticSet(self.c_str(), m));
            return bench::threadsBench(self, sets, rounds);
        }
        return doScale ? scale(self.c_str(), sizes) : speed(self, data, epochs, rounds, withPeer);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "factorscope-bench: %s\n", e.what());
        return 1;
    }
}
