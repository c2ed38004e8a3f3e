#pragma once
// The movies rated most alike, off the GUI thread. The first request of a data set groups its
// ratings both ways and fits the baseline (seconds for tens of millions of ratings); each then
// scores one movie against the others over their shared raters (for a popular movie of a large
// set, every rating of its raters). Requests coalesce as ProjectionJob's do: while one runs,
// only the newest waits, so clicking through movies never builds a queue.
#include "core/analysis/CoRatings.h"
#include "core/data/Dataset.h"
#include "core/model/ModelSpec.h"
#include "ui/session/WorkerTask.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace factorscope::ui {

struct RatedAlikeRequest {
    std::shared_ptr<const Dataset> data; // not null
    int32_t item = 0;
    ModelSpec measure; // its similarity, minimum support and shrinkage
    int count = 15;
    int generation = 0; // the requester's tag, handed back with the result
};

struct RatedAlikeResult {
    int generation = 0;
    int32_t item = -1;
    std::vector<SimilarRow> rows; // most similar first
    std::shared_ptr<const Dataset> data;
    std::shared_ptr<const CoRatings> coRatings; // of `data`, kept for the next request
    QString error;
};

class RatedAlikeJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    void request(RatedAlikeRequest request);
    // Until the last result is handed over.
    bool isBusy() const { return m_inFlight || m_pending.has_value(); }

Q_SIGNALS:
    void ready(const factorscope::ui::RatedAlikeResult& result);

private:
    void startNext();
    std::optional<RatedAlikeRequest> m_pending;
    bool m_inFlight = false;
    std::shared_ptr<const Dataset> m_groupedData; // whose ratings m_coRatings holds
    std::shared_ptr<const CoRatings> m_coRatings;
    WorkerTask<RatedAlikeResult> m_task;
};

} // namespace factorscope::ui
