#pragma once
// core-internal: what the training loop does with each evaluated epoch, besides recording it.
// Each watches the epochs go by and decides one thing:
// - BestWeights: which epoch is best (lowest validation RMSE, over this run and the history it
//   continues) and, with restore-best, keeps that epoch's weights to put back at the end;
// - EarlyStopping: whether to stop, after `patience` epochs of this run without improvement
//   (never before `minEpochs`; patience 0: never).
#include "core/model/Model.h"
#include "core/train/TrainSpec.h"

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace factorscope {

class BestWeights {
public:
    BestWeights(bool keepWeights, const std::vector<EpochStats>& history) : m_keep(keepWeights) {
        for (const auto& e : history)
            if (e.valRmse < m_rmse) {
                m_rmse = e.valRmse;
                m_epoch = e.epoch;
            }
    }
    // Marks `es` best when it improves on every epoch before it (and keeps the weights); returns whether it did.
    bool observe(EpochStats& es, const Model& model) {
        if (!(es.valRmse < m_rmse))
            return false;
        m_rmse = es.valRmse;
        m_epoch = es.epoch;
        es.best = true;
        if (m_keep)
            m_weights = model.snapshot();
        return true;
    }
    // Puts the best epoch's weights back when training went on past it (and this run saw it);
    // returns whether it did.
    bool restoreIfPassed(Model& model, int lastEpoch) const {
        if (!m_weights || lastEpoch == m_epoch)
            return false;
        model.restore(*m_weights);
        return true;
    }
    int epoch() const { return m_epoch; } // 0: none yet
    double rmse() const { return m_rmse; }

private:
    bool m_keep;
    double m_rmse = std::numeric_limits<double>::infinity();
    int m_epoch = 0;
    std::shared_ptr<Model::Snapshot> m_weights;
};

class EarlyStopping {
public:
    EarlyStopping(int patience, int minEpochs) : m_patience(patience), m_minEpochs(minEpochs) {}
    // After epoch `epoch` (improved or not): why training stops here, or nothing.
    std::optional<std::string> observe(int epoch, bool improved) {
        m_sinceBest = improved ? 0 : m_sinceBest + 1;
        if (m_patience > 0 && m_sinceBest >= m_patience && epoch >= m_minEpochs)
            return "stopped early after epoch " + std::to_string(epoch) + ": no improvement for " +
                   std::to_string(m_sinceBest) + " epochs";
        return std::nullopt;
    }

private:
    int m_patience;
    int m_minEpochs;
    int m_sinceBest = 0;
};

} // namespace factorscope
