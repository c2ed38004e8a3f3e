// The rows of the spec's field table (SpecFields.h) for the optimiser, the learning-rate
// schedule and the training loop.
#include "core/train/SpecFieldRows.h"

namespace factorscope::fieldrows {

std::vector<SpecField> optimiserFields() {
    using O = OptimizerKind;
    std::vector<SpecField> f;
    f.push_back(choice<OptimizerKind>(
        {.name = "optimizer",
         .label = "Optimiser",
         .group = G::Optimiser,
         .type = T::Choice,
         .jsonSection = "optimizer",
         .json = {"kind"},
         .help = "The rule that turns gradients into weight updates. Another optimiser starts from its own defaults",
         .grid = true},
        {O::AdamW, O::Adam, O::Sgd, O::Adagrad, O::RmsProp}, [](const TrainSpec& s) { return s.optimizer.kind; },
        [](TrainSpec& s, OptimizerKind k) {
            if (k != s.optimizer.kind)
                s.optimizer = OptimizerSpec::defaultsFor(k);
        }));
    f.push_back(bind({.name = "lr",
                      .label = "Learning rate",
                      .group = G::Optimiser,
                      .type = T::Real,
                      .jsonSection = "optimizer",
                      .json = {"lr"},
                      .min = 0,
                      .max = 100,
                      .minOpen = true,
                      .logScale = true,
                      .help = "How big a step each update takes; for one-cycle, the peak (adamw 0.005, adam 0.01, "
                              "sgd and adagrad 0.05, rmsprop 0.001)",
                      .grid = true},
                     &TrainSpec::optimizer, &OptimizerSpec::lr));
    f.push_back(bind({.name = "weight-decay",
                      .label = "Weight decay",
                      .group = G::Optimiser,
                      .type = T::Real,
                      .jsonSection = "optimizer",
                      .json = {"weight_decay"},
                      .min = 0,
                      .max = 10,
                      .logScale = true,
                      .help = "Pulls weights towards zero each step, against overfitting (adamw: decoupled, 0.4; "
                              "the others: added to the gradient, 1e-4)",
                      .grid = true},
                     &TrainSpec::optimizer, &OptimizerSpec::weightDecay));
    f.push_back(bind({.name = "momentum",
                      .label = "Momentum",
                      .group = G::Optimiser,
                      .type = T::Real,
                      .jsonSection = "optimizer",
                      .json = {"momentum"},
                      .min = 0,
                      .max = 1,
                      .maxOpen = true,
                      .help = "How much of the previous update carries into the next (SGD, RMSprop)",
                      .grid = true,
                      .applies =
                          [](const TrainSpec& s) {
                              return optimizerIs(s, {O::Sgd, O::RmsProp});
                          }},
                     &TrainSpec::optimizer, &OptimizerSpec::momentum));
    f.push_back(bind({.name = "nesterov",
                      .label = "Nesterov momentum",
                      .group = G::Optimiser,
                      .type = T::Flag,
                      .jsonSection = "optimizer",
                      .json = {"nesterov"},
                      .help = "SGD: look ahead along the momentum before taking the gradient",
                      .applies = [](const TrainSpec& s) { return optimizerIs(s, {O::Sgd}); }},
                     &TrainSpec::optimizer, &OptimizerSpec::nesterov));
    SpecField betas{.name = "betas",
                    .label = "Betas",
                    .group = G::Optimiser,
                    .type = T::Pair,
                    .jsonSection = "optimizer",
                    .json = {"beta1", "beta2"},
                    .min = 0,
                    .max = 1,
                    .maxOpen = true,
                    .help = "Adam's decay rates B1,B2 of its running means of the gradient and of its square",
                    .advanced = true,
                    .applies = [](const TrainSpec& s) {
                        return optimizerIs(s, {O::Adam, O::AdamW});
                    }};
    betas.get = [](const TrainSpec& s) {
        return FieldValue(std::vector<double>{s.optimizer.beta1, s.optimizer.beta2});
    };
    betas.set = [](TrainSpec& s, const FieldValue& v) {
        const auto& b = std::get<std::vector<double>>(v);
        s.optimizer.beta1 = b.at(0);
        s.optimizer.beta2 = b.at(1);
    };
    f.push_back(betas);
    f.push_back(bind({.name = "eps",
                      .label = "Epsilon",
                      .group = G::Optimiser,
                      .type = T::Real,
                      .jsonSection = "optimizer",
                      .json = {"eps"},
                      .min = 0,
                      .max = 1,
                      .minOpen = true,
                      .maxOpen = true,
                      .logScale = true,
                      .help = "Added to the denominator of adaptive updates so they never divide by zero",
                      .advanced = true,
                      .applies = [](const TrainSpec& s) { return !optimizerIs(s, {O::Sgd}); }},
                     &TrainSpec::optimizer, &OptimizerSpec::eps));
    return f;
}

std::vector<SpecField> scheduleFields() {
    using S = ScheduleKind;
    std::vector<SpecField> f;
    f.push_back(choice<ScheduleKind>(
        {.name = "schedule",
         .label = "Schedule",
         .group = G::Schedule,
         .type = T::Choice,
         .jsonSection = "schedule",
         .json = {"kind"},
         .help = "How the learning rate changes during training: onecycle warms up to the rate and anneals, "
                 "cosine restarts, triangular cycles, step decays",
         .grid = true},
        {S::OneCycle, S::Constant, S::Step, S::Triangular, S::Triangular2, S::ExpRange, S::Cosine},
        [](const TrainSpec& s) { return s.schedule.kind; }, [](TrainSpec& s, ScheduleKind k) { s.schedule.kind = k; }));
    const auto cyclic = [](const TrainSpec& s) { return scheduleIs(s, {S::Triangular, S::Triangular2, S::ExpRange}); };
    const auto cosine = [](const TrainSpec& s) { return scheduleIs(s, {S::Cosine}); };
    f.push_back(bind({.name = "max-lr",
                      .label = "Peak rate",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"max_lr"},
                      .min = 0,
                      .max = 100,
                      .logScale = true,
                      .help = "The top of a triangular cycle; 0 means five times the learning rate",
                      .grid = true,
                      .applies = cyclic},
                     &TrainSpec::schedule, &ScheduleSpec::maxLr));
    f.push_back(bind({.name = "step-size",
                      .label = "Step size",
                      .group = G::Schedule,
                      .type = T::Integer,
                      .jsonSection = "schedule",
                      .json = {"step_size"},
                      .min = 0,
                      .max = 1073741824.0,
                      .help = "Batches per half cycle, or per decay step; 0 means one epoch",
                      .grid = true,
                      .applies =
                          [](const TrainSpec& s) {
                              return scheduleIs(s, {S::Step, S::Triangular, S::Triangular2, S::ExpRange});
                          }},
                     &TrainSpec::schedule, &ScheduleSpec::stepSize));
    f.push_back(bind({.name = "gamma",
                      .label = "Gamma",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"gamma"},
                      .min = 0,
                      .max = 1,
                      .minOpen = true,
                      .help = "The decay factor: step multiplies the rate by it, exp_range shrinks the cycles by it",
                      .grid = true,
                      .applies =
                          [](const TrainSpec& s) {
                              return scheduleIs(s, {S::Step, S::ExpRange});
                          }},
                     &TrainSpec::schedule, &ScheduleSpec::gamma));
    f.push_back(bind({.name = "t-max",
                      .label = "Restart period",
                      .group = G::Schedule,
                      .type = T::Integer,
                      .jsonSection = "schedule",
                      .json = {"t_max"},
                      .min = 0,
                      .max = 1073741824.0,
                      .help = "Batches between the cosine schedule's restarts; 0 means two epochs",
                      .grid = true,
                      .applies = cosine},
                     &TrainSpec::schedule, &ScheduleSpec::tMax));
    f.push_back(bind({.name = "eta-min",
                      .label = "Floor rate",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"eta_min"},
                      .min = -1,
                      .max = 100,
                      .help = "The lowest rate of the cosine schedule; a negative value means a tenth of the "
                              "learning rate",
                      .grid = true,
                      .applies = cosine},
                     &TrainSpec::schedule, &ScheduleSpec::etaMin));
    return f;
}

