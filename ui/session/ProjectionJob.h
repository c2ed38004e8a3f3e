#pragma once
// The explorer's projection off the GUI thread: PCA of the item embeddings, aligned to the map
// shown before (so it morphs), and the genre score of the fitted movies (a leave-one-out
// nearest-neighbour vote, O(n^2) in them). Requests that arrive while one runs coalesce: only
// the newest is projected next, so the map follows training without a queue building up.
#include "core/analysis/Pca.h"
#include "core/model/Model.h"
#include "ui/session/WorkerTask.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace factorscope::ui {

struct ProjectionRequest {
    std::shared_ptr<const Matrix> factors; // items x factors, not null
    int components = 5;
    std::vector<int32_t> fitRows; // the movies that define the components
    std::vector<int32_t> shownRows;
    std::vector<int> labels; // per item, the genre to score by; empty: no score
    int generation = 0;      // the requester's tag, handed back with the result
};

struct ProjectionResult {
    int generation = 0;
    Projection projection;
    double separability = 0; // of the fitted movies' genres on the map, when labels were given
    QString error;
};

class ProjectionJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Projects `request` as soon as the worker is free, aligned to the last projection made.
    void request(ProjectionRequest request);
    // Until the last result is handed over (the worker may be done before its result arrives).
    bool isBusy() const { return m_inFlight || m_pending.has_value(); }
    // The next projection starts afresh instead of aligning (other rows are shown).
    void restartAlignment() { m_previous.reset(); }

Q_SIGNALS:
    void ready(const factorscope::ui::ProjectionResult& result);

private:
    void startNext();
    std::optional<ProjectionRequest> m_pending;
    bool m_inFlight = false;
    std::optional<Projection> m_previous;
    WorkerTask<ProjectionResult> m_task;
};

// The work itself, on the calling thread (the job runs it on a worker; tests call it directly).
ProjectionResult project(const ProjectionRequest& request, const std::optional<Projection>& previous);

} // namespace factorscope::ui
