#include "ui/session/RatedAlikeJob.h"

#include <exception>

namespace factorscope::ui {

void RatedAlikeJob::request(RatedAlikeRequest request) {
    m_pending = std::move(request); // replaces one not started yet
    startNext();
}

void RatedAlikeJob::startNext() {
    if (!m_pending || m_inFlight)
        return;
    // The grouping is reused while the data set is the same one.
    std::shared_ptr<const CoRatings> grouped = m_groupedData == m_pending->data ? m_coRatings : nullptr;
    auto work = [r = std::move(*m_pending), grouped = std::move(grouped)]() {
        RatedAlikeResult out;
        out.generation = r.generation;
        out.item = r.item;
        out.data = r.data;
        try { // here rather than in WorkerTask, so that the error keeps the request's generation
            out.coRatings = grouped ? grouped : coRatingsOf(*r.data);
            out.rows = similarMovies(*out.coRatings, r.item, r.measure, r.count);
        } catch (const std::exception& e) {
            out.error = QString::fromStdString(e.what());
        }
        return out;
    };
    m_pending.reset();
    m_inFlight = true;
    m_task.start(std::move(work), [this](const RatedAlikeResult& result) {
        if (result.error.isEmpty()) {
            m_groupedData = result.data;
            m_coRatings = result.coRatings;
        }
        Q_EMIT ready(result);
        m_inFlight = false;
        startNext();
    });
}

} // namespace factorscope::ui
