#include "ui/session/MetaTypes.h"

namespace factorscope::ui {

void registerMetaTypes() {
    static const bool done = [] {
        qRegisterMetaType<factorscope::TrainSpec>();
        qRegisterMetaType<factorscope::CvResult>();
        qRegisterMetaType<factorscope::GridResult>();
        qRegisterMetaType<factorscope::BatchStats>();
        qRegisterMetaType<factorscope::EpochStats>();
        qRegisterMetaType<factorscope::TrainResult>();
        qRegisterMetaType<factorscope::DatasetSummary>();
        qRegisterMetaType<factorscope::LrFindResult>();
        qRegisterMetaType<std::shared_ptr<const factorscope::Dataset>>();
        qRegisterMetaType<std::shared_ptr<const factorscope::DataDigest>>();
        qRegisterMetaType<std::vector<factorscope::EpochStats>>();
        qRegisterMetaType<QVector<factorscope::BatchStats>>();
        qRegisterMetaType<factorscope::Matrix>();
        qRegisterMetaType<std::shared_ptr<const factorscope::Matrix>>();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace factorscope::ui
