// The rows of the spec's field table (SpecFields.h): the data's and the model's settings, and
// the table itself. A new setting is one row in one of these functions, plus its member in the
// spec and what the engine does with it.
#include "core/train/SpecFieldRows.h"

namespace factorscope {

namespace fieldrows {

namespace {
// Models whose tables start from the initialisation (trained ones, and random's scores).
bool initialised(const TrainSpec& s) { return s.model.hasFactors() && s.model.kind != ModelKind::Ease; }
} // namespace

std::vector<SpecField> dataFields() {
    std::vector<SpecField> f;
    SpecField split{
        .name = "split", .label = "Split", .group = G::Data, .type = T::Text, .jsonSection = "", .json = {"split"}};
    split.help = "Which ratings train the model and which are held out to measure it: ua, ub, u1..u5 (the "
                 "data's own), random:F[:T] (a share F for validation, T for test), user-ratio:F (a share F of each "
                 "user's ratings), leave:K or temporal:K "
                 "(K per user, at random or the latest); the data's ua where it has one";
    split.metavar = "SPEC";
    split.get = [](const TrainSpec& s) { return FieldValue(s.split.toString()); };
    split.set = [](TrainSpec& s, const FieldValue& v) {
        const uint64_t seed = s.split.seed;
        s.split = SplitSpec::parse(std::get<std::string>(v));
        s.split.seed = seed;
    };
    f.push_back(split);
    f.push_back(bind({.name = "split-seed",
                      .label = "Split seed",
                      .group = G::Data,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"split_seed"},
                      .min = 0,
                      .max = kMaxSeed,
                      .help = "Seed of the random split: the same seed holds out the same ratings",
                      .grid = true,
                      .advanced = true},
                     &TrainSpec::split, &SplitSpec::seed));
    return f;
}

std::vector<SpecField> modelFields() {
    std::vector<SpecField> f;
    f.push_back(choice<ModelKind>(
        {.name = "model",
         .label = "Model",
         .group = G::Model,
         .type = T::Choice,
         .jsonSection = "model",
         .json = {"kind"},
         .help = "How a user's and a movie's vectors become a rating: dot (their dot product), dotbias (plus a "
                 "bias per user and per movie), linear (a layer over their product), mlp (hidden layers over "
                 "both), neumf (a dot-product tower and an MLP tower fused); rankers fitted at once: popularity (the "
                 "most-rated movies for everyone), random (the floor), ease (an item-item model: each movie scored "
                 "by the movies the user rated); rating predictors fitted at once: baseline (the mean plus a bias per "
                 "user and "
                 "per movie), knn (from the ratings of the most similar users or movies); svdpp (dotbias whose "
                 "user vector adds the factors of the movies the user rated, trained by plain SGD); autorec (an "
                 "autoencoder that reads each movie's ratings by every user and writes them back, filling the "
                 "gaps). Another model "
                 "starts from its own defaults",
         .grid = true},
        {ModelKind::Dot, ModelKind::DotBias, ModelKind::Linear, ModelKind::Mlp, ModelKind::NeuMF, ModelKind::Popularity,
         ModelKind::Random, ModelKind::Ease, ModelKind::Baseline, ModelKind::Knn, ModelKind::SvdPP, ModelKind::AutoRec},
        [](const TrainSpec& s) { return s.model.kind; }, [](TrainSpec& s, ModelKind k) { s.setModelKind(k); }));
    f.push_back(bind({.name = "factors",
                      .label = "Factors",
                      .group = G::Model,
                      .type = T::Integer,
                      .jsonSection = "model",
                      .json = {"factors"},
                      .min = 1,
                      .max = 4096,
                      .help = "The length of each user's and movie's embedding vector (autorec: the hidden units "
                              "a movie's ratings are squeezed through)",
                      .grid = true,
                      .applies = initialised},
                     &TrainSpec::model, &ModelSpec::factors));
    f.push_back(bind({.name = "ease-lambda",
                      .label = "EASE regularisation",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"ease_lambda"},
                      .min = 0,
                      .max = 1e9,
                      .help = "ease: the penalty on the item-item weights; larger keeps them closer to zero (leans "
                              "to popular movies), smaller fits the co-ratings more closely",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = [](const TrainSpec& s) { return s.model.kind == ModelKind::Ease; }},
                     &TrainSpec::model, &ModelSpec::easeLambda));
    f.push_back(bind({.name = "autorec-lambda",
                      .label = "AutoRec penalty",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"autorec_lambda"},
                      .min = 0,
                      .max = 1e9,
                      .help = "autorec: the L2 penalty on the encoder's and decoder's weights, against the sum of "
                              "squared errors over the training ratings; larger smooths the predictions, smaller "
                              "fits the ratings closely and overfits sooner",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = [](const TrainSpec& s) { return s.model.kind == ModelKind::AutoRec; }},
                     &TrainSpec::model, &ModelSpec::autorecLambda));
    SpecField hidden{.name = "hidden",
                     .label = "Hidden layers",
                     .group = G::Model,
                     .type = T::Integers,
                     .jsonSection = "model",
                     .json = {"hidden"},
                     .min = 1,
                     .max = 65536,
                     .help = "Sizes of the hidden layers, comma-separated, e.g. 500,500,500",
                     .applies = deep};
    hidden.get = [](const TrainSpec& s) { return toValue(s.model.hidden); };
    hidden.set = [](TrainSpec& s, const FieldValue& v) { // the dropouts follow the layer count
        s.model.hidden = fromValue<std::vector<int>>(v);
        const double last = s.model.dropouts.empty() ? 0.0 : s.model.dropouts.back();
        s.model.dropouts.resize(s.model.hidden.size(), last);
    };
    f.push_back(hidden);
    f.push_back(bind({.name = "dropout",
                      .label = "Dropouts",
                      .group = G::Model,
                      .type = T::Reals,
                      .jsonSection = "model",
                      .json = {"dropouts"},
                      .min = 0,
                      .max = 1,
                      .maxOpen = true,
                      .help = "Dropout after each hidden layer, one per layer: the share of units switched off in "
                              "training",
                      .applies = deep},
                     &TrainSpec::model, &ModelSpec::dropouts));
    f.push_back(bind({.name = "embedding-dropout",
                      .label = "Embedding dropout",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"embedding_dropout"},
                      .min = 0,
                      .max = 1,
                      .maxOpen = true,
                      .help = "Dropout on the embeddings themselves, before the hidden layers",
                      .grid = true,
                      .applies = deep},
                     &TrainSpec::model, &ModelSpec::embeddingDropout));
    return f;
}

