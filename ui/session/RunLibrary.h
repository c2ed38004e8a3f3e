#pragma once
// The run store as the GUI sees it: one open store (opened on first use), the runs it lists,
// export and delete. Views ask it for what they show and observe changed(); nothing here is a
// widget. A store that cannot open or read leaves its reason in error().
#include "core/runs/RunStore.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace factorscope::ui {

class RunLibrary : public QObject {
    Q_OBJECT
public:
    explicit RunLibrary(QObject* parent = nullptr);
    ~RunLibrary() override;

    void setPath(const QString& path); // emits changed()
    QString path() const { return m_path; }
    QString error() const { return m_error; }

    // Every run (runs another process left running are marked interrupted first); empty with
    // error() set when the store cannot be read.
    std::vector<RunRecord> list();
    // The runs with these ids, with their epochs; those not found are left out.
    std::vector<RunRecord> get(const std::vector<qint64>& ids);
    // Writes the runs (all when `ids` is empty) as CSV (a .csv path) or JSON; false with
    // *error naming the file.
    bool exportRuns(std::vector<qint64> ids, const QString& path, QString* error);
    bool remove(const std::vector<qint64>& ids, QString* error); // emits changed()

    // A run was recorded elsewhere (the training session, an experiment): tells the views.
    void notifyRecorded() { Q_EMIT changed(); }

Q_SIGNALS:
    void changed();

private:
    RunStore* store();

    QString m_path;
    QString m_error;
    std::unique_ptr<RunStore> m_store;
};

} // namespace factorscope::ui
