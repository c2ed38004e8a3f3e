#pragma once
// core-internal: one side (users or items) of a factorisation model as the fused trainer keeps
// it: its own copy of the weights beside the row-wise optimiser state, laid out so that updating
// a row walks few places in memory (the model's tensors are read at the start of a run and
// written back by catch-up, before anything reads them).
//
// A row's record is `1 + blocks` blocks of `width` floats (the factors rounded up to whole
// vectors): its weights, then e.g. Adam's m, then v. That is while the tables fit the caches
// (`packed`); larger ones keep the weights blocks in a table of their own and the state in
// another, so the gradient pass, which reads only weights, walks a third of the memory.
// With biases the weights block holds the row's bias and a constant 1 beside the factors,
// crosswise on the two sides,
//   user [p_0 .. p_k-1, b_u, 1, 0 ...]    item [q_0 .. q_k-1, 1, b_i, 0 ...]
// so one dot product over the block is p.q + b_u + b_i, one gradient record g * (other row)
// holds the factors' and the bias's gradients, and one vector loop updates them all. The
// constant's lane is updated like the others and set back to 1 afterwards (restoreOne); the
// padding stays 0 (zero weight, gradient and state: every optimiser leaves it there).
//
// The batch's gradients: one record of `width` floats per touched row, in the order the batch
// touched them (compact and walked in order by the update, instead of a full table to clear;
// a record is written by its row's first rating of the batch and added to by the others).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace factorscope::fused {

struct Side {
    float* modelW = nullptr; // the model's factors, rows x k
    float* modelB = nullptr; // the model's biases, rows, or null
    int64_t rows = 0, k = 0, width = 0;
    int64_t biasLane = -1, oneLane = -1; // with biases: where a row's bias and its constant 1 sit
    int blocks = 0;                      // optimiser state blocks per row
    bool packed = true;                  // weights and state in one record per row
    std::vector<float> grad;
    std::vector<int32_t> touched;   // this batch's rows, in touch order: the first touchedCount()
    std::vector<double> logDecayAt; // AdamW: the decay sum when the row was last updated
    std::vector<int64_t> updatedAt; // Adam/AdamW: the step of the row's last update

    // side 0 is the users', 1 the items' (their bias and constant lanes are crosswise).
    Side(float* factors, float* bias, int64_t rowCount, int64_t factorCount, int side, bool packedRecords)
        : modelW(factors), modelB(bias), rows(rowCount), k(factorCount),
          width((factorCount + (bias ? 2 : 0) + 7) / 8 * 8), packed(packedRecords),
          marks(static_cast<std::size_t>(rowCount)) {
        if (bias) {
            biasLane = k + side;
            oneLane = k + 1 - side;
        }
        resize(0);
        pull();
    }

    int64_t stride() const { return packed ? (1 + blocks) * width : width; } // from one row's weights to the next's
    float* row(int64_t r) const { return m_base + r * stride(); }
    float* stateRow(int64_t r) const { return packed ? row(r) + width : m_base + (rows + r * blocks) * width; }
    float* gradOf(int64_t j) { return grad.data() + j * width; }
    void restoreOne(float* w) const {
        if (oneLane >= 0)
            w[oneLane] = 1.0f;
    }

    // The model's weights into the records, and back.
    void pull() {
        for (int64_t r = 0; r < rows; ++r) {
            float* w = row(r);
            std::copy_n(modelW + r * k, k, w);
            std::fill(w + k, w + width, 0.0f);
            if (modelB) {
                w[biasLane] = modelB[r];
                w[oneLane] = 1.0f;
            }
        }
    }
    void push() const {
        for (int64_t r = 0; r < rows; ++r) {
            const float* w = row(r);
            std::copy_n(w, k, modelW + r * k);
            if (modelB)
                modelB[r] = w[biasLane];
        }
    }

    // Before a batch of n ratings: room for every row it can touch, so touch never reallocates.
    void beginBatch(int64_t n) {
        const auto most = static_cast<std::size_t>(std::min(rows, n));
        if (grad.size() < most * static_cast<std::size_t>(width))
            grad.resize(most * static_cast<std::size_t>(width));
        if (touched.size() < most + 1)
            touched.resize(most + 1); // touch writes one past the rows it has counted
        m_count = 0;
    }
    int64_t touchedCount() const { return m_count; }
    // Marks row r touched in `step`; returns its gradient record, and in `keep` all ones when
    // the record is the row's from earlier in this batch (to be added to) or zero when the row
    // was first touched now (the record holds the last batch's values, to be overwritten).
    // Without branches: whether a row is new to the batch goes either way unpredictably, and
    // a mispredicted branch here would throw away the loads of the ratings after it.
    float* touch(int32_t r, int64_t step, uint32_t& keep) {
        Mark& m = marks[static_cast<std::size_t>(r)];
        const bool fresh = m.stamp != step;
        const int32_t slot = fresh ? m_count : m.slot;
        touched[static_cast<std::size_t>(m_count)] = r;
        m_count += fresh;
        m.stamp = step;
        m.slot = slot;
        keep = fresh ? 0u : ~0u;
        return gradOf(slot);
    }
    const void* markOf(int32_t r) const { return &marks[static_cast<std::size_t>(r)]; } // for prefetching

    // Optimiser state of `count` blocks per row, zeroed when the count changes (the weights stay).
    void allocState(int count) {
        if (blocks != count)
            resize(count);
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
        out.reserve(static_cast<std::size_t>(rows * (bias ? 1 : k)));
        for (int64_t r = 0; r < rows; ++r) {
            const float* s = stateRow(r) + b * width;
            if (bias)
                out.push_back(s[biasLane]);
            else
                out.insert(out.end(), s, s + k);
        }
        return out;
    }
    void setStateTable(int b, bool bias, const std::vector<float>& values) {
        for (int64_t r = 0; r < rows; ++r) {
            float* s = stateRow(r) + b * width;
            if (bias)
                s[biasLane] = values[static_cast<std::size_t>(r)];
            else
                std::copy_n(values.data() + r * k, k, s);
        }
    }

private:
    struct Mark {
        int64_t stamp = -1; // the step in which the row was last touched
        int32_t slot = 0;   // its place in `touched` and `grad` in that step
    };
    std::vector<Mark> marks;
    int32_t m_count = 0;                // rows touched so far in this batch
    std::unique_ptr<float[]> m_storage; // the records, from m_base (aligned to 64 bytes)
    float* m_base = nullptr;

    // The records with `count` state blocks: the weights kept, the state zeroed.
    void resize(int count) {
        const auto floats = static_cast<std::size_t>(rows * (1 + count) * width + 16);
        auto storage = std::make_unique<float[]>(floats); // zeroed
        float* base = storage.get();
        base += (16 - (reinterpret_cast<std::uintptr_t>(base) / sizeof(float)) % 16) % 16;
        const int64_t to = packed ? (1 + count) * width : width;
        if (m_base)
            for (int64_t r = 0; r < rows; ++r)
                std::copy_n(row(r), width, base + r * to);
        blocks = count;
        m_base = base;
        m_storage = std::move(storage);
    }
};

} // namespace factorscope::fused
