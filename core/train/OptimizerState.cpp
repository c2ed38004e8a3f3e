// optimizerState / setOptimizerState (Optimizers.h): LibTorch's optimiser state read and
// written field by field, so checkpoints need not go through LibTorch's archives.
#include "core/common/Error.h"
#include "core/train/Optimizers.h"

#include <map>

namespace factorscope {

namespace {

namespace optim = torch::optim;

// The fields of one kind's state: the tensors by name, and the step count where it has one.
template <class State> struct Fields;
template <> struct Fields<optim::SGDParamState> {
    template <class F> static void each(optim::SGDParamState& s, F&& f) {
        f(
            "momentum_buffer", [&] { return s.momentum_buffer(); }, [&](torch::Tensor t) { s.momentum_buffer(t); });
    }
    static constexpr bool hasStep = false;
};
template <class S> struct AdamFields {
    template <class F> static void each(S& s, F&& f) {
        f(
            "exp_avg", [&] { return s.exp_avg(); }, [&](torch::Tensor t) { s.exp_avg(t); });
        f(
            "exp_avg_sq", [&] { return s.exp_avg_sq(); }, [&](torch::Tensor t) { s.exp_avg_sq(t); });
        f(
            "max_exp_avg_sq", [&] { return s.max_exp_avg_sq(); }, [&](torch::Tensor t) { s.max_exp_avg_sq(t); });
    }
    static constexpr bool hasStep = true;
};
template <> struct Fields<optim::AdamParamState> : AdamFields<optim::AdamParamState> {};
template <> struct Fields<optim::AdamWParamState> : AdamFields<optim::AdamWParamState> {};
template <> struct Fields<optim::AdagradParamState> {
    template <class F> static void each(optim::AdagradParamState& s, F&& f) {
        f(
            "sum", [&] { return s.sum(); }, [&](torch::Tensor t) { s.sum(t); });
    }
    static constexpr bool hasStep = true;
};
template <> struct Fields<optim::RMSpropParamState> {
    template <class F> static void each(optim::RMSpropParamState& s, F&& f) {
        f(
            "square_avg", [&] { return s.square_avg(); }, [&](torch::Tensor t) { s.square_avg(t); });
        f(
            "momentum_buffer", [&] { return s.momentum_buffer(); }, [&](torch::Tensor t) { s.momentum_buffer(t); });
        f(
            "grad_avg", [&] { return s.grad_avg(); }, [&](torch::Tensor t) { s.grad_avg(t); });
    }
    static constexpr bool hasStep = true;
};

std::vector<torch::Tensor> paramsOf(optim::Optimizer& opt) {
    std::vector<torch::Tensor> out;
    for (auto& group : opt.param_groups())
        for (auto& p : group.params())
            out.push_back(p);
    return out;
}

// "p<k>." (built in steps: GCC 12 warns, wrongly, of an overlapping copy in "p" + to_string(k)).
std::string prefixOf(std::size_t k) {
    std::string prefix(1, 'p');
    prefix += std::to_string(k);
    prefix += '.';
    return prefix;
}

std::string keyOf(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

template <class State> void save(optim::Optimizer& opt, NamedTensors& out) {
    const auto params = paramsOf(opt);
    for (std::size_t k = 0; k < params.size(); ++k) {
        const auto it = opt.state().find(keyOf(params[k]));
        if (it == opt.state().end())
            continue;
        auto& s = static_cast<State&>(*it->second);
        const std::string prefix = prefixOf(k);
        if constexpr (Fields<State>::hasStep)
            out.emplace_back(prefix + "step", torch::tensor(static_cast<int64_t>(s.step()), torch::kLong));
        Fields<State>::each(s, [&](const char* name, auto get, auto) {
            if (get().defined())
                out.emplace_back(prefix + name, get().detach().to(torch::kCPU));
        });
    }
}

template <class State> void load(optim::Optimizer& opt, const NamedTensors& state) {
    std::map<std::string, const torch::Tensor*> byName;
    for (const auto& [name, t] : state)
        byName.emplace(name, &t);
    std::size_t used = 0;
    const auto params = paramsOf(opt);
    for (std::size_t k = 0; k < params.size(); ++k) {
        const std::string prefix = prefixOf(k);
        auto s = std::make_unique<State>();
        bool any = false;
        if constexpr (Fields<State>::hasStep) {
            if (const auto it = byName.find(prefix + "step"); it != byName.end()) {
                if (it->second->scalar_type() != torch::kLong || it->second->numel() != 1)
                    throw CheckpointError("the optimiser state's " + prefix + "step is not one count");
                s->step(it->second->item<int64_t>());
                any = true;
                ++used;
            }
        }
        Fields<State>::each(*s, [&](const char* name, auto, auto set) {
            const auto it = byName.find(prefix + name);
            if (it == byName.end())
                return;
            const torch::Tensor& t = *it->second;
            if (t.scalar_type() != params[k].scalar_type() || t.sizes() != params[k].sizes())
                throw CheckpointError("the optimiser state's " + prefix + name + " does not fit parameter " +
                                      std::to_string(k));
            set(t.to(params[k].device()).clone());
            any = true;
            ++used;
        });
        if (any)
            opt.state()[keyOf(params[k])] = std::move(s);
    }
    if (used != state.size())
        throw CheckpointError("the optimiser state holds entries this optimiser does not have");
}

} // namespace

// Calls f with a value of the kind's LibTorch state type: one place maps kinds to state types.
template <class F> void withStateType(OptimizerKind kind, F&& f) {
    switch (kind) {
    case OptimizerKind::Sgd:
        return f(optim::SGDParamState{});
    case OptimizerKind::Adam:
        return f(optim::AdamParamState{});
    case OptimizerKind::AdamW:
        return f(optim::AdamWParamState{});
    case OptimizerKind::Adagrad:
        return f(optim::AdagradParamState{});
    case OptimizerKind::RmsProp:
        return f(optim::RMSpropParamState{});
    }
}

NamedTensors optimizerState(optim::Optimizer& opt, OptimizerKind kind) {
    NamedTensors out;
    withStateType(kind, [&](auto type) { save<decltype(type)>(opt, out); });
    return out;
}

void setOptimizerState(optim::Optimizer& opt, OptimizerKind kind, const NamedTensors& state) {
    withStateType(kind, [&](auto type) { load<decltype(type)>(opt, state); });
}

} // namespace factorscope
