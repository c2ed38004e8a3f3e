#include "app/cli/SpecArgs.h"

#include "core/runs/RunStore.h"

#include "core/common/Error.h"

namespace factorscope::cli {

const char* const kTrainFlagsHelp = R"(Data:
  --data PATH|demo        MovieLens folder or .zip, a user,item,rating CSV/TSV, or demo
  --split SPEC            ua|ub|u1..u5|random:F[:T]|leave:K|temporal:K (default: ua on
                          MovieLens 100K, else random:0.2)
  --split-seed N          seed of random splits (default 42)
  --lenient               skip malformed lines (counted) instead of stopping
  --scale MIN,MAX         the rating scale (default 0.5,5)
Model:
  --model KIND            dot|dotbias|linear|mlp|neumf (default dotbias)
  --factors N             embedding size (default 64)
  --hidden A,B,C          mlp/neumf hidden layers
  --dropout A,B,C         mlp/neumf dropout per hidden layer
  --embedding-dropout X   mlp/neumf dropout on the embeddings
  --y-range MIN,MAX|none  sigmoid output range (default 0.5,5.5 for dotbias)
  --init KIND             default|normal|truncnormal|uniform
  --init-std X            std of normal/truncnormal init (default 0.01)
Optimiser:
  --optimizer KIND        sgd|adam|adamw|adagrad|rmsprop (default adamw)
  --lr X                  learning rate; the peak for onecycle (default 0.005;
                          adam 0.01, sgd/adagrad 0.05, rmsprop 0.001)
  --weight-decay X        (default 0.4 for adamw, decoupled; 1e-4 for sgd/adam/rmsprop)
  --momentum X            sgd/rmsprop momentum (default 0.9)
  --nesterov              sgd: Nesterov momentum
  --betas B1,B2           adam/adamw (default 0.9,0.99)
Schedule:
  --schedule KIND         constant|step|triangular|triangular2|exp_range|cosine|onecycle
  --max-lr X              cyclic schedules' peak (default 5 x lr)
  --step-size N           steps per half cycle / per decay (default one epoch)
  --gamma X               step and exp_range decay
  --t-max N               cosine restart period in steps (default two epochs)
  --eta-min X             cosine floor (default lr/10)
  --pct-start X           onecycle warm-up fraction (default 0.25)
Training:
  --epochs N              (default 8)
  --batch-size N          (default 1024)
  --patience N            early stopping; 0 = off (default 0)
  --min-epochs N          no early stop before this epoch (default 1)
  --no-restore-best       keep the last epoch's weights, not the best
  --seed N                (default 42)
  --threads N             training threads; 0 = automatic: one, which measured fastest
                          for every model and size on 2 cores, also beside a busy core;
                          the fused path splits over two only when asked (default 0)
  --device cpu|cuda       (default cpu)
  --engine auto|fused|general
                          fused: the fast CPU path for dot/dotbias (row-wise optimiser
                          state); general: LibTorch autograd (every model, CUDA);
                          auto picks fused where it applies (default)
)";

LoadOptions loadOptionsFromArgs(Args& args) {
    LoadOptions o;
    o.lenient = args.flag("lenient");
    if (auto s = args.reals("scale", -1e6, 1e6)) {
        if (s->size() != 2 || (*s)[0] >= (*s)[1])
            throw UsageError("--scale: expected MIN,MAX with MIN < MAX");
        o.scaleMin = (*s)[0];
        o.scaleMax = (*s)[1];
    }
    return o;
}

