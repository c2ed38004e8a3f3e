#include "core/model/ModelSpec.h"

#include "core/common/EnumNames.h"
#include "core/common/Error.h"

#include <cmath>

namespace factorscope {

namespace {
constexpr EnumName<ModelKind> kKinds[] = {
    {ModelKind::Dot, "dot"},       {ModelKind::DotBias, "dotbias"}, {ModelKind::Linear, "linear"},
    {ModelKind::Mlp, "mlp"},       {ModelKind::NeuMF, "neumf"},     {ModelKind::Popularity, "popularity"},
    {ModelKind::Random, "random"}, {ModelKind::Ease, "ease"},       {ModelKind::Baseline, "baseline"},
    {ModelKind::Knn, "knn"},       {ModelKind::SvdPP, "svdpp"},     {ModelKind::AutoRec, "autorec"}};
constexpr EnumName<Similarity> kSimilarities[] = {{Similarity::Msd, "msd"},
                                                  {Similarity::Cosine, "cosine"},
                                                  {Similarity::Pearson, "pearson"},
                                                  {Similarity::PearsonBaseline, "pearson-baseline"}};
constexpr EnumName<KnnCentre> kCentres[] = {{KnnCentre::None, "none"},
                                            {KnnCentre::Mean, "mean"},
                                            {KnnCentre::ZScore, "zscore"},
                                            {KnnCentre::Baseline, "baseline"}};
constexpr EnumName<KnnOn> kOns[] = {{KnnOn::Users, "users"}, {KnnOn::Items, "items"}};
constexpr EnumName<InitKind> kInits[] = {{InitKind::Default, "default"},
                                         {InitKind::Normal, "normal"},
                                         {InitKind::TruncNormal, "truncnormal"},
                                         {InitKind::Uniform, "uniform"}};
} // namespace

std::string toString(ModelKind kind) { return nameOf(kKinds, kind); }
std::optional<ModelKind> parseModelKind(const std::string& name) { return valueOf(kKinds, name); }
std::string toString(InitKind kind) { return nameOf(kInits, kind); }
std::optional<InitKind> parseInitKind(const std::string& name) { return valueOf(kInits, name); }
std::string toString(Similarity s) { return nameOf(kSimilarities, s); }
std::string toString(KnnCentre c) { return nameOf(kCentres, c); }
std::string toString(KnnOn o) { return nameOf(kOns, o); }

ModelSpec ModelSpec::defaultsFor(ModelKind kind) {
    ModelSpec s;
    s.kind = kind;
    switch (kind) {
    case ModelKind::Dot:
        s.useYRange = false;
        break;
    case ModelKind::DotBias:
        break;
    case ModelKind::Linear:
        s.useYRange = false;
        s.init = InitKind::Uniform;
        s.initLow = 0.0;
        s.initHigh = 0.5;
        break;
    case ModelKind::Mlp:
        s.factors = 50;
        s.hidden = {100, 50};
        s.dropouts = {0.25, 0.1};
        s.embeddingDropout = 0.02;
        s.init = InitKind::Normal;
        s.initStd = 0.05;
        break;
    case ModelKind::NeuMF:
        s.factors = 32;
        s.hidden = {64, 32};
        s.dropouts = {0.1, 0.1};
        s.embeddingDropout = 0.0;
        s.init = InitKind::Normal;
        s.initStd = 0.05;
        break;
    case ModelKind::Popularity:
    case ModelKind::Ease:
    case ModelKind::Baseline: // predictions are clipped to the training ratings' range instead
    case ModelKind::Knn:
        s.useYRange = false;
        break;
    case ModelKind::Random:
        s.useYRange = false;
        s.init = InitKind::Normal;
        s.initStd = 1;
        break;
    case ModelKind::SvdPP: // Surprise's SVDpp: 20 factors from N(0, 0.1) (its SGD: TrainSpec::setModelKind)
        s.useYRange = false;
        s.factors = 20;
        s.init = InitKind::Normal;
        s.initStd = 0.1;
        break;
    case ModelKind::AutoRec: // 500 hidden units as in the paper; LibTorch's Linear init (1/sqrt(fan-in))
        s.useYRange = false;
        s.factors = 500;
        s.init = InitKind::Default;
        break;
    }
    return s;
}

// What a model needs to be built at all (the user-facing ranges of each field are in the spec's
// field table, core/train/SpecFields, which TrainSpec::validate checks first).
void ModelSpec::validate() const {
    if (factors < 1)
        throw SpecError("factors", "must be at least 1, got " + std::to_string(factors));
    if (hasHiddenLayers()) {
        if (hidden.empty())
            throw SpecError("hidden", toString(kind) + " needs at least one hidden layer");
        for (int h : hidden)
            if (h < 1)
                throw SpecError("hidden", "each layer needs at least one unit, got " + std::to_string(h));
        if (dropouts.size() != hidden.size())
            throw SpecError("dropout", "give one dropout per hidden layer (" + std::to_string(hidden.size()) +
                                           " layers, " + std::to_string(dropouts.size()) + " dropouts)");
        for (double p : dropouts)
            if (!(p >= 0.0 && p < 1.0))
                throw SpecError("dropout", "each must be in [0, 1), got " + std::to_string(p));
        if (!(embeddingDropout >= 0.0 && embeddingDropout < 1.0))
            throw SpecError("embedding-dropout", "must be in [0, 1), got " + std::to_string(embeddingDropout));
    }
    if (kind == ModelKind::Ease && !(easeLambda >= 0 && std::isfinite(easeLambda)))
        throw SpecError("ease-lambda", "must be 0 or more");
    if (kind == ModelKind::Baseline || kind == ModelKind::Knn) {
        if (!(baselineRegUser >= 0 && baselineRegItem >= 0 && std::isfinite(baselineRegUser + baselineRegItem)))
            throw SpecError("baseline-reg", "must be 0 or more");
        if (baselineEpochs < 1)
            throw SpecError("baseline-epochs", "must be at least 1");
    }
    if (kind == ModelKind::Knn) {
        if (neighbours < 1)
            throw SpecError("neighbours", "must be at least 1, got " + std::to_string(neighbours));
        if (minSupport < 1)
            throw SpecError("min-support", "must be at least 1, got " + std::to_string(minSupport));
        if (!(shrinkage >= 0 && std::isfinite(shrinkage)))
            throw SpecError("shrinkage", "must be 0 or more");
    }
    if (kind == ModelKind::AutoRec && !(autorecLambda >= 0 && std::isfinite(autorecLambda)))
        throw SpecError("autorec-lambda", "must be 0 or more");
    if (useYRange && !(std::isfinite(yMin) && std::isfinite(yMax) && yMin < yMax))
        throw SpecError("y-range", "the minimum must be below the maximum");
    if ((init == InitKind::Normal || init == InitKind::TruncNormal) && !(initStd > 0))
        throw SpecError("init-std", "must be above 0, got " + std::to_string(initStd));
    if (init == InitKind::Uniform && !(initLow < initHigh))
        throw SpecError("init-high", "the uniform range's high end must be above its low end");
}

} // namespace factorscope
