#include "core/train/Optimizers.h"

namespace factorscope {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSpec& s, std::vector<torch::Tensor> params) {
    namespace optim = torch::optim;
    switch (s.kind) {
    case OptimizerKind::Sgd:
        return std::make_unique<optim::SGD>(
            params, optim::SGDOptions(s.lr).momentum(s.momentum).nesterov(s.nesterov).weight_decay(s.weightDecay));
    case OptimizerKind::Adam:
        return std::make_unique<optim::Adam>(
            params, optim::AdamOptions(s.lr).betas({s.beta1, s.beta2}).eps(s.eps).weight_decay(s.weightDecay));
    case OptimizerKind::AdamW:
        return std::make_unique<optim::AdamW>(
            params, optim::AdamWOptions(s.lr).betas({s.beta1, s.beta2}).eps(s.eps).weight_decay(s.weightDecay));
    case OptimizerKind::Adagrad:
        return std::make_unique<optim::Adagrad>(params,
                                                optim::AdagradOptions(s.lr).weight_decay(s.weightDecay).eps(s.eps));
    case OptimizerKind::RmsProp:
        return std::make_unique<optim::RMSprop>(
            params, optim::RMSpropOptions(s.lr).momentum(s.momentum).weight_decay(s.weightDecay).eps(s.eps));
    }
    return nullptr;
}

void setLearningRate(torch::optim::Optimizer& opt, double lr) {
    for (auto& group : opt.param_groups())
        group.options().set_lr(lr);
}

void setMomentum(torch::optim::Optimizer& opt, OptimizerKind kind, double m) {
    namespace optim = torch::optim;
    for (auto& group : opt.param_groups()) {
        switch (kind) {
        case OptimizerKind::Sgd: {
            auto& o = static_cast<optim::SGDOptions&>(group.options());
            if (o.momentum() > 0) // momentum cycling must not turn plain SGD into momentum SGD
                o.momentum(m);
            break;
        }
        case OptimizerKind::RmsProp: {
            auto& o = static_cast<optim::RMSpropOptions&>(group.options());
            if (o.momentum() > 0)
                o.momentum(m);
            break;
        }
        case OptimizerKind::Adam: {
            auto& o = static_cast<optim::AdamOptions&>(group.options());
            o.betas({m, std::get<1>(o.betas())});
            break;
        }
        case OptimizerKind::AdamW: {
            auto& o = static_cast<optim::AdamWOptions&>(group.options());
            o.betas({m, std::get<1>(o.betas())});
            break;
        }
        case OptimizerKind::Adagrad:
            break;
        }
    }
}

} // namespace factorscope