std::vector<SpecField> modelOutputFields() {
    std::vector<SpecField> f;
    SpecField yRange{.name = "y-range",
                     .label = "Output range",
                     .group = G::Model,
                     .type = T::OptionalPair,
                     .jsonSection = "model",
                     .json = {"use_y_range", "y_min", "y_max"},
                     .min = -1e6,
                     .max = 1e6,
                     .help = "Squash predictions with a sigmoid into MIN,MAX so they never leave the rating scale; "
                             "none predicts without bounds",
                     .applies = [](const TrainSpec& s) { return !s.model.clipsPredictions(); }};
    yRange.get = [](const TrainSpec& s) {
        return s.model.useYRange ? FieldValue(std::vector<double>{s.model.yMin, s.model.yMax})
                                 : FieldValue(std::vector<double>{});
    };
    yRange.set = [](TrainSpec& s, const FieldValue& v) {
        const auto& r = std::get<std::vector<double>>(v);
        s.model.useYRange = !r.empty();
        if (r.size() == 2) {
            s.model.yMin = r[0];
            s.model.yMax = r[1];
        }
    };
    f.push_back(yRange);
    f.push_back(bind({.name = "linear-relu",
                      .label = "ReLU after the layer",
                      .group = G::Model,
                      .type = T::Flag,
                      .jsonSection = "model",
                      .json = {"linear_relu"},
                      .help = "linear: a ReLU after the linear layer",
                      .advanced = true,
                      .applies = [](const TrainSpec& s) { return s.model.kind == ModelKind::Linear; }},
                     &TrainSpec::model, &ModelSpec::linearRelu));
    f.push_back(choice<InitKind>(
        {.name = "init",
         .label = "Initialisation",
         .group = G::Model,
         .type = T::Choice,
         .jsonSection = "model",
         .json = {"init"},
         .help = "How the embeddings start: small random values let training find structure (default: "
                 "LibTorch's own, N(0, 1) for embeddings, uniform within 1/sqrt(inputs) for autorec's layers)",
         .applies = initialised},
        {InitKind::TruncNormal, InitKind::Normal, InitKind::Uniform, InitKind::Default},
        [](const TrainSpec& s) { return s.model.init; }, [](TrainSpec& s, InitKind k) { s.model.init = k; }));
    f.push_back(bind({.name = "init-std",
                      .label = "Initial spread",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"init_std"},
                      .min = 0,
                      .max = 10,
                      .minOpen = true,
                      .maxOpen = true,
                      .logScale = true,
                      .help = "The standard deviation of normal and truncated-normal initial weights",
                      .grid = true,
                      .applies =
                          [](const TrainSpec& s) {
                              return initialised(s) &&
                                     (s.model.init == InitKind::Normal || s.model.init == InitKind::TruncNormal);
                          }},
                     &TrainSpec::model, &ModelSpec::initStd));
    const auto uniform = [](const TrainSpec& s) { return initialised(s) && s.model.init == InitKind::Uniform; };
    f.push_back(bind({.name = "init-low",
                      .label = "Uniform from",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"init_low"},
                      .min = -10,
                      .max = 10,
                      .help = "The low end of uniform initial weights",
                      .advanced = true,
                      .applies = uniform},
                     &TrainSpec::model, &ModelSpec::initLow));
    f.push_back(bind({.name = "init-high",
                      .label = "Uniform to",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"init_high"},
                      .min = -10,
                      .max = 10,
                      .help = "The high end of uniform initial weights",
                      .advanced = true,
                      .applies = uniform},
                     &TrainSpec::model, &ModelSpec::initHigh));
    return f;
}

} // namespace fieldrows

const std::vector<SpecField>& specFields() {
    using namespace fieldrows;
    static const std::vector<SpecField> fields = [] {
        std::vector<SpecField> all;
        // The loss first: it sets what it recommends before the settings given beside it.
        for (auto part : {lossFields(), dataFields(), modelFields(), classicFields(), modelOutputFields(),
                          optimiserFields(), scheduleFields(), oneCycleFields(), trainingFields()})
            for (auto& field : part) {
                if (!field.applies)
                    field.applies = always;
                // The models fitted at once take no optimiser steps: neither its settings nor a
                // schedule mean anything to them.
                if (field.group == G::Optimiser || field.group == G::Schedule)
                    field.applies = [inner = std::move(field.applies)](const TrainSpec& s) {
                        return !s.model.closedForm() && inner(s);
                    };
                all.push_back(std::move(field));
            }
        return all;
    }();
    return fields;
}

} // namespace factorscope
