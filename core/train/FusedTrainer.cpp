#include "core/train/FusedTrainer.h"

#include "core/common/Error.h"
#include "core/data/Dataset.h"
#include "core/model/ModelImpl.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <thread>

#include <omp.h>

namespace fs {

bool fusedPathApplies(const TrainSpec& spec) {
    return (spec.model.kind == ModelKind::Dot || spec.model.kind == ModelKind::DotBias) && spec.device == "cpu";
}

// One side of the model (users or items): its factor table and, with biases, its bias column,
// each with gradient and optimiser state, and the row bookkeeping the two share (a bias row is
// touched exactly when its factor row is).
struct FusedTrainer::Side {
    struct Block {
        float* w = nullptr;
        int64_t cols = 0; // 0: the model has no such block
        std::vector<float> grad, s1, s2;
        float* row(int64_t r) { return w + r * cols; }
        float* gradRow(int64_t r) { return grad.data() + r * cols; }
        float* s1Row(int64_t r) { return s1.data() + r * cols; }
        float* s2Row(int64_t r) { return s2.data() + r * cols; }
    };
    Block factors, bias;
    int64_t rows = 0;
    std::vector<double> logDecayAt; // AdamW: the decay sum when the row was last updated
    std::vector<int64_t> updatedAt; // Adam/AdamW: the step of the row's last update
    std::vector<int64_t> stamp;     // the step in which the row was last marked touched
    std::vector<int32_t> touched;
    Block* blockList[2] = {&factors, &bias};

