#include "core/model/ModelSpec.h"

#include "core/common/EnumNames.h"
#include "core/common/Error.h"

#include <cmath>

namespace factorscope {

namespace {
constexpr EnumName<ModelKind> kKinds[] = {{ModelKind::Dot, "dot"},       {ModelKind::DotBias, "dotbias"},
                                          {ModelKind::Linear, "linear"}, {ModelKind::Mlp, "mlp"},
                                          {ModelKind::NeuMF, "neumf"},   {ModelKind::Popularity, "popularity"},
                                          {ModelKind::Random, "random"}, {ModelKind::Ease, "ease"}};
constexpr EnumName<InitKind> kInits[] = {{InitKind::Default, "default"},
                                         {InitKind::Normal, "normal"},
                                         {InitKind::TruncNormal, "truncnormal"},
                                         {InitKind::Uniform, "uniform"}};
} // namespace

std::string toString(ModelKind kind) { return nameOf(kKinds, kind); }
std::optional<ModelKind> parseModelKind(const std::string& name) { return valueOf(kKinds, name); }
std::string toString(InitKind kind) { return nameOf(kInits, kind); }
std::optional<InitKind> parseInitKind(const std::string& name) { return valueOf(kInits, name); }

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
        s.useYRange = false;
        break;
    case ModelKind::Random:
        s.useYRange = false;
        s.init = InitKind::Normal;
        s.initStd = 1;
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
    if (useYRange && !(std::isfinite(yMin) && std::isfinite(yMax) && yMin < yMax))
        throw SpecError("y-range", "the minimum must be below the maximum");
    if ((init == InitKind::Normal || init == InitKind::TruncNormal) && !(initStd > 0))
        throw SpecError("init-std", "must be above 0, got " + std::to_string(initStd));
    if (init == InitKind::Uniform && !(initLow < initHigh))
        throw SpecError("init-high", "the uniform range's high end must be above its low end");
}

} // namespace factorscope
