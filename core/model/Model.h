#pragma once
// A recommender model, behind a torch-free facade so that the UI and the CLI can hold one
// without LibTorch headers.
#include "core/model/ModelSpec.h"
#include "core/model/Neighbourhood.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace factorscope {

// A dense row-major matrix handed across the core/ui boundary.
struct Matrix {
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> values;
    float at(int64_t r, int64_t c) const { return values[static_cast<std::size_t>(r * cols + c)]; }
};

class Model {
public:
    // The seed makes the initial weights reproducible. Throws SpecError.
    Model(const ModelSpec& spec, int32_t users, int32_t items, uint64_t seed = 42);
    ~Model();
    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;

    const ModelSpec& spec() const;
    int32_t users() const;
    int32_t items() const;
    int64_t parameterCount() const;

    // "cpu" or "cuda"; throws DeviceError when the device is not available.
    void to(const std::string& device);
    std::string device() const;

    // Predicted ratings for encoded (user, item) pairs, in evaluation mode, no gradients.
    std::vector<float> predict(const std::vector<int32_t>& users, const std::vector<int32_t>& items) const;
    // Predicted ratings of each of `users` for every item, row-major (users.size() x items()).
    std::vector<float> predictAll(const std::vector<int32_t>& users) const;
    // What ranking reads: each of `users`' scores for every item into `out` (users.size() x
    // items()), ordered as the predictions are. Dot and dotbias take one matrix product and
    // give raw scores (returns true: outputOf turns one into its prediction, the y-range being
    // monotone); the others give the predictions (returns false): svdpp by one product, baseline
    // by one sum, the rest by scoring every pair.
    bool rankScores(const std::vector<int32_t>& users, float* out) const;
    double outputOf(double raw) const;
    Matrix itemFactors() const;
    Matrix userFactors() const;
    // One row of those tables (without copying the whole table); throws SpecError out of range.
    std::vector<float> itemFactor(int32_t item) const;
    std::vector<float> userFactor(int32_t user) const;
    // Per-user and per-item biases (dotbias, baseline, knn's baseline, svdpp; autorec has the
    // decoder's per-user offsets only); empty for models without them.
    std::vector<float> userBiases() const;
    std::vector<float> itemBiases() const;

    // A deep copy of the weights, and its restore: the trainer keeps the best epoch's.
    struct Snapshot;
    std::shared_ptr<Snapshot> snapshot() const;
    void restore(const Snapshot& s);

    // The training ratings' mean that baseline, knn and svdpp add (autorec's offsets start from
    // it); NaN for the other models.
    double ratingMean() const;
    // knn: why it predicts `item` for `user`, by the neighbours that voted; throws SpecError for
    // other models or indices out of range.
    KnnExplanation explainByNeighbours(int32_t user, int32_t item) const;

    struct Impl; // core-internal: holds the torch module
    Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

// The devices this build of LibTorch can use: "cpu", and "cuda" when a GPU is visible.
std::vector<std::string> availableDevices();
// Throws DeviceError with what to do when `device` is not usable here.
void checkDevice(const std::string& device);

} // namespace factorscope
