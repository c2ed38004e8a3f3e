#include "ui/session/TsneJob.h"

#include <exception>

namespace factorscope::ui {

void TsneJob::request(TsneRequest request) {
    m_pending = std::move(request); // replaces one not started yet
    m_stop->store(true);            // the running one gives way at its next frame
    startNext();
}

void TsneJob::cancel() {
    m_pending.reset();
    m_stop->store(true);
}

void TsneJob::startNext() {
    if (!m_pending || m_inFlight)
        return;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    auto work = [r = std::move(*m_pending), stop = m_stop, poster = &m_task.poster(), self = this]() {
        Matrix points{static_cast<int64_t>(r.rows.size()), r.factors->cols, {}};
        for (int32_t row : r.rows)
            points.values.insert(points.values.end(), r.factors->values.begin() + row * r.factors->cols,
                                 r.factors->values.begin() + (row + 1) * r.factors->cols);
        TsneFrame last;
        last.generation = r.generation;
        last.iterations = r.options.iterations;
        last.items = r.rows;
        const auto progress = [&](int iteration, const Matrix& coords) {
            if (stop->load())
                return false;
            TsneFrame f = last;
            f.iteration = iteration;
            f.coords = coords;
            poster->post([self, f = std::move(f)] { Q_EMIT self->frame(f); }); // dropped with the job
            return true;
        };
        try { // here rather than in WorkerTask, so that the error keeps the request's generation
            last.coords = tsne(points, r.options, progress, 25);
        } catch (const std::exception& e) {
            last.error = QString::fromStdString(e.what());
            return last;
        }
        last.done = !stop->load();
        last.iteration = last.done ? r.options.iterations : 0;
        return last;
    };
    m_pending.reset();
    m_inFlight = true;
    m_task.start(std::move(work), [this](const TsneFrame& f) {
        if (f.done || !f.error.isEmpty())
            Q_EMIT frame(f);
        m_inFlight = false;
        startNext();
    });
}

} // namespace factorscope::ui