    Side(torch::Tensor& f, torch::Tensor* b, int64_t r, int64_t k) : rows(r) {
        factors.w = f.data_ptr<float>();
        factors.cols = k;
        if (b) {
            bias.w = b->data_ptr<float>();
            bias.cols = 1;
        }
        for (Block* blk : blocks())
            blk->grad.assign(static_cast<std::size_t>(r * blk->cols), 0.0f);
        stamp.assign(static_cast<std::size_t>(r), -1);
    }
    Side(const Side&) = delete;
    Side& operator=(const Side&) = delete;
    std::span<Block* const> blocks() const { return {blockList, bias.cols ? 2u : 1u}; }
    void touch(int32_t r, int64_t step) {
        if (stamp[r] != step) {
            stamp[r] = step;
            touched.push_back(r);
        }
    }
    void ensureState(bool two, bool decay) {
        for (Block* blk : blocks()) {
            const auto n = static_cast<std::size_t>(rows * blk->cols);
            if (blk->s1.size() != n)
                blk->s1.assign(n, 0.0f);
            if (two && blk->s2.size() != n)
                blk->s2.assign(n, 0.0f);
        }
        if (decay && logDecayAt.size() != static_cast<std::size_t>(rows))
            logDecayAt.assign(static_cast<std::size_t>(rows), 0.0);
        if (two && updatedAt.size() != static_cast<std::size_t>(rows))
            updatedAt.assign(static_cast<std::size_t>(rows), -1);
    }
};

FusedTrainer::FusedTrainer(Model& model, const TrainSpec& spec) {
    auto& net = dynamic_cast<DotModelImpl&>(*model.impl().net);
    const int64_t k = spec.model.factors;
    for (auto* t : {&net.user->weight, &net.item->weight})
        if (!t->is_contiguous() || t->scalar_type() != torch::kFloat || !t->device().is_cpu())
            throw std::logic_error("fused path: embeddings must be contiguous float tensors on the CPU");
    const bool biased = static_cast<bool>(net.userBias);
    m_sides[0] = std::make_unique<Side>(net.user->weight, biased ? &net.userBias->weight : nullptr, model.users(), k);
    m_sides[1] = std::make_unique<Side>(net.item->weight, biased ? &net.itemBias->weight : nullptr, model.items(), k);
    setSpec(spec);
    m_tableBytes = static_cast<int64_t>(model.users() + model.items()) * (k + 1) * 4 * 4; // weights, grads, 2 states
}

FusedTrainer::~FusedTrainer() = default;

namespace {

template <class T> torch::Tensor toTensor(const std::vector<T>& v, torch::ScalarType type) {
    return torch::from_blob(const_cast<T*>(v.data()), {static_cast<int64_t>(v.size())}, type).clone();
}

template <class T> void fromTensor(const torch::Tensor& t, std::vector<T>& out, std::size_t expected,
                                   torch::ScalarType type, const std::string& name) {
    if (t.scalar_type() != type || t.dim() != 1 || static_cast<std::size_t>(t.numel()) != expected)
        throw CheckpointError("the optimiser state \"" + name + "\" does not fit the model (" +
                              std::to_string(t.numel()) + " values, " + std::to_string(expected) + " expected)");
    const auto c = t.contiguous();
    out.assign(c.data_ptr<T>(), c.data_ptr<T>() + expected);
}

const char* const kTableState[] = {"s1", "s2", "log_decay_at", "updated_at"};

constexpr int64_t kAhead = 6; // ratings (or rows) to prefetch ahead in the random walks

inline void prefetchRow(const float* p, int64_t cols) {
    for (int64_t f = 0; f < cols; f += 16) // one 64-byte line per 16 floats
        __builtin_prefetch(p + f);
    __builtin_prefetch(p + cols - 1);
}

} // namespace

std::vector<std::string> FusedTrainer::stateNames() {
    std::vector<std::string> names = {"fused.step", "fused.log_decay"};
    for (int t = 0; t < 4; ++t)
        for (const char* part : kTableState)
            names.push_back("fused.t" + std::to_string(t) + "." + part);
    return names;
}

// Tables t0..t3 are the user and item factors, then the user and item biases; the row state a
// side's blocks share (decay sum, step of the last update) is written with its factor table.
FusedTrainer::NamedTensors FusedTrainer::state() const {
    NamedTensors out = {{"fused.step", torch::tensor(m_step, torch::kLong)},
                        {"fused.log_decay", torch::tensor(m_logDecay, torch::kDouble)}};
    for (int t = 0; t < 4; ++t) {
        const Side& side = *m_sides[t % 2];
        const Side::Block& blk = t < 2 ? side.factors : side.bias;
        if (blk.cols == 0)
            continue;
        const std::string prefix = "fused.t" + std::to_string(t) + ".";
        if (!blk.s1.empty())
            out.emplace_back(prefix + "s1", toTensor(blk.s1, torch::kFloat));
        if (!blk.s2.empty())
            out.emplace_back(prefix + "s2", toTensor(blk.s2, torch::kFloat));
        if (t >= 2)
            continue;
        if (!side.logDecayAt.empty())
            out.emplace_back(prefix + "log_decay_at", toTensor(side.logDecayAt, torch::kDouble));
        if (!side.updatedAt.empty())
            out.emplace_back(prefix + "updated_at", toTensor(side.updatedAt, torch::kLong));
    }
    return out;
}

void FusedTrainer::setState(const NamedTensors& state) {
    for (const auto& [name, value] : state) {
        if (name == "fused.step") {
            m_step = value.item<int64_t>();
            continue;
        }
        if (name == "fused.log_decay") {
            m_logDecay = value.item<double>();
            continue;
        }
        const int t = name.size() > 9 && name.compare(0, 7, "fused.t") == 0 ? name[7] - '0' : -1;
        Side* side = t >= 0 && t < 4 ? m_sides[t % 2].get() : nullptr;
        Side::Block* blk = side ? (t < 2 ? &side->factors : &side->bias) : nullptr;
        if (!blk || blk->cols == 0)
            throw CheckpointError("the optimiser state \"" + name + "\" does not fit the model");
        const std::string part = name.substr(9);
        const auto cells = static_cast<std::size_t>(side->rows * blk->cols), rows = static_cast<std::size_t>(side->rows);
        if (part == "s1") {
            fromTensor(value, blk->s1, cells, torch::kFloat, name);
        } else if (part == "s2") {
            fromTensor(value, blk->s2, cells, torch::kFloat, name);
        } else if (part == "log_decay_at") {
            std::vector<double> bias; // older checkpoints kept a copy per bias table: checked, not needed
            fromTensor(value, t < 2 ? side->logDecayAt : bias, rows, torch::kDouble, name);
        } else if (part == "updated_at") {
            std::vector<int64_t> bias;
            fromTensor(value, t < 2 ? side->updatedAt : bias, rows, torch::kLong, name);
        } else {
            throw CheckpointError("the optimiser state \"" + name + "\" is not one Factorscope writes");
        }
    }
    m_ringFrom = m_step + 1; // the rates of the steps before the restore are not known
}

void FusedTrainer::setSpec(const TrainSpec& spec) {
    m_spec = spec;
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    m_threads = std::min(2, spec.threads > 0 ? spec.threads : hw);
    m_forceThreads = spec.threads >= 2;
    m_ringFrom = m_step + 1; // the optimiser may have changed: decay products start afresh
}

double FusedTrainer::step(const Dataset& data, const int64_t* rows, int64_t n, double lr, double momentum) {
    torch::NoGradGuard noGrad;
    const ModelSpec& ms = m_spec.model;
    const int64_t k = ms.factors;
    Side& U = *m_sides[0];
    Side& V = *m_sides[1];
    const bool biased = U.bias.cols > 0;
    const bool yRange = ms.useYRange;
    const float lo = static_cast<float>(ms.yMin), span = static_cast<float>(ms.yMax - ms.yMin);
    const float scale = 2.0f / static_cast<float>(n); // MSE averaged over the batch
    const int32_t* users = data.ratings.user.data();
    const int32_t* items = data.ratings.item.data();
    const float* targets = data.ratings.rating.data();
    m_g.resize(static_cast<std::size_t>(n));
    ++m_step;
    prepareStep(lr, momentum);
    double sse = 0;
    // d loss / d raw score of one rating; adds its squared error.
    auto lossGradient = [&](int64_t r, double& sumSq) {
        const int32_t u = users[r], i = items[r];
        const float* pu = U.factors.row(u);
        const float* qi = V.factors.row(i);
        float raw = 0;
#pragma omp simd reduction(+ : raw)
        for (int64_t f = 0; f < k; ++f)
            raw += pu[f] * qi[f];
        if (biased)
            raw += U.bias.w[u] + V.bias.w[i];
        float pred = raw, dpred = 1;
        if (yRange) {
            const float sg = 1.0f / (1.0f + std::exp(-raw));
            pred = lo + span * sg;
            dpred = span * sg * (1 - sg);
        }
        const float err = pred - targets[r];
        sumSq += static_cast<double>(err) * err;
        return scale * err * dpred;
    };
    // Splitting by side makes each touched row move between the cores' caches every batch.
    // That costs more than it saves while the tables fit in cache (MovieLens 100K: 1 thread
    // ran 7.8 M ratings/s, 2 threads 4.4 M/s at batch 1024); once they do not (millions of
    // ratings), memory latency dominates and the second core pays (5 M ratings: +22 %).
    const bool parallel = m_threads > 1 && n >= 256 && (m_forceThreads || m_tableBytes > (4 << 20));

    if (!parallel) {
        // One pass: prediction, loss gradient and both sides' gradients per rating, reading
        // each pair of rows once. The weights change only in the update after the loop.
        for (int64_t b = 0; b < n; ++b) {
            // The rows are random: ask for the ratings a few ahead, and their rows a few less.
            if (b + 2 * kAhead < n) {
                const int64_t far = rows[b + 2 * kAhead];
                __builtin_prefetch(users + far);
                __builtin_prefetch(items + far);
                __builtin_prefetch(targets + far);
            }
            if (b + kAhead < n) {
                const int64_t near = rows[b + kAhead];
                prefetchRow(U.factors.row(users[near]), k);
                prefetchRow(V.factors.row(items[near]), k);
                prefetchRow(U.factors.gradRow(users[near]), k);
                prefetchRow(V.factors.gradRow(items[near]), k);
            }
            const int64_t r = rows[b];
            const int32_t u = users[r], i = items[r];
            const float* pu = U.factors.row(u);
            const float* qi = V.factors.row(i);
            const float g = lossGradient(r, sse);
            U.touch(u, m_step);
            V.touch(i, m_step);
            float* gu = U.factors.gradRow(u);
            float* gi = V.factors.gradRow(i);
#pragma omp simd
            for (int64_t f = 0; f < k; ++f) {
                gu[f] += g * qi[f];
                gi[f] += g * pu[f];
            }
            if (biased) {
                U.bias.grad[u] += g;
                V.bias.grad[i] += g;
            }
        }
        updateSide(U, lr, momentum);
        updateSide(V, lr, momentum);
    } else {
#pragma omp parallel num_threads(2) reduction(+ : sse)
    {
        // Phase 1: predictions and d loss / d raw, each thread on half of the batch.
#pragma omp for schedule(static)
        for (int64_t b = 0; b < n; ++b) {
            m_g[b] = lossGradient(rows[b], sse);
        }
        // Phase 2: each side accumulates its own gradients (reading both tables, writing one),
        // then phase 3 updates its own rows. The implicit barrier of the loop above keeps the
        // reads of phase 2 before any write of phase 3 on the other side.
        const int tid = omp_get_thread_num();
        Side& own = tid == 0 ? U : V;
        Side& other = tid == 0 ? V : U;
        const int32_t* ownIdx = tid == 0 ? users : items;
        const int32_t* otherIdx = tid == 0 ? items : users;
        for (int64_t b = 0; b < n; ++b) {
            const int64_t r = rows[b];
            const int32_t o = ownIdx[r];
            own.touch(o, m_step);
            float* g = own.factors.gradRow(o);
            const float* x = other.factors.row(otherIdx[r]);
            const float gb = m_g[b];
#pragma omp simd
            for (int64_t f = 0; f < k; ++f)
                g[f] += gb * x[f];
            if (biased)
                own.bias.grad[o] += gb;
        }
#pragma omp barrier
        updateSide(own, lr, momentum);
    }
    }
    if (m_spec.optimizer.kind == OptimizerKind::AdamW)
        m_logDecay += std::log1p(-lr * m_spec.optimizer.weightDecay);
    return sse / static_cast<double>(n);
}

void FusedTrainer::prepareStep(double lr, double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    if (o.kind != OptimizerKind::Adam && o.kind != OptimizerKind::AdamW)
        return;
    const double beta1 = std::isfinite(momentumD) ? momentumD : o.beta1;
    const double ratio = beta1 / std::sqrt(o.beta2);
    // AdamW's decay factor of this step, kept with those of the steps before it.
    constexpr int64_t ringSize = kCoastTable + 1;
    m_decayRing.resize(ringSize, 1.0);
    const double decayNow = o.kind == OptimizerKind::AdamW ? 1.0 - lr * o.weightDecay : 1.0;
    m_decayRing[static_cast<std::size_t>(m_step % ringSize)] = decayNow;
    // A table for 0..kCoastTable skipped steps, by running products: no pow or exp per row.
    // Its decay products reach back only as far as the ring does (to m_ringFrom).
    m_coast.resize(kCoastTable + 1);
    double r = 1, b1 = 1, b2 = 1, series = 0, keep = decayNow;
    m_coast[0] = {0.0f, 1.0f, 1.0f, static_cast<float>(keep)};
    for (int k = 1; k <= kCoastTable; ++k) {
        r *= ratio;
        b1 *= beta1;
        b2 *= o.beta2;
        series += r;
        if (m_step - k >= m_ringFrom)
            keep *= m_decayRing[static_cast<std::size_t>((m_step - k) % ringSize)];
        else
            keep = std::nan(""); // not known from the ring: the row's own decay sum says
        m_coast[static_cast<std::size_t>(k)] = {static_cast<float>(series), static_cast<float>(b1),
                                                static_cast<float>(b2), static_cast<float>(keep)};
    }
}

FusedTrainer::Coast FusedTrainer::coastFor(int64_t skipped) const {
    if (skipped <= kCoastTable)
        return m_coast[static_cast<std::size_t>(skipped)];
    // The momentum is gone (b1^k underflows) and the series has converged; only v still decays.
    return {m_coast.back().series, 0.0f, std::pow(static_cast<float>(m_spec.optimizer.beta2), static_cast<float>(skipped)),
            std::nanf("")};
}

namespace {

// One Adam/AdamW row update; with Coasting, first the momentum's moves over the skipped steps.
// m/c1 / (sqrt(v)/c2 + eps) = (c2/c1) m / (sqrt(v) + eps c2): one division, not three.
struct AdamRates {
    float b1, b2, stepSize, epsHat, l2;
};
template <bool Coasting>
inline void adamRow(float* w, float* g, float* m, float* v, int64_t c, const AdamRates& a, float keep, float coast,
                    float mb1, float vb2) {
#pragma omp simd
    for (int64_t f = 0; f < c; ++f) {
        const float gf = g[f] + a.l2 * w[f];
        float wc = w[f] * keep;
        if constexpr (Coasting)
            wc -= coast * m[f] / (std::sqrt(v[f]) + a.epsHat);
        m[f] = mb1 * m[f] + (1 - a.b1) * gf;
        v[f] = vb2 * v[f] + (1 - a.b2) * gf * gf;
        w[f] = wc - a.stepSize * m[f] / (std::sqrt(v[f]) + a.epsHat);
        g[f] = 0;
    }
}

} // namespace

void FusedTrainer::updateAdam(Side& side, double lrD, double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    const bool decoupled = o.kind == OptimizerKind::AdamW;
    side.ensureState(true, decoupled);
    const double t = static_cast<double>(m_step);
    AdamRates a;
    a.b1 = static_cast<float>(std::isfinite(momentumD) ? momentumD : o.beta1);
    a.b2 = static_cast<float>(o.beta2);
    const double c1 = 1.0 - std::pow(static_cast<double>(a.b1), t);
    const double c2 = std::sqrt(1.0 - std::pow(o.beta2, t));
    a.stepSize = static_cast<float>(lrD * c2 / c1);
    a.epsHat = static_cast<float>(o.eps * c2);
    a.l2 = decoupled ? 0.0f : static_cast<float>(o.weightDecay);
    const double logNow = m_logDecay + std::log1p(-lrD * o.weightDecay);
    const auto blocks = side.blocks();
    const auto touched = static_cast<int64_t>(side.touched.size());
    for (int64_t j = 0; j < touched; ++j) {
        const int32_t r = side.touched[static_cast<std::size_t>(j)];
        if (j + kAhead < touched) {
            const int32_t next = side.touched[static_cast<std::size_t>(j + kAhead)];
            for (Side::Block* blk : blocks) {
                prefetchRow(blk->row(next), blk->cols);
                prefetchRow(blk->gradRow(next), blk->cols);
                prefetchRow(blk->s1Row(next), blk->cols);
                prefetchRow(blk->s2Row(next), blk->cols);
            }
        }
        // The steps this row sat out (since step 0 for a row never updated): dense Adam would
        // have kept moving it with its momentum (m and v decaying geometrically with zero
        // gradient), and AdamW would have decayed it. Both are applied now, in the same pass.
        const int64_t skipped = m_step - std::max<int64_t>(side.updatedAt[r], 0) - 1;
        side.updatedAt[r] = m_step;
        Coast k = coastFor(skipped);
        if (!decoupled) {
            k.keep = 1.0f;
        } else {
            if (std::isnan(k.keep)) // beyond the table, or before a restore
                k.keep = std::exp(static_cast<float>(logNow - side.logDecayAt[r]));
            side.logDecayAt[r] = logNow;
        }
        for (Side::Block* blk : blocks) {
            const int64_t c = blk->cols;
            float* w = blk->row(r);
            float* g = blk->gradRow(r);
            float* m = blk->s1Row(r);
            float* v = blk->s2Row(r);
            if (skipped > 0)
                adamRow<true>(w, g, m, v, c, a, k.keep, a.stepSize * k.series, k.m * a.b1, k.v * a.b2);
            else
                adamRow<false>(w, g, m, v, c, a, k.keep, 0.0f, a.b1, a.b2);
        }
    }
}

void FusedTrainer::updateSide(Side& side, double lrD, double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    const float lr = static_cast<float>(lrD);
    const float wd = static_cast<float>(o.weightDecay);
    const float eps = static_cast<float>(o.eps);
    const bool scheduledMomentum = std::isfinite(momentumD);
    const auto blocks = side.blocks();
    switch (o.kind) {
    case OptimizerKind::Sgd: {
        const float mu = static_cast<float>(scheduledMomentum && o.momentum > 0 ? momentumD : o.momentum);
        if (mu > 0)
            side.ensureState(false, false);
        for (int32_t r : side.touched)
            for (Side::Block* blk : blocks) {
                const int64_t c = blk->cols;
                float* w = blk->row(r);
                float* g = blk->gradRow(r);
                float* m = mu > 0 ? blk->s1Row(r) : nullptr;
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    float gf = g[f] + wd * w[f];
                    if (m) {
                        m[f] = mu * m[f] + gf;
                        gf = o.nesterov ? gf + mu * m[f] : m[f];
                    }
                    w[f] -= lr * gf;
                    g[f] = 0;
                }
            }
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        updateAdam(side, lrD, momentumD);
        break;
    case OptimizerKind::Adagrad: {
        side.ensureState(false, false);
        for (int32_t r : side.touched)
            for (Side::Block* blk : blocks) {
                const int64_t c = blk->cols;
                float* w = blk->row(r);
                float* g = blk->gradRow(r);
                float* s = blk->s1Row(r);
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    const float gf = g[f] + wd * w[f];
                    s[f] += gf * gf;
                    w[f] -= lr * gf / (std::sqrt(s[f]) + eps);
                    g[f] = 0;
                }
            }
        break;
    }
    case OptimizerKind::RmsProp: {
        const float mu = static_cast<float>(o.momentum);
        side.ensureState(mu > 0, false);
        const float alpha = 0.99f; // LibTorch's default smoothing constant
        for (int32_t r : side.touched)
            for (Side::Block* blk : blocks) {
                const int64_t c = blk->cols;
                float* w = blk->row(r);
                float* g = blk->gradRow(r);
                float* s = blk->s1Row(r);
                float* b = mu > 0 ? blk->s2Row(r) : nullptr;
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    const float gf = g[f] + wd * w[f];
                    s[f] = alpha * s[f] + (1 - alpha) * gf * gf;
                    const float step = gf / (std::sqrt(s[f]) + eps);
                    if (b) {
                        b[f] = mu * b[f] + step;
                        w[f] -= lr * b[f];
                    } else {
                        w[f] -= lr * step;
                    }
                    g[f] = 0;
                }
            }
        break;
    }
    }
    side.touched.clear();
}

} // namespace fs