std::vector<SpecField> oneCycleFields() {
    std::vector<SpecField> f;
    const auto cycling = [](const TrainSpec& s) { return oneCycle(s) && s.schedule.cycleMomentum; };
    f.push_back(bind({.name = "pct-start",
                      .label = "Warm-up share",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"pct_start"},
                      .min = 0,
                      .max = 1,
                      .minOpen = true,
                      .maxOpen = true,
                      .help = "The share of training spent warming the rate up to its peak",
                      .grid = true,
                      .applies = oneCycle},
                     &TrainSpec::schedule, &ScheduleSpec::pctStart));
    f.push_back(bind({.name = "div-factor",
                      .label = "Start divisor",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"div_factor"},
                      .min = 1,
                      .max = 1e9,
                      .logScale = true,
                      .help = "One-cycle starts at the peak rate divided by this",
                      .advanced = true,
                      .applies = oneCycle},
                     &TrainSpec::schedule, &ScheduleSpec::divFactor));
    f.push_back(bind({.name = "final-div-factor",
                      .label = "End divisor",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"final_div_factor"},
                      .min = 1,
                      .max = 1e12,
                      .logScale = true,
                      .help = "One-cycle ends at the start rate divided by this",
                      .advanced = true,
                      .applies = oneCycle},
                     &TrainSpec::schedule, &ScheduleSpec::finalDivFactor));
    f.push_back(bind({.name = "cycle-momentum",
                      .label = "Cycle the momentum",
                      .group = G::Schedule,
                      .type = T::Flag,
                      .jsonSection = "schedule",
                      .json = {"cycle_momentum"},
                      .help = "One-cycle lowers the momentum (Adam's beta1) while the rate rises, and back",
                      .advanced = true,
                      .applies = oneCycle},
                     &TrainSpec::schedule, &ScheduleSpec::cycleMomentum));
    f.push_back(bind({.name = "momentum-max",
                      .label = "Momentum at rest",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"momentum_max"},
                      .min = 0,
                      .max = 1,
                      .minOpen = true,
                      .maxOpen = true,
                      .help = "The momentum at the start and the end of one-cycle",
                      .advanced = true,
                      .applies = cycling},
                     &TrainSpec::schedule, &ScheduleSpec::momentumMax));
    f.push_back(bind({.name = "momentum-min",
                      .label = "Momentum at the peak",
                      .group = G::Schedule,
                      .type = T::Real,
                      .jsonSection = "schedule",
                      .json = {"momentum_min"},
                      .min = 0,
                      .max = 1,
                      .minOpen = true,
                      .maxOpen = true,
                      .help = "The momentum while one-cycle's rate peaks",
                      .advanced = true,
                      .applies = cycling},
                     &TrainSpec::schedule, &ScheduleSpec::momentumMin));
    return f;
}

