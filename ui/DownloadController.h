#pragma once
// File ▸ Download MovieLens: the seven GroupLens sets with their sizes. A cached set opens at
// once; otherwise GroupLens's terms are shown for consent, the download runs in the background
// with a progress dialog and Cancel, and the unpacked set opens. A failure says why and leaves
// the current data set loaded.
#include "core/net/Download.h"
#include "ui/session/ExperimentJobs.h"

#include <QObject>

#include <functional>

class QMenu;
class QProgressDialog;
class QWidget;

namespace factorscope::ui {

class Workbench;

class DownloadController : public QObject {
    Q_OBJECT
public:
    DownloadController(QWidget* window, Workbench& bench);

    // Adds one action per data set to `menu` (refreshed each time it opens: "cached" marks).
    void populate(QMenu* menu);
    // QStandardPaths' cache folder unless set; the GroupLens URL unless set (tests use a local server).
    void setOptions(const DownloadOptions& options) { m_job.setOptions(options); }
    // Asks for consent to the terms; a dialog unless replaced (tests, scripted runs).
    void setConsent(std::function<bool(const RemoteDataset&)> ask) { m_consent = std::move(ask); }
    void setShowErrors(bool on) { m_showErrors = on; }
    DownloadJob& job() { return m_job; }

    // Returns false when the person declined the terms.
    bool download(const RemoteDataset& set);

Q_SIGNALS:
    void failed(const QString& message);
    void opening(const QString& folder);

private:
    bool askConsent(const RemoteDataset& set);

    QWidget* m_window;
    Workbench& m_bench;
    DownloadJob m_job;
    QProgressDialog* m_dialog = nullptr;
    std::function<bool(const RemoteDataset&)> m_consent;
    bool m_showErrors = true;
};

} // namespace factorscope::ui
