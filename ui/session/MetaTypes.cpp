#include "ui/session/MetaTypes.h"

namespace fs::ui {

void registerMetaTypes() {
    static const bool done = [] {
        qRegisterMetaType<fs::TrainSpec>();
        qRegisterMetaType<fs::CvResult>();
        qRegisterMetaType<fs::GridResult>();
        qRegisterMetaType<fs::BatchStats>();
        qRegisterMetaType<fs::EpochStats>();
        qRegisterMetaType<fs::TrainResult>();
        qRegisterMetaType<fs::DatasetSummary>();
        qRegisterMetaType<fs::LrFindResult>();
        qRegisterMetaType<std::shared_ptr<const fs::Dataset>>();
        qRegisterMetaType<std::shared_ptr<const fs::DataDigest>>();
        qRegisterMetaType<std::vector<fs::EpochStats>>();
        qRegisterMetaType<QVector<fs::BatchStats>>();
        qRegisterMetaType<fs::Matrix>();
        qRegisterMetaType<std::shared_ptr<const fs::Matrix>>();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace fs::ui
