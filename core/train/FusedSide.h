#pragma once
// core-internal: one side (users or items) of a factorisation model as the fused trainer keeps
// it. The weights stay in the model's tensors; beside them, packed so that updating a row walks
// few places in memory:
// - the row-wise optimiser state, one record per row: `blocks` blocks of `width` floats (the k
//   factor values, then the bias when the model has one), e.g. Adam's m then v;
// - the batch's gradients, one record per touched row in the order the batch touched them
//   (compact and walked in order by the update, instead of a full table to clear; a record is
//   written by its row's first rating of the batch and added to by the others).
#include <algorithm>
#include <cstdint>
#include <vector>

namespace fs::fused {

struct Side {
    float* w = nullptr;  // factors, rows x k (the model's tensor)
    float* bw = nullptr; // biases, rows (the model's tensor), or null
    int64_t rows = 0, k = 0, width = 0;
    int blocks = 0; // optimiser state blocks per row
    std::vector<float> state;
    std::vector<float> grad;
    std::vector<int32_t> touched;   // this batch's rows, in touch order
    std::vector<double> logDecayAt; // AdamW: the decay sum when the row was last updated
    std::vector<int64_t> updatedAt; // Adam/AdamW: the step of the row's last update

    Side(float* factors, float* bias, int64_t rowCount, int64_t factorCount)
        : w(factors), bw(bias), rows(rowCount), k(factorCount), width(factorCount + (bias ? 1 : 0)),
          marks(static_cast<std::size_t>(rowCount)) {}

    float* row(int64_t r) const { return w + r * k; }
    float* stateRow(int64_t r) { return state.data() + r * blocks * width; }
    float* gradOf(int64_t j) { return grad.data() + j * width; }

    // Before a batch of n ratings: room for every row it can touch, so touch never reallocates.
    void beginBatch(int64_t n) {
        const auto need = static_cast<std::size_t>(std::min(rows, n) * width);
        if (grad.size() < need)
            grad.resize(need);
    }
    // Marks row r touched in `step`; returns its gradient record. `fresh` says the row was first
    // touched now: the record holds the last batch's values, to be overwritten, not added to.
    float* touch(int32_t r, int64_t step, bool& fresh) {
        Mark& m = marks[static_cast<std::size_t>(r)];
        fresh = m.stamp != step;
        if (fresh) {
            m.stamp = step;
            m.slot = static_cast<int32_t>(touched.size());
            touched.push_back(r);
        }
        return gradOf(m.slot);
    }
    const void* markOf(int32_t r) const { return &marks[static_cast<std::size_t>(r)]; } // for prefetching

    // Optimiser state of `count` blocks per row, zeroed when the count changes.
    void allocState(int count) {
        if (blocks == count && state.size() == static_cast<std::size_t>(rows * count * width))
            return;
        blocks = count;
        state.assign(static_cast<std::size_t>(rows * count * width), 0.0f);
    }
    // Adam/AdamW's row stamps; with decay, AdamW's decay sums.
    void ensureRowState(bool decay) {
        const auto n = static_cast<std::size_t>(rows);
        if (updatedAt.size() != n)
            updatedAt.assign(n, -1);
        if (decay && logDecayAt.size() != n)
            logDecayAt.assign(n, 0.0);
    }
    // State block b of every row as one table: the factors (rows x k) or the biases (rows).
    std::vector<float> stateTable(int b, bool bias) const {
        std::vector<float> out;
        const int64_t cols = bias ? 1 : k, offset = b * width + (bias ? k : 0);
        out.reserve(static_cast<std::size_t>(rows * cols));
        for (int64_t r = 0; r < rows; ++r) {
            const float* src = state.data() + r * blocks * width + offset;
            out.insert(out.end(), src, src + cols);
        }
        return out;
    }
    void setStateTable(int b, bool bias, const std::vector<float>& values) {
        const int64_t cols = bias ? 1 : k, offset = b * width + (bias ? k : 0);
        for (int64_t r = 0; r < rows; ++r)
            std::copy_n(values.data() + r * cols, cols, state.data() + r * blocks * width + offset);
    }

private:
    struct Mark {
        int64_t stamp = -1; // the step in which the row was last touched
        int32_t slot = 0;   // its place in `touched` and `grad` in that step
    };
    std::vector<Mark> marks;
};

} // namespace fs::fused
