#include "core/experiment/Recipes.h"

#include "core/common/Error.h"

namespace factorscope {

namespace {

TrainSpec base(ModelKind kind, int factors, const char* split) {
    TrainSpec s = TrainSpec::defaults();
    s.setModelKind(kind);
    s.model.factors = factors;
    s.split = SplitSpec::parse(split);
    return s;
}

// How a recipe trains: the optimiser (its kind's defaults, then the rate and the L2 penalty),
// the schedule, batches and epochs; every epoch run and the last one's weights kept unless the
// recipe adds early stopping.
void trainWith(TrainSpec& s, OptimizerKind kind, double lr, double weightDecay, ScheduleKind schedule, int batch,
               int epochs) {
    s.optimizer = OptimizerSpec::defaultsFor(kind);
    s.optimizer.lr = lr;
    s.optimizer.weightDecay = weightDecay;
    s.schedule.kind = schedule;
    s.batchSize = batch;
    s.epochs = epochs;
    s.patience = 0;
    s.restoreBest = false;
}

// Early stopping after `patience` epochs without improvement (none before `minEpochs`), the
// best epoch's weights restored.
void stopEarly(TrainSpec& s, int patience, int minEpochs = 1) {
    s.patience = patience;
    s.minEpochs = minEpochs;
    s.restoreBest = true;
}

// Seed 000: an MLP over concatenated embeddings, Adam under cosine annealing with restarts
// every two epochs, early stopping after 10 epochs without improvement.
Recipe embeddingNet() {
    Recipe r{"embedding-net-clr",
             "an MLP over user and movie embeddings (150 factors, 3 hidden layers of 500 with dropout), Adam "
             "with cosine restarts every two epochs, early stopping after 10 epochs without improvement",
             "Movielens Deep Neural Net model from scratch in PyTorch",
             "ml-100k",
             "a random 20 % held out for validation",
             "",
             "validation RMSE 0.922 on MovieLens 100K, a random 20 %, best at epoch 7; early stopping ended it "
             "after epoch 17 (the notebook's run: after 16)",
             base(ModelKind::Mlp, 150, "random:0.2")};
    TrainSpec& s = r.spec;
    s.model.hidden = {500, 500, 500};
    s.model.dropouts = {0.5, 0.5, 0.25};
    s.model.embeddingDropout = 0.05;
    s.model.yMin = 1; // its ratings' range
    s.model.yMax = 5;
    // L2 1e-5 added to the gradient of a loss summed over batches of 50: 2e-7 on the mean loss.
    trainWith(s, OptimizerKind::Adam, 1e-3, 2e-7, ScheduleKind::Cosine, 50, 100);
    s.schedule.tMax = 0;      // two epochs
    s.schedule.etaMin = -1.0; // the base rate / 10
    stopEarly(s, 10);
    return r;
}

// Seed 001: a dot product squashed into the rating range, Adam, early stopping once 6 epochs
// have passed.
Recipe dotSigmoid() {
    Recipe r{"dot-sigmoid-min-epochs",
             "a dot product of 5-factor embeddings squashed into the rating range by a sigmoid, Adam at 5e-3, "
             "early stopping (patience 2) only after a minimum of 6 epochs",
             "NN inner product of embeddings",
             "ml-25m",
             "a 2.5 M-rating sample of it",
             "validation MSE 0.745 (RMSE 0.863) on its ML-25M sample; test MSE 0.755",
             "not measured on its data (ML-25M is not on the build machine); on MovieLens 100K, a random 20 %: "
             "RMSE 1.039 after 40 epochs, where 80,000 ratings make 20 steps an epoch against its 435",
             base(ModelKind::Dot, 5, "random:0.2")};
    TrainSpec& s = r.spec;
    s.model.useYRange = true;
    s.model.yMin = 0.5;
    s.model.yMax = 5.0;
    s.model.init = InitKind::Default; // LibTorch's N(0, 1), as nn.Embedding
    trainWith(s, OptimizerKind::Adam, 5e-3, 0, ScheduleKind::Constant, 4096, 40);
    s.optimizer.beta2 = 0.999;
    stopEarly(s, 2, 6);
    return r;
}

// Seed 002: fastai's first collaborative-filtering models, SGD with momentum, the rate cut from
// 0.1 to 0.01 after three epochs.
Recipe sgdDot(bool bias) {
    Recipe r{bias ? "sgd-dot-bias-rate-drop" : "sgd-dot-rate-drop",
             bias ? "a dot product with user and movie biases and a sigmoid range (50 factors), SGD with momentum "
                    "0.9 at 0.1, cut to 0.01 after 3 epochs"
                  : "a plain dot product of 50-factor embeddings, SGD with momentum 0.9 at 0.1, cut to 0.01 after "
                    "3 epochs",
             "Moving ratings data (fastai collaborative filtering)",
             "ml-latest-small",
             "a random 20 % held out for validation",
             bias ? "validation MSE 0.794 (RMSE 0.891) after the rate drop" : "validation MSE 1.132 (RMSE 1.064)",
             std::string("not measured on its data (ml-latest-small is not on the build machine); on MovieLens "
                         "100K, a random 20 %: RMSE ") +
                 (bias ? "0.939" : "0.978"),
             base(bias ? ModelKind::DotBias : ModelKind::Dot, 50, "random:0.2")};
    TrainSpec& s = r.spec;
    s.model.useYRange = bias;
    s.model.yMin = 0.5;
    s.model.yMax = 5.0;
    // Its embeddings all start at exactly 0.01; equal starts would keep every factor alike here.
    s.model.init = InitKind::Uniform;
    s.model.initLow = 0.0;
    s.model.initHigh = 0.02;
    trainWith(s, OptimizerKind::Sgd, 0.1, bias ? 2e-4 : 1e-5, ScheduleKind::Step, 64, 6);
    s.optimizer.momentum = 0.9;
    s.schedule.gamma = 0.1;
    r.dropAfterEpochs = 3;
    return r;
}

// Seed 003: matrix factorisation whose element-wise product goes through a linear layer and a
// ReLU, Adagrad.
Recipe linearMf() {
    Recipe r{"linear-mf-adagrad",
             "matrix factorisation (10 factors) whose element-wise product goes through a linear layer and a "
             "ReLU, Adagrad, batches of 200",
             "Recommender Systems 2020/2021, Practice Session 11 - MF with PyTorch",
             "ml-10m",
             "a random 20 % held out",
             "",
             "not measured on its data (ML-10M is not on the build machine); on MovieLens 100K, a random 20 %: "
             "RMSE 1.501 after 10 epochs",
             base(ModelKind::Linear, 10, "random:0.2")};
    TrainSpec& s = r.spec;
    s.model.linearRelu = true;
    s.model.useYRange = false;
    s.model.init = InitKind::Default;
    // Rate 1e-4 on a loss summed over batches of 200: 0.02 on the mean loss.
    trainWith(s, OptimizerKind::Adagrad, 0.02, 0, ScheduleKind::Constant, 200, 10);
    return r;
}

// Seed 004: fastai's dot product with biases rebuilt in plain PyTorch: truncated-normal
// init, a y-range of 0.5 to 5.5, one-cycle, AdamW with weight decay 0.1.
Recipe oneCycle() {
    Recipe r{"dot-bias-one-cycle-adamw",
             "a dot product with biases (40 factors, truncated-normal init, sigmoid range 0.5 to 5.5), one-cycle "
             "at 1e-2 with AdamW and weight decay 0.1 for 10 epochs, as fastai's collab_learner",
             "Collaborative filtering (matching fastai's performance with pure PyTorch)",
             "ml-100k",
             "the predefined ua split: ua.base to train, ua.test to score",
             "fastai: test MSE 0.899 (RMSE 0.948) on ua.test; the notebook's own PyTorch loop: 0.945",
             "test MSE 0.894 (RMSE 0.946) on ua.test, the same data and split",
             base(ModelKind::DotBias, 40, "ua")};
    TrainSpec& s = r.spec;
    s.model.useYRange = true;
    s.model.yMin = 0.5;
    s.model.yMax = 5.5;
    s.model.init = InitKind::TruncNormal;
    s.model.initStd = 0.01;
    trainWith(s, OptimizerKind::AdamW, 1e-2, 0.1, ScheduleKind::OneCycle, 64, 10);
    s.optimizer.beta1 = 0.9;
    s.optimizer.beta2 = 0.99;
    return r;
}

} // namespace

std::string Recipe::fitSplit(TrainSpec& s, const std::vector<std::string>& predefined) const {
    if (s.split.kind != SplitSpec::Kind::Predefined)
        return {};
    for (const auto& name : predefined)
        if (name == s.split.name)
            return {};
    const std::string was = s.split.toString();
    s.split = SplitSpec::parse("random:0.2");
    return "this data set has no " + was + " split; a random 20 % is held out instead";
}

void Recipe::fitToData(TrainSpec& s, std::size_t trainRatings) const {
    if (dropAfterEpochs <= 0 || s.schedule.kind != ScheduleKind::Step)
        return;
    const auto batch = static_cast<std::size_t>(std::max(1, s.batchSize));
    const std::size_t stepsPerEpoch = std::max<std::size_t>(1, (trainRatings + batch - 1) / batch);
    s.schedule.stepSize = static_cast<int>(std::min<std::size_t>(stepsPerEpoch * dropAfterEpochs, 1u << 30));
}

const std::vector<Recipe>& recipes() {
    static const std::vector<Recipe> all = {embeddingNet(), dotSigmoid(), sgdDot(false),
                                            sgdDot(true),   linearMf(),   oneCycle()};
    return all;
}

const Recipe& recipeNamed(const std::string& name) {
    std::string names;
    for (const Recipe& r : recipes()) {
        if (r.name == name)
            return r;
        names += (names.empty() ? "" : ", ") + r.name;
    }
    throw SpecError("recipe", "\"" + name + "\" is not a recipe; the recipes are " + names);
}

} // namespace factorscope
