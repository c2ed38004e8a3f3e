// factorscope-bench --neural and --threads: the neural path against the Python peer and the
// sgemm rate, and the default thread count against one and two threads, unloaded and beside a
// process that keeps one core busy. Every figure comes from a child process of its own (no
// OpenMP workers left spinning by an earlier measurement); ratings/s are the last epoch's, so
// the first epoch's allocations and page faults are left out on both sides alike (on sets past
// 2 M ratings, one epoch).
#include "ThreadsBench.h"

#include "core/data/Split.h"
#include "core/model/Model.h"
#include "core/model/ModelImpl.h"
#include "core/train/Trainer.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace factorscope::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Seed 000's embedding net with its layers and dropouts, trained as that notebook does (Adam,
// lr 1e-3, decay 1e-5); the other names are the kinds' defaults with the same optimiser.
TrainSpec specFor(const std::string& model, int threads, int epochs) {
    TrainSpec s;
    if (model == "embnet") {
        s.model = ModelSpec::defaultsFor(ModelKind::Mlp);
        s.model.factors = 150;
        s.model.hidden = {500, 500, 500};
        s.model.dropouts = {0.5, 0.5, 0.25};
        s.model.embeddingDropout = 0.05;
        s.model.init = InitKind::Uniform;
        s.model.initLow = -0.05;
        s.model.initHigh = 0.05;
    } else {
        const auto kind = parseModelKind(model);
        if (!kind)
            throw std::runtime_error("unknown model '" + model + "' (dot, dotbias, linear, mlp, neumf, embnet)");
        s.model = ModelSpec::defaultsFor(*kind);
    }
    if (s.model.hasHiddenLayers()) {
        s.optimizer.kind = OptimizerKind::Adam;
        s.optimizer.lr = 1e-3;
        s.optimizer.weightDecay = 1e-5;
    }
    s.batchSize = 1024;
    s.epochs = epochs;
    s.threads = threads;
    return s;
}

// Multiply-adds of the dense layers per rating, forward and backward (three products a layer).
double layerFlopsPerRating(const ModelSpec& m) {
    double macs = 0;
    int64_t in = 2 * m.factors;
    for (int64_t h : m.hidden) {
        macs += static_cast<double>(in) * h;
        in = h;
    }
    macs += static_cast<double>(in + (m.kind == ModelKind::NeuMF ? m.factors : 0));
    return 3 * 2 * macs;
}

// sgemm at the layers' shapes (a batch of 1024 by each layer's weights), at `threads`.
double sgemmGflops(const ModelSpec& m, int threads) {
    torch::set_num_threads(threads);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> shapes;
    int64_t in = 2 * m.factors;
    double flops = 0;
    for (int64_t h : m.hidden) {
        shapes.emplace_back(torch::randn({1024, in}), torch::randn({in, h}));
        flops += 2.0 * 1024 * in * h;
        in = h;
    }
    auto run = [&] {
        for (auto& [a, b] : shapes)
            (void)torch::mm(a, b);
    };
    run();
    int reps = 0;
    const auto t0 = Clock::now();
    double seconds = 0;
    while (seconds < 1.0) {
        run();
        ++reps;
        seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    }
    return flops * reps / seconds / 1e9;
}

// A child of this program; its one line of output. With `busy`, a process spins on one core
// beside it for as long as it runs.
std::string child(const std::string& self, const std::string& args, bool busy) {
    pid_t spinner = -1;
    if (busy) {
        spinner = fork();
        if (spinner == 0) {
            for (;;)
                asm volatile("" ::: "memory"); // spin: one core kept busy
        }
    }
    std::string out;
    if (FILE* p = popen((self + " " + args + " 2>/dev/null").c_str(), "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, p))
            out = line;
        pclose(p);
    }
    if (spinner > 0) {
        kill(spinner, SIGKILL);
        waitpid(spinner, nullptr, 0);
    }
    return out;
}

double number(const std::string& line) {
    try {
        return std::stod(line);
    } catch (const std::exception&) {
        return 0;
    }
}

double rate(const std::string& self, const std::string& data, const std::string& model, int threads, bool busy) {
    return number(child(self, "--rate " + model + "/" + std::to_string(threads) + " --data '" + data + "'", busy));
}

// The Python peer's last epoch (seed 000's net, or NeuMF), at torch's default thread count.
double python(const std::string& dir, const std::string& model) {
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        return 0;
    const TrainSpec s = specFor(model, 0, 2);
    std::string layers, drops;
    for (std::size_t k = 0; k < s.model.hidden.size(); ++k) {
        layers += (k ? "," : "") + std::to_string(s.model.hidden[k]);
        drops += (k ? "," : "") + std::to_string(s.model.dropouts[k]);
    }
    const std::string cmd = "/usr/bin/python3 " FACTORSCOPE_NEURAL_PEER " --data '" + dir + "' --model " +
                            (s.model.kind == ModelKind::NeuMF ? "neumf" : "mlp") + " --factors " +
                            std::to_string(s.model.factors) + " --hidden " + layers + " --dropouts " + drops +
                            " --embedding-dropout " + std::to_string(s.model.embeddingDropout) +
                            " --epochs 2 --bs 1024 2>/dev/null";
    double last = 0;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, p)) {
            int ep = 0;
            double mse = 0, rps = 0;
            if (std::sscanf(line, "epoch=%d train_mse=%lf ratings_per_s=%lf", &ep, &mse, &rps) == 3)
                last = rps;
        }
        pclose(p);
    }
    return last;
}