TrainSpec trainSpecFromArgs(Args& args, TrainSpec s) {
    if (auto v = args.text("split"))
        s.split = SplitSpec::parse(*v);
    if (auto v = args.integer("split-seed", 0, (1LL << 62)))
        s.split.seed = static_cast<uint64_t>(*v);

    if (auto v = args.text("model")) {
        auto kind = parseModelKind(*v);
        if (!kind)
            throw UsageError("--model: unknown model \"" + *v + "\" (use dot, dotbias, linear, mlp or neumf)");
        if (*kind != s.model.kind)
            s.model = ModelSpec::defaultsFor(*kind);
    }
    ModelSpec& m = s.model;
    if (auto v = args.integer("factors", 1, 4096))
        m.factors = static_cast<int>(*v);
    const bool hiddenGiven = args.has("hidden");
    if (auto v = args.integers("hidden", 1, 65536))
        m.hidden = *v;
    if (auto v = args.reals("dropout", 0.0, 0.99))
        m.dropouts = *v;
    else if (hiddenGiven)
        m.dropouts.resize(m.hidden.size(), m.dropouts.empty() ? 0.0 : m.dropouts.back());
    if (m.hasHiddenLayers() && m.dropouts.size() != m.hidden.size())
        throw UsageError("--dropout: give one value per hidden layer (" + std::to_string(m.hidden.size()) +
                         " layers, " + std::to_string(m.dropouts.size()) + " dropouts)");
    if (auto v = args.real("embedding-dropout", 0.0, 0.99))
        m.embeddingDropout = *v;
    if (auto v = args.text("y-range")) {
        if (*v == "none") {
            m.useYRange = false;
        } else {
            auto r = args.reals("y-range", -1e6, 1e6);
            if (r->size() != 2 || (*r)[0] >= (*r)[1])
                throw UsageError("--y-range: expected MIN,MAX with MIN < MAX, or none");
            m.useYRange = true;
            m.yMin = (*r)[0];
            m.yMax = (*r)[1];
        }
    }
    if (auto v = args.text("init")) {
        auto kind = parseInitKind(*v);
        if (!kind)
            throw UsageError("--init: unknown \"" + *v + "\" (use default, normal, truncnormal or uniform)");
        m.init = *kind;
    }
    if (auto v = args.real("init-std", 1e-9, 10))
        m.initStd = *v;

    OptimizerSpec& o = s.optimizer;
    if (auto v = args.text("optimizer")) {
        auto kind = parseOptimizerKind(*v);
        if (!kind)
            throw UsageError("--optimizer: unknown \"" + *v + "\" (use sgd, adam, adamw, adagrad or rmsprop)");
        if (*kind != o.kind)
            o = OptimizerSpec::defaultsFor(*kind);
    }
    if (auto v = args.real("lr", 1e-12, 100))
        o.lr = *v;
    if (auto v = args.real("weight-decay", 0, 10))
        o.weightDecay = *v;
    if (auto v = args.real("momentum", 0, 0.999))
        o.momentum = *v;
    if (args.flag("nesterov"))
        o.nesterov = true;
    if (auto v = args.reals("betas", 0, 0.9999)) {
        if (v->size() != 2)
            throw UsageError("--betas: expected two numbers, B1,B2");
        o.beta1 = (*v)[0];
        o.beta2 = (*v)[1];
    }

    ScheduleSpec& sc = s.schedule;
    if (auto v = args.text("schedule")) {
        auto kind = parseScheduleKind(*v);
        if (!kind)
            throw UsageError("--schedule: unknown \"" + *v +
                             "\" (use constant, step, triangular, triangular2, exp_range, cosine or onecycle)");
        sc.kind = *kind;
    }
    if (auto v = args.real("max-lr", 1e-12, 100))
        sc.maxLr = *v;
    if (auto v = args.integer("step-size", 1, 1LL << 30))
        sc.stepSize = static_cast<int>(*v);
    if (auto v = args.real("gamma", 1e-9, 1))
        sc.gamma = *v;
    if (auto v = args.integer("t-max", 1, 1LL << 30))
        sc.tMax = static_cast<int>(*v);
    if (auto v = args.real("eta-min", 0, 100))
        sc.etaMin = *v;
    if (auto v = args.real("pct-start", 0.001, 0.999))
        sc.pctStart = *v;

    if (auto v = args.integer("epochs", 1, 100000))
        s.epochs = static_cast<int>(*v);
    if (auto v = args.integer("batch-size", 1, 1 << 24))
        s.batchSize = static_cast<int>(*v);
    if (auto v = args.integer("patience", 0, 100000))
        s.patience = static_cast<int>(*v);
    if (auto v = args.integer("min-epochs", 0, 100000))
        s.minEpochs = static_cast<int>(*v);
    if (args.flag("no-restore-best"))
        s.restoreBest = false;
    if (auto v = args.integer("seed", 0, (1LL << 62)))
        s.seed = static_cast<uint64_t>(*v);
    if (auto v = args.integer("threads", 0, 1024))
        s.threads = static_cast<int>(*v);
    if (auto v = args.text("device"))
        s.device = *v;
    if (auto v = args.text("engine")) {
        auto e = parseEngine(*v);
        if (!e)
            throw UsageError("--engine: unknown \"" + *v + "\" (use auto, fused or general)");
        s.engine = *e;
    }
    s.validate();
    return s;
}

void defaultSplit(Args& args, const Dataset& data, TrainSpec& spec) {
    if (args.has("split"))
        return;
    for (const auto& s : data.predefinedSplits)
        if (s == "ua") {
            spec.split = SplitSpec::parse("ua");
            return;
        }
}

std::optional<std::string> runsDbFromArgs(Args& args) {
    const auto db = args.text("runs-db");
    if (args.flag("no-record"))
        return std::nullopt;
    return db ? *db : RunStore::defaultPath();
}

const char* const kRecordFlagsHelp = "Run store:\n"
                                     "  --runs-db FILE          record the run here (default $FACTORSCOPE_RUNS_DB or\n"
                                     "                          ~/.local/share/factorscope/runs.sqlite)\n"
                                     "  --no-record             do not record the run\n";

} // namespace factorscope::cli
