#include "ui/session/ProjectionJob.h"

namespace factorscope::ui {

ProjectionResult project(const ProjectionRequest& r, const std::optional<Projection>& previous) {
    ProjectionResult out;
    out.generation = r.generation;
    out.projection = pca(*r.factors, r.components, r.fitRows, r.shownRows);
    if (previous && previous->coords.cols == out.projection.coords.cols)
        alignTo(*previous, out.projection);
    if (!r.labels.empty()) {
        // Scored on the fitted movies (the first rows: most rated first), whatever is shown,
        // so that it costs the same with 10,000 movies on the map.
        const std::size_t n = std::min(r.fitRows.size(), out.projection.items.size());
        Matrix head = out.projection.coords;
        head.rows = static_cast<int64_t>(n);
        head.values.resize(n * static_cast<std::size_t>(head.cols));
        std::vector<int> labels;
        for (std::size_t k = 0; k < n; ++k)
            labels.push_back(r.labels[static_cast<std::size_t>(out.projection.items[k])]);
        out.separability = knnAccuracy(head, labels, r.components);
    }
    return out;
}

void ProjectionJob::request(ProjectionRequest request) {
    m_pending = std::move(request); // replaces one not started yet
    startNext();
}

void ProjectionJob::startNext() {
    if (!m_pending || m_inFlight)
        return;
    auto work = [r = std::move(*m_pending), previous = m_previous]() { return project(r, previous); };
    m_pending.reset();
    m_inFlight = true;
    m_task.start(std::move(work), [this](const ProjectionResult& result) {
        if (result.error.isEmpty())
            m_previous = result.projection; // the next one morphs from this
        Q_EMIT ready(result);
        m_inFlight = false;
        startNext(); // what arrived meanwhile, aligned to what was just shown
    });
}

} // namespace factorscope::ui
