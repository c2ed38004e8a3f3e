#pragma once
// The explorer's t-SNE map off the GUI thread, shown as it optimises: a frame every 25
// iterations, so the map animates from the PCA start to the settled layout. A new request
// (new embeddings after an epoch, another perplexity, other movies shown) stops the one running
// at its next frame and starts afresh, so the map always heads for the newest settings.
#include "core/analysis/Tsne.h"
#include "ui/session/WorkerTask.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace factorscope::ui {

struct TsneRequest {
    std::shared_ptr<const Matrix> factors; // items x factors, not null
    std::vector<int32_t> rows;             // the movies mapped
    TsneOptions options;
    int generation = 0; // the requester's tag, handed back with every frame
};

struct TsneFrame {
    int generation = 0;
    int iteration = 0, iterations = 0;
    bool done = false;          // the last frame of a run that was not stopped
    std::vector<int32_t> items; // the encoded items in `coords`, row by row
    Matrix coords;              // items x 2
    QString error;
};

class TsneJob : public QObject {
    Q_OBJECT
public:
    explicit TsneJob(QObject* parent = nullptr) : QObject(parent) {}
    ~TsneJob() override { m_stop->store(true); }
    void request(TsneRequest request);
    // Stops the run at its next frame and forgets any waiting request.
    void cancel();
    bool isBusy() const { return m_inFlight || m_pending.has_value(); }

Q_SIGNALS:
    void frame(const factorscope::ui::TsneFrame& frame);

private:
    void startNext();
    std::optional<TsneRequest> m_pending;
    bool m_inFlight = false;
    std::shared_ptr<std::atomic<bool>> m_stop = std::make_shared<std::atomic<bool>>(false);
    WorkerTask<TsneFrame> m_task;
};

} // namespace factorscope::ui
