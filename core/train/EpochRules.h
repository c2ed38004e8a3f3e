#pragma once
// core-internal: what the training loop does with each evaluated epoch, besides recording it.
// Each watches the epochs go by and decides one thing:
// - BestWeights: which epoch is best (lowest validation RMSE, or with `byNdcg` highest
//   validation nDCG, over this run and the history it continues) and, with restore-best, keeps
//   that epoch's weights to put back at the end;
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
    BestWeights(bool keepWeights, bool byNdcg, const std::vector<EpochStats>& history)
        : m_keep(keepWeights), m_byNdcg(byNdcg) {
        for (const auto& e : history)
            if (lossOf(e) < lossOf(m_best))
                m_best = e;
    }
    // Marks `es` best when it improves on every epoch before it (and keeps the weights); returns whether it did.
    bool observe(EpochStats& es, const Model& model) {
        if (!(lossOf(es) < lossOf(m_best)))
            return false;
        es.best = true;
        m_best = es;
        if (m_keep)
            m_weights = model.snapshot();
        return true;
    }
    // Puts the best epoch's weights back when training went on past it (and this run saw it);
    // returns whether it did.
    bool restoreIfPassed(Model& model, int lastEpoch) const {
        if (!m_weights || lastEpoch == m_best.epoch)
            return false;
        model.restore(*m_weights);
        return true;
    }
    int epoch() const { return m_best.epoch; } // 0: none yet
    const EpochStats& best() const { return m_best; }

private:
    // What the best epoch has least of: RMSE, or nDCG's complement (NaN, unranked, never wins).
    double lossOf(const EpochStats& e) const {
        if (e.epoch == 0)
            return std::numeric_limits<double>::infinity();
        return m_byNdcg ? -e.valNdcg : e.valRmse;
    }

    bool m_keep;
    bool m_byNdcg;
    EpochStats m_best; // epoch 0: none yet
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