std::vector<SpecField> trainingFields() {
    std::vector<SpecField> f;
    f.push_back(bind({.name = "epochs",
                      .label = "Epochs",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"epochs"},
                      .min = 1,
                      .max = 100000,
                      .help = "How many passes over the training ratings",
                      .grid = true},
                     &TrainSpec::epochs));
    f.push_back(bind({.name = "batch-size",
                      .label = "Batch size",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"batch_size"},
                      .min = 1,
                      .max = 16777216,
                      .help = "Ratings per update (autorec: movies per update): larger batches run faster, smaller "
                              "ones update more often",
                      .grid = true},
                     &TrainSpec::batchSize));
    f.push_back(bind({.name = "patience",
                      .label = "Patience",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"patience"},
                      .min = 0,
                      .max = 100000,
                      .help = "Stop after this many epochs without a better validation RMSE; 0 never stops early",
                      .grid = true},
                     &TrainSpec::patience));
    f.push_back(bind({.name = "min-epochs",
                      .label = "Minimum epochs",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"min_epochs"},
                      .min = 0,
                      .max = 100000,
                      .help = "Never stop early before this many epochs",
                      .applies = [](const TrainSpec& s) { return s.patience > 0; }},
                     &TrainSpec::minEpochs));
    f.push_back(bind({.name = "restore-best",
                      .label = "Restore the best epoch's weights",
                      .group = G::Training,
                      .type = T::Flag,
                      .jsonSection = "",
                      .json = {"restore_best"},
                      .help = "At the end, go back to the weights of the epoch with the best validation RMSE"},
                     &TrainSpec::restoreBest));
    f.push_back(bind({.name = "seed",
                      .label = "Seed",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"seed"},
                      .min = 0,
                      .max = kMaxSeed,
                      .help = "The same seed gives the same initial weights and batches",
                      .grid = true},
                     &TrainSpec::seed));
    f.push_back(bind({.name = "threads",
                      .label = "Threads",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"threads"},
                      .min = 0,
                      .max = 1024,
                      .help = "CPU threads for training. 0 is automatic: one, which measured fastest for every model "
                              "on two cores, also beside a busy core; the fused path splits over two only when asked",
                      .advanced = true},
                     &TrainSpec::threads));
    f.push_back(bind({.name = "device",
                      .label = "Device",
                      .group = G::Training,
                      .type = T::Text,
                      .jsonSection = "",
                      .json = {"device"},
                      .help = "Where training runs: cpu, or cuda where LibTorch has a GPU",
                      .metavar = "cpu|cuda"},
                     &TrainSpec::device));
    f.push_back(choice<Engine>(
        {.name = "engine",
         .label = "Engine",
         .group = G::Training,
         .type = T::Choice,
         .jsonSection = "",
         .json = {"engine"},
         .help = "auto picks the fast CPU path for dot and dotbias where it applies; fused forces it (row-wise "
                 "optimiser state); general is LibTorch's autograd (every model, CUDA)",
         .advanced = true,
         .optionalInJson = true},
        {Engine::Auto, Engine::Fused, Engine::General}, [](const TrainSpec& s) { return s.engine; },
        [](TrainSpec& s, Engine e) { s.engine = e; }));
    return f;
}

} // namespace factorscope::fieldrows