// "MODEL/THREADS" of a child's key, checked.
std::pair<std::string, int> modelAndThreads(const std::string& key) {
    const auto slash = key.find('/');
    const std::string t = slash == std::string::npos ? "" : key.substr(slash + 1);
    if (t.empty() || t.size() > 4 || t.find_first_not_of("0123456789") != std::string::npos)
        throw std::runtime_error("expected MODEL/THREADS (THREADS a whole number), got '" + key + "'");
    return {key.substr(0, slash), std::stoi(t)};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int rateOne(const std::string& dir, const std::string& key) {
    const auto [model, threads] = modelAndThreads(key);
    TrainSpec s = specFor(model, threads, 2); // the key is checked before the data is read
    const Dataset d = loadDatasetOrDemo(dir);
    // Two epochs (the last one counted) where an epoch is short; one past 2 M ratings.
    s.epochs = d.ratings.size() > 2000000 ? 1 : 2;
    const Split split = makeSplit(d, SplitSpec::parse(d.format == "movielens-100k" ? "ua" : "random:0.1"));
    Model m(s.model, d.users.size(), d.items.size(), s.seed);
    Trainer t(m, s);
    const TrainResult r = t.run(d, split);
    std::printf("%.0f\n", r.history.back().ratingsPerSecond);
    return 0;
}

int sgemmOne(const std::string& key) {
    const auto [model, threads] = modelAndThreads(key);
    std::printf("%.1f\n", sgemmGflops(specFor(model, 0, 1).model, std::max(1, threads)));
    return 0;
}

int neuralBench(const std::string& self, const std::string& dir) {
    std::printf("# neural path: MovieLens 100K ua, batch 1024, Adam lr 1e-3 decay 1e-5, last of 2 epochs;\n"
                "# Python peer: bench/peer_neural.py, the same layers, dropouts and optimiser, torch's default "
                "threads\n");
    std::printf("%-8s %12s %12s %9s %14s %14s %9s\n", "model", "factorscope", "python", "ratio", "layers GFLOP/s",
                "sgemm GFLOP/s", "of sgemm");
    for (const char* model : {"embnet", "mlp", "neumf"}) {
        const double app = rate(self, dir, model, 0, false);
        const double py = python(dir, model);
        const TrainSpec s = specFor(model, 0, 1);
        // The default keeps to one thread (Threads.h): the sgemm rate at that count.
        const double sgemm = number(child(self, std::string("--sgemm ") + model + "/1", false));
        const double used = app * layerFlopsPerRating(s.model) / 1e9;
        std::printf("%-8s %12.0f %12.0f %8.2fx %14.1f %14.1f %8.0f%%\n", model, app, py, py > 0 ? app / py : 0, used,
                    sgemm, sgemm > 0 ? 100 * used / sgemm : 0);
    }
    return 0;
}

bool isBenchModel(const std::string& name) {
    try {
        specFor(name, 0, 1);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

int threadsBench(const std::string& self, const std::vector<std::string>& sets, int rounds) {
    std::printf("# threads: the default (0) against 1 and 2, ratings/s of the last of 2 epochs (1 past 2 M\n"
                "# ratings), each in its own process, the six interleaved in each of %d round(s), medians shown;\n"
                "# busy: beside a process that keeps one core busy. worst: the lower of default/1 thread\n",
                rounds);
    std::printf("%-8s %-28s %10s %10s %10s | %10s %10s %10s | %6s\n", "model", "data", "default", "1 thread",
                "2 threads", "busy def", "busy 1", "busy 2", "worst");
    for (const std::string& entry : sets) {
        const auto colon = entry.find(':');
        const std::string model = entry.substr(0, colon), data = entry.substr(colon + 1);
        std::vector<double> runs[2][3];
        for (int round = 0; round < rounds; ++round)
            for (int busy = 0; busy < 2; ++busy)
                for (int t = 0; t < 3; ++t)
                    runs[busy][t].push_back(rate(self, data, model, t, busy == 1));
        double r[2][3];
        for (int busy = 0; busy < 2; ++busy)
            for (int t = 0; t < 3; ++t)
                r[busy][t] = median(runs[busy][t]);
        const double worst = std::min(r[0][0] / r[0][1], r[1][0] / r[1][1]);
        const std::string shown = data.size() > 28 ? "..." + data.substr(data.size() - 25) : data;
        std::printf("%-8s %-28s %10.0f %10.0f %10.0f | %10.0f %10.0f %10.0f | %5.2fx\n", model.c_str(), shown.c_str(),
                    r[0][0], r[0][1], r[0][2], r[1][0], r[1][1], r[1][2], worst);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace factorscope::bench
