#include "core/train/FusedTrainer.h"

#include "core/common/Error.h"
#include "core/data/Dataset.h"
#include "core/model/ModelImpl.h"

#include <cmath>
#include <thread>

#include <omp.h>

namespace fs {

bool fusedPathApplies(const TrainSpec& spec) {
    return (spec.model.kind == ModelKind::Dot || spec.model.kind == ModelKind::DotBias) && spec.device == "cpu";
}

// One parameter table (rows x cols) with its gradient and lazy optimiser state.
struct FusedTrainer::Table {
    float* w = nullptr;
    int64_t rows = 0, cols = 0;
    std::vector<float> grad, s1, s2;
    std::vector<double> logDecayAt; // AdamW: the decay sum when the row was last updated
    std::vector<int64_t> updatedAt; // Adam/AdamW: the step of the row's last update
    std::vector<int64_t> stamp;     // the step in which the row was last marked touched
    std::vector<int32_t> touched;

    Table(torch::Tensor& t, int64_t r, int64_t c) : w(t.data_ptr<float>()), rows(r), cols(c) {
        grad.assign(static_cast<std::size_t>(r * c), 0.0f);
        stamp.assign(static_cast<std::size_t>(r), -1);
    }
    float* row(int64_t r) { return w + r * cols; }
    float* gradRow(int64_t r) { return grad.data() + r * cols; }
    void touch(int32_t r, int64_t step) {
        if (stamp[r] != step) {
            stamp[r] = step;
            touched.push_back(r);
        }
    }
    void ensureState(bool two, bool decay) {
        const auto n = static_cast<std::size_t>(rows * cols);
        if (s1.size() != n)
            s1.assign(n, 0.0f);
        if (two && s2.size() != n)
            s2.assign(n, 0.0f);
        if (decay && logDecayAt.size() != static_cast<std::size_t>(rows))
            logDecayAt.assign(static_cast<std::size_t>(rows), 0.0);
        if (two && updatedAt.size() != static_cast<std::size_t>(rows))
            updatedAt.assign(static_cast<std::size_t>(rows), -1);
    }
};

FusedTrainer::FusedTrainer(Model& model, const TrainSpec& spec) : m_model(model) {
    auto& net = dynamic_cast<DotModelImpl&>(*model.impl().net);
    const int64_t k = spec.model.factors;
    for (auto* t : {&net.user->weight, &net.item->weight})
        if (!t->is_contiguous() || t->scalar_type() != torch::kFloat || !t->device().is_cpu())
            throw std::logic_error("fused path: embeddings must be contiguous float tensors on the CPU");
    m_tables[0] = std::make_unique<Table>(net.user->weight, model.users(), k);
    m_tables[1] = std::make_unique<Table>(net.item->weight, model.items(), k);
    if (net.userBias) {
        m_tables[2] = std::make_unique<Table>(net.userBias->weight, model.users(), 1);
        m_tables[3] = std::make_unique<Table>(net.itemBias->weight, model.items(), 1);
    }
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

} // namespace

std::vector<std::string> FusedTrainer::stateNames() {
    std::vector<std::string> names = {"fused.step", "fused.log_decay"};
    for (int t = 0; t < 4; ++t)
        for (const char* part : kTableState)
            names.push_back("fused.t" + std::to_string(t) + "." + part);
    return names;
}

FusedTrainer::NamedTensors FusedTrainer::state() const {
    NamedTensors out = {{"fused.step", torch::tensor(m_step, torch::kLong)},
                        {"fused.log_decay", torch::tensor(m_logDecay, torch::kDouble)}};
    for (int t = 0; t < 4; ++t) {
        const Table* tab = m_tables[t].get();
        if (!tab)
            continue;
        const std::string prefix = "fused.t" + std::to_string(t) + ".";
        if (!tab->s1.empty())
            out.emplace_back(prefix + "s1", toTensor(tab->s1, torch::kFloat));
        if (!tab->s2.empty())
            out.emplace_back(prefix + "s2", toTensor(tab->s2, torch::kFloat));
        if (!tab->logDecayAt.empty())
            out.emplace_back(prefix + "log_decay_at", toTensor(tab->logDecayAt, torch::kDouble));
        if (!tab->updatedAt.empty())
            out.emplace_back(prefix + "updated_at", toTensor(tab->updatedAt, torch::kLong));
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
        const int t = name.size() > 8 ? name[7] - '0' : -1;
        Table* tab = t >= 0 && t < 4 ? m_tables[t].get() : nullptr;
        if (!tab)
            throw CheckpointError("the optimiser state \"" + name + "\" does not fit the model");
        const std::string part = name.substr(9);
        const auto cells = static_cast<std::size_t>(tab->rows * tab->cols), rows = static_cast<std::size_t>(tab->rows);
        if (part == "s1")
            fromTensor(value, tab->s1, cells, torch::kFloat, name);
        else if (part == "s2")
            fromTensor(value, tab->s2, cells, torch::kFloat, name);
        else if (part == "log_decay_at")
            fromTensor(value, tab->logDecayAt, rows, torch::kDouble, name);
        else if (part == "updated_at")
            fromTensor(value, tab->updatedAt, rows, torch::kLong, name);
        else
            throw CheckpointError("the optimiser state \"" + name + "\" is not one Factorscope writes");
    }
}

void FusedTrainer::setSpec(const TrainSpec& spec) {
    m_spec = spec;
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    m_threads = std::min(2, spec.threads > 0 ? spec.threads : hw);
}

double FusedTrainer::step(const Dataset& data, const int64_t* rows, int64_t n, double lr, double momentum) {
    torch::NoGradGuard noGrad;
    const ModelSpec& ms = m_spec.model;
    const int64_t k = ms.factors;
    Table& U = *m_tables[0];
    Table& V = *m_tables[1];
    Table* BU = m_tables[2].get();
    Table* BI = m_tables[3].get();
    const bool yRange = ms.useYRange;
    const float lo = static_cast<float>(ms.yMin), span = static_cast<float>(ms.yMax - ms.yMin);
    const int32_t* users = data.ratings.user.data();
    const int32_t* items = data.ratings.item.data();
    const float* targets = data.ratings.rating.data();
    m_g.resize(static_cast<std::size_t>(n));
    ++m_step;
    prepareCoasting(momentum);
    double sse = 0;
    // d loss / d raw score of one rating (MSE averaged over the batch); adds its squared error.
    auto lossGradient = [&](int64_t r, double& sumSq) {
        const float* pu = U.row(users[r]);
        const float* qi = V.row(items[r]);
        float raw = 0;
#pragma omp simd reduction(+ : raw)
        for (int64_t f = 0; f < k; ++f)
            raw += pu[f] * qi[f];
        if (BU)
            raw += BU->w[users[r]] + BI->w[items[r]];
        float pred = raw, dpred = 1;
        if (yRange) {
            const float sg = 1.0f / (1.0f + std::exp(-raw));
            pred = lo + span * sg;
            dpred = span * sg * (1 - sg);
        }
        const float err = pred - targets[r];
        sumSq += static_cast<double>(err) * err;
        return 2.0f * err * dpred / static_cast<float>(n);
    };
    // Splitting by side makes each touched row move between the cores' caches every batch.
    // That costs more than it saves while the tables fit in cache (MovieLens 100K: 1 thread
    // ran 7.8 M ratings/s, 2 threads 4.4 M/s at batch 1024); once they do not (millions of
    // ratings), memory latency dominates and the second core pays (5 M ratings: +22 %).
    const bool parallel = m_threads > 1 && n >= 256 && m_tableBytes > (4 << 20);

    if (!parallel) {
        // One pass: prediction, loss gradient and both sides' gradients per rating, reading
        // each pair of rows once. The weights change only in the update after the loop.
        for (int64_t b = 0; b < n; ++b) {
            const int64_t r = rows[b];
            const int32_t u = users[r], i = items[r];
            const float* pu = U.row(u);
            const float* qi = V.row(i);
            const float g = lossGradient(r, sse);
            U.touch(u, m_step);
            V.touch(i, m_step);
            float* gu = U.gradRow(u);
            float* gi = V.gradRow(i);
#pragma omp simd
            for (int64_t f = 0; f < k; ++f) {
                gu[f] += g * qi[f];
                gi[f] += g * pu[f];
            }
            if (BU) {
                BU->grad[u] += g;
                BI->grad[i] += g;
                BU->touch(u, m_step);
                BI->touch(i, m_step);
            }
        }
        updateSide(0, lr, momentum);
        updateSide(1, lr, momentum);
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
        for (int side = 0; side < 2; ++side) {
            if (side != tid)
                continue;
            Table& own = side == 0 ? U : V;
            Table& other = side == 0 ? V : U;
            Table* bias = side == 0 ? BU : BI;
            const int32_t* ownIdx = side == 0 ? users : items;
            const int32_t* otherIdx = side == 0 ? items : users;
            for (int64_t b = 0; b < n; ++b) {
                const int64_t r = rows[b];
                const int32_t o = ownIdx[r];
                own.touch(o, m_step);
                float* g = own.gradRow(o);
                const float* x = other.row(otherIdx[r]);
                const float gb = m_g[b];
#pragma omp simd
                for (int64_t f = 0; f < k; ++f)
                    g[f] += gb * x[f];
                if (bias) {
                    bias->grad[o] += gb;
                    bias->touch(o, m_step);
                }
            }
        }
#pragma omp barrier
        updateSide(tid, lr, momentum);
    }
    }
    if (m_spec.optimizer.kind == OptimizerKind::AdamW)
        m_logDecay += std::log1p(-lr * m_spec.optimizer.weightDecay);
    return sse / static_cast<double>(n);
}

