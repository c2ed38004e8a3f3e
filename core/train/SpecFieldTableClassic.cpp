// The field table's rows for the classic rating predictors: the baseline's regularisers and
// the neighbourhood model's settings (SpecFields.h; Neighbourhood.h has what they do).
#include "core/train/SpecFieldRows.h"

namespace factorscope::fieldrows {

namespace {
bool classic(const TrainSpec& s) { return s.model.classic(); }
bool knn(const TrainSpec& s) { return s.model.kind == ModelKind::Knn; }
} // namespace

namespace {

void addBaselineRows(std::vector<SpecField>& f) {
    f.push_back(bind({.name = "baseline-reg-user",
                      .label = "User bias penalty",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"baseline_reg_user"},
                      .min = 0,
                      .max = 1e6,
                      .help = "baseline and knn: each user's bias is their ratings' mean offset shrunk as if this "
                              "many ratings of offset 0 were added (larger: users with few ratings stay nearer 0)",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = classic},
                     &TrainSpec::model, &ModelSpec::baselineRegUser));
    f.push_back(bind({.name = "baseline-reg-item",
                      .label = "Movie bias penalty",
                      .group = G::Model,
                      .type = T::Real,
                      .jsonSection = "model",
                      .json = {"baseline_reg_item"},
                      .min = 0,
                      .max = 1e6,
                      .help = "baseline and knn: the same shrinkage for each movie's bias",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = classic},
                     &TrainSpec::model, &ModelSpec::baselineRegItem));
    f.push_back(bind({.name = "baseline-epochs",
                      .label = "Bias sweeps",
                      .group = G::Model,
                      .type = T::Integer,
                      .jsonSection = "model",
                      .json = {"baseline_epochs"},
                      .min = 1,
                      .max = 1000,
                      .help = "baseline and knn: how many times the movie biases and then the user biases are "
                              "solved given the others (alternating least squares)",
                      .advanced = true,
                      .optionalInJson = true,
                      .applies = classic},
                     &TrainSpec::model, &ModelSpec::baselineEpochs));
}

void addNeighbourRows(std::vector<SpecField>& f) {
    f.push_back(choice<KnnOn>(
        {.name = "knn-on",
         .label = "Neighbours are",
         .group = G::Model,
         .type = T::Choice,
         .jsonSection = "model",
         .json = {"knn_on"},
         .help = "knn: users (a rating from similar users' ratings of the movie) or items (from "
                 "the user's ratings of similar movies)",
         .grid = true,
         .optionalInJson = true,
         .applies = knn},
        {KnnOn::Users, KnnOn::Items}, [](const TrainSpec& s) { return s.model.knnOn; },
        [](TrainSpec& s, KnnOn o) { s.model.knnOn = o; }));
    f.push_back(choice<Similarity>(
        {.name = "similarity",
         .label = "Similarity",
         .group = G::Model,
         .type = T::Choice,
         .jsonSection = "model",
         .json = {"similarity"},
         .help = "knn: how alike two users (or movies) are, over the ratings they share: msd (1 / (1 + mean squared "
                 "difference)), cosine, pearson (the correlation), pearson-baseline (the correlation of what the "
                 "biases leave unexplained, shrunk when little is shared)",
         .grid = true,
         .optionalInJson = true,
         .applies = knn},
        {Similarity::Msd, Similarity::Cosine, Similarity::Pearson, Similarity::PearsonBaseline},
        [](const TrainSpec& s) { return s.model.similarity; },
        [](TrainSpec& s, Similarity v) { s.model.similarity = v; }));
    f.push_back(choice<KnnCentre>(
        {.name = "knn-centre",
         .label = "Centre ratings on",
         .group = G::Model,
         .type = T::Choice,
         .jsonSection = "model",
         .json = {"knn_centre"},
         .help = "knn: what the neighbours' ratings are taken relative to before they are averaged: none (the raw "
                 "ratings), mean (each one's mean), zscore (mean and spread), baseline (the mean and the biases)",
         .grid = true,
         .optionalInJson = true,
         .applies = knn},
        {KnnCentre::None, KnnCentre::Mean, KnnCentre::ZScore, KnnCentre::Baseline},
        [](const TrainSpec& s) { return s.model.knnCentre; },
        [](TrainSpec& s, KnnCentre c) { s.model.knnCentre = c; }));
    f.push_back(bind({.name = "neighbours",
                      .label = "Neighbours (K)",
                      .group = G::Model,
                      .type = T::Integer,
                      .jsonSection = "model",
                      .json = {"neighbours"},
                      .min = 1,
                      .max = 100000,
                      .help = "knn: at most this many of the most similar neighbours who rated the movie vote",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = knn},
                     &TrainSpec::model, &ModelSpec::neighbours));
    f.push_back(bind({.name = "min-support",
                      .label = "Shared ratings at least",
                      .group = G::Model,
                      .type = T::Integer,
                      .jsonSection = "model",
                      .json = {"min_support"},
                      .min = 1,
                      .max = 1000000,
                      .help = "knn: two users (or movies) with fewer ratings in common than this are not neighbours",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = knn},
                     &TrainSpec::model, &ModelSpec::minSupport));
    f.push_back(bind(
        {.name = "shrinkage",
         .label = "Similarity shrinkage",
         .group = G::Model,
         .type = T::Real,
         .jsonSection = "model",
         .json = {"shrinkage"},
         .min = 0,
         .max = 1e9,
         .help = "knn with pearson-baseline: a similarity over n shared ratings is scaled by "
                 "(n - 1) / (n - 1 + this), so that few shared ratings count for less",
         .grid = true,
         .optionalInJson = true,
         .applies = [](const TrainSpec& s) { return knn(s) && s.model.similarity == Similarity::PearsonBaseline; }},
        &TrainSpec::model, &ModelSpec::shrinkage));
}

} // namespace

std::vector<SpecField> classicFields() {
    std::vector<SpecField> f;
    addBaselineRows(f);
    addNeighbourRows(f);
    return f;
}

} // namespace factorscope::fieldrows
