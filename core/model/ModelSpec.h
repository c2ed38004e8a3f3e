#pragma once
// What model to build. A value type: the GUI's form edits one, the CLI parses one, and a
// checkpoint stores one.
#include <optional>
#include <string>
#include <vector>

namespace factorscope {

enum class ModelKind {
    Dot,     // user . item
    DotBias, // user . item + user bias + item bias, optional sigmoid y-range
    Linear,  // (user * item) -> Linear -> ReLU
    Mlp,     // concatenated embeddings -> hidden layers -> sigmoid range
    NeuMF,   // GMF and MLP towers fused (He et al. 2017)
    // Rankers fitted in closed form, not by gradient steps; judged by ranking alone:
    Popularity, // the number of training positives of the item, the same for every user
    Random,     // a random score per (user, item), from the seed: the floor any ranker must beat
    Ease,       // an item-item linear model (Steck 2019): B = the regularised inverse of the Gram matrix
    // Rating predictors fitted at once from the training ratings (Neighbourhood.h):
    Baseline, // global mean + user bias + item bias, by alternating least squares (Koren 2010)
    Knn,      // a neighbourhood model: the ratings of the most similar users (or items)
    // Trained by hand-written plain SGD, user by user (core/train/SvdppStep.cpp):
    SvdPP, // Koren 2008: dotbias whose user vector adds the mean of the factors of what the user rated
    // Trained movie by movie on the observed ratings (core/train/AutorecStep.cpp):
    AutoRec // Sedhain et al. 2015 (I-AutoRec): each movie's ratings encoded into sigmoid units, decoded per user
};

// knn: how the similarity of two users (or two items) is computed over what both rated.
enum class Similarity { Msd, Cosine, Pearson, PearsonBaseline };
// knn: what the neighbours' ratings are centred on before they are averaged.
enum class KnnCentre { None, Mean, ZScore, Baseline };
// knn: whether the neighbours are users (who rated the movie) or items (that the user rated).
enum class KnnOn { Users, Items };

enum class InitKind {
    Default,     // LibTorch's own: N(0, 1) for embeddings
    Normal,      // N(0, initStd)
    TruncNormal, // N(0, 1) folded into (-2, 2), times initStd (fastai's trunc_normal_)
    Uniform      // U(initLow, initHigh)
};

struct ModelSpec {
    ModelKind kind = ModelKind::DotBias;
    int factors = 64;                                // best of a cross-validated grid on MovieLens 100K (README)
    std::vector<int> hidden = {500, 500, 500};       // mlp / neumf
    std::vector<double> dropouts = {0.5, 0.5, 0.25}; // one per hidden layer
    double embeddingDropout = 0.05;                  // mlp / neumf
    bool useYRange = true;                           // sigmoid scaled into [yMin, yMax]
    double yMin = 0.5;
    double yMax = 5.5;
    bool linearRelu = true; // linear: ReLU after the Linear layer
    InitKind init = InitKind::TruncNormal;
    double initStd = 0.01;
    double initLow = 0.0;
    double initHigh = 0.05;
    double easeLambda = 500; // ease: the L2 penalty on the item-item weights
    // baseline, and knn's baseline: Surprise's BaselineOnly defaults (ALS, 10 sweeps).
    double baselineRegUser = 15;
    double baselineRegItem = 10;
    int baselineEpochs = 10;
    // knn: Surprise's defaults (user-based, msd, 40 neighbours, support 1), centred on the baseline.
    KnnOn knnOn = KnnOn::Users;
    Similarity similarity = Similarity::Msd;
    KnnCentre knnCentre = KnnCentre::Baseline;
    int neighbours = 40;
    int minSupport = 1;     // fewer common ratings than this: similarity 0
    double shrinkage = 100; // pearson-baseline: shrunk by (n - 1) / (n - 1 + shrinkage)
    // autorec: lambda of the objective sum (r - r^)^2 + lambda/2 (|W|^2 + |V|^2) over the observed
    // ratings, W and V the encoder's and decoder's weights (a u1..u5 grid's best: README).
    double autorecLambda = 200;

    // Throws SpecError naming the field.
    void validate() const;
    // Whether the prediction is a sum of parts (biases and per-factor products).
    bool decomposes() const { return kind == ModelKind::Dot || kind == ModelKind::DotBias; }
    bool hasHiddenLayers() const { return kind == ModelKind::Mlp || kind == ModelKind::NeuMF; }
    // Rankers fitted at once from the training positives, judged by ranking alone.
    bool ranksAlone() const {
        return kind == ModelKind::Popularity || kind == ModelKind::Random || kind == ModelKind::Ease;
    }
    // The rating predictors fitted at once from the training ratings: baseline, knn.
    bool classic() const { return kind == ModelKind::Baseline || kind == ModelKind::Knn; }
    // Fitted at once (no epochs, no optimiser): the rankers and the classic predictors.
    bool closedForm() const { return ranksAlone() || classic(); }
    // Whether its factor tables mean anything (a map, neighbours by vector).
    bool hasFactors() const { return !closedForm() || kind == ModelKind::Random || kind == ModelKind::Ease; }
    // Predictions clipped to the training ratings' range rather than squashed by a y-range.
    bool clipsPredictions() const { return classic() || kind == ModelKind::SvdPP || kind == ModelKind::AutoRec; }
    // Trained one step an epoch by a path of its own (svdpp user by user, autorec movie by
    // movie): no learning-rate range test by batches.
    bool stepsByEpoch() const { return kind == ModelKind::SvdPP || kind == ModelKind::AutoRec; }

    // Sensible settings for a kind.
    static ModelSpec defaultsFor(ModelKind kind);
};

std::string toString(ModelKind kind);
std::optional<ModelKind> parseModelKind(const std::string& name);
std::string toString(InitKind kind);
std::optional<InitKind> parseInitKind(const std::string& name);
std::string toString(Similarity s);
std::string toString(KnnCentre c);
std::string toString(KnnOn o);

} // namespace factorscope