void FusedTrainer::prepareCoasting(double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    if (o.kind != OptimizerKind::Adam && o.kind != OptimizerKind::AdamW)
        return;
    const double beta1 = std::isfinite(momentumD) ? momentumD : o.beta1;
    const double ratio = beta1 / std::sqrt(o.beta2);
    // A table for 1..kCoastTable skipped steps, by running products: no pow per row.
    m_coast.resize(kCoastTable + 1);
    double r = 1, b1 = 1, b2 = 1, series = 0;
    for (int k = 1; k <= kCoastTable; ++k) {
        r *= ratio;
        b1 *= beta1;
        b2 *= o.beta2;
        series += r;
        m_coast[static_cast<std::size_t>(k)] = {static_cast<float>(series), static_cast<float>(b1), static_cast<float>(b2)};
    }
}

FusedTrainer::Coast FusedTrainer::coastFor(int64_t skipped) const {
    if (skipped <= kCoastTable)
        return m_coast[static_cast<std::size_t>(skipped)];
    // The momentum is gone (b1^k underflows) and the series has converged; only v still decays.
    return {m_coast.back().series, 0.0f,
            std::pow(static_cast<float>(m_spec.optimizer.beta2), static_cast<float>(skipped))};
}

void FusedTrainer::updateSide(int side, double lrD, double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    const float lr = static_cast<float>(lrD);
    const float wd = static_cast<float>(o.weightDecay);
    const float eps = static_cast<float>(o.eps);
    const double t = static_cast<double>(m_step);
    const bool scheduledMomentum = std::isfinite(momentumD);
    for (Table* tab : {m_tables[side].get(), m_tables[side + 2].get()}) {
        if (!tab)
            continue;
        const int64_t c = tab->cols;
        switch (o.kind) {
        case OptimizerKind::Sgd: {
            const float mu = static_cast<float>(scheduledMomentum && o.momentum > 0 ? momentumD : o.momentum);
            if (mu > 0)
                tab->ensureState(false, false);
            for (int32_t r : tab->touched) {
                float* w = tab->row(r);
                float* g = tab->gradRow(r);
                float* m = mu > 0 ? tab->s1.data() + r * c : nullptr;
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
        case OptimizerKind::AdamW: {
            tab->ensureState(true, o.kind == OptimizerKind::AdamW);
            const float b1 = static_cast<float>(scheduledMomentum ? momentumD : o.beta1);
            const float b2 = static_cast<float>(o.beta2);
            // m/c1 / (sqrt(v)/c2 + eps) = (c2/c1) m / (sqrt(v) + eps c2): one division, not three.
            const double c1 = 1.0 - std::pow(static_cast<double>(b1), t);
            const double c2 = std::sqrt(1.0 - std::pow(o.beta2, t));
            const float stepSize = static_cast<float>(lrD * c2 / c1);
            const float epsHat = static_cast<float>(o.eps * c2);
            const bool decoupled = o.kind == OptimizerKind::AdamW;
            const float l2 = decoupled ? 0.0f : wd;
            const double logNow = m_logDecay + std::log1p(-lrD * o.weightDecay);
            for (int32_t r : tab->touched) {
                float* w = tab->row(r);
                float* g = tab->gradRow(r);
                float* m = tab->s1.data() + r * c;
                float* v = tab->s2.data() + r * c;
                float keep = 1.0f;
                if (decoupled) { // the decay of every step since this row's last update, and this one
                    keep = std::exp(static_cast<float>(logNow - tab->logDecayAt[r]));
                    tab->logDecayAt[r] = logNow;
                }
                // The steps this row sat out: dense Adam would have kept moving it with its
                // momentum (m and v decaying geometrically with zero gradient). Their sum is a
                // geometric series, applied in the same pass with this step's rate and betas.
                const int64_t skipped = tab->updatedAt[r] < 0 ? 0 : m_step - tab->updatedAt[r] - 1;
                tab->updatedAt[r] = m_step;
                if (skipped > 0) {
                    const Coast k = coastFor(skipped);
                    const float coast = stepSize * k.series, mb1 = k.m * b1, vb2 = k.v * b2;
#pragma omp simd
                    for (int64_t f = 0; f < c; ++f) {
                        const float gf = g[f] + l2 * w[f];
                        const float wc = w[f] * keep - coast * m[f] / (std::sqrt(v[f]) + epsHat);
                        m[f] = mb1 * m[f] + (1 - b1) * gf;
                        v[f] = vb2 * v[f] + (1 - b2) * gf * gf;
                        w[f] = wc - stepSize * m[f] / (std::sqrt(v[f]) + epsHat);
                        g[f] = 0;
                    }
                    continue;
                }
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    const float gf = g[f] + l2 * w[f];
                    m[f] = b1 * m[f] + (1 - b1) * gf;
                    v[f] = b2 * v[f] + (1 - b2) * gf * gf;
                    w[f] = w[f] * keep - stepSize * m[f] / (std::sqrt(v[f]) + epsHat);
                    g[f] = 0;
                }
            }
            break;
        }
        case OptimizerKind::Adagrad: {
            tab->ensureState(false, false);
            for (int32_t r : tab->touched) {
                float* w = tab->row(r);
                float* g = tab->gradRow(r);
                float* s = tab->s1.data() + r * c;
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
            tab->ensureState(mu > 0, false);
            const float alpha = 0.99f; // LibTorch's default smoothing constant
            for (int32_t r : tab->touched) {
                float* w = tab->row(r);
                float* g = tab->gradRow(r);
                float* s = tab->s1.data() + r * c;
                float* b = mu > 0 ? tab->s2.data() + r * c : nullptr;
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
        tab->touched.clear();
    }
}

} // namespace fs
