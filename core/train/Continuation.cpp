#include "core/train/Continuation.h"

#include "core/common/Error.h"

#include <cstdio>

namespace factorscope {

namespace {
std::string text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
template <class T> std::string text(const std::vector<T>& v) {
    std::string out;
    for (const T& x : v) {
        if (!out.empty())
            out += ',';
        out += text(static_cast<double>(x));
    }
    return out.empty() ? "none" : out;
}
std::string change(const std::string& what, const std::string& from, const std::string& to) {
    return what + " " + from + " -> " + to;
}

// A spec's model with its weights' start forgotten.
TrainSpec keepingModel(TrainSpec spec, const ModelSpec& trained) {
    spec.model = trained;
    return spec;
}
} // namespace

std::string modelChange(const ModelSpec& trained, const ModelSpec& asked) {
    if (trained.kind != asked.kind)
        return change("the model type", toString(trained.kind), toString(asked.kind));
    if (trained.factors != asked.factors)
        return change("factors", std::to_string(trained.factors), std::to_string(asked.factors));
    if (trained.hasHiddenLayers()) {
        if (trained.hidden != asked.hidden)
            return change("hidden layers", text(trained.hidden), text(asked.hidden));
        if (trained.dropouts != asked.dropouts)
            return change("dropouts", text(trained.dropouts), text(asked.dropouts));
        if (trained.embeddingDropout != asked.embeddingDropout)
            return change("embedding dropout", text(trained.embeddingDropout), text(asked.embeddingDropout));
    }
    if (trained.kind == ModelKind::Linear && trained.linearRelu != asked.linearRelu)
        return change("ReLU after the linear layer", trained.linearRelu ? "on" : "off",
                      asked.linearRelu ? "on" : "off");
    if (trained.useYRange != asked.useYRange)
        return change("the sigmoid output range", trained.useYRange ? "on" : "off", asked.useYRange ? "on" : "off");
    if (trained.useYRange && (trained.yMin != asked.yMin || trained.yMax != asked.yMax))
        return change("the output range", text(trained.yMin) + "-" + text(trained.yMax),
                      text(asked.yMin) + "-" + text(asked.yMax));
    return {};
}

std::string dataChange(const IdMap& trainedUsers, const IdMap& trainedItems, const Dataset& data) {
    if (trainedUsers == data.users && trainedItems == data.items)
        return {};
    return "the model was trained on " + std::to_string(trainedUsers.size()) + " users and " +
           std::to_string(trainedItems.size()) + " items, this data set has " + std::to_string(data.users.size()) +
           " and " + std::to_string(data.items.size()) +
           (trainedUsers.size() == data.users.size() && trainedItems.size() == data.items.size() ? " with other ids"
                                                                                                 : "");
}

std::unique_ptr<Trainer> continueTraining(const Trainer& previous, const TrainSpec& spec) {
    const ModelSpec& trained = previous.model().spec();
    if (const std::string why = modelChange(trained, spec.model); !why.empty())
        throw SpecError("model", "training cannot continue with another network (" + why + ")");
    auto next = std::make_unique<Trainer>(previous.model(), keepingModel(spec, trained));
    next->setHistory(previous.history());
    restoreOptimizerState(*next, previous.spec().optimizer.kind, kCheckpointFormat, packedOptimizerState(previous));
    return next;
}

std::unique_ptr<Trainer> continueCheckpoint(Model& model, const LoadedCheckpoint& checkpoint, const TrainSpec& spec,
                                            const Dataset& data) {
    if (const std::string why = dataChange(checkpoint.info.users, checkpoint.info.items, data); !why.empty())
        throw DataError("not the data set the checkpoint was trained on: " + why);
    const ModelSpec& trained = checkpoint.info.spec.model;
    if (const std::string why = modelChange(trained, spec.model); !why.empty())
        throw SpecError("model", "a checkpoint continues with the network it was trained with (" + why + ")");
    auto next = std::make_unique<Trainer>(model, keepingModel(spec, trained));
    next->setHistory(checkpoint.info.history);
    restoreOptimizer(*next, checkpoint);
    return next;
}

} // namespace factorscope
