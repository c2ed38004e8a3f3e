#include "ui/session/RunLibrary.h"

#include "core/runs/ExperimentJson.h"

#include <QDir>
#include <QSaveFile>

namespace factorscope::ui {

RunLibrary::RunLibrary(QObject* parent) : QObject(parent) {}

RunLibrary::~RunLibrary() = default;

void RunLibrary::setPath(const QString& path) {
    m_path = path;
    m_store.reset();
    m_error.clear();
    Q_EMIT changed();
}

RunStore* RunLibrary::store() {
    if (!m_store && !m_path.isEmpty()) {
        try {
            m_store = std::make_unique<RunStore>(m_path.toStdString());
            m_error.clear();
        } catch (const std::exception& e) {
            m_error = QString::fromStdString(e.what());
        }
    }
    return m_store.get();
}

std::vector<RunRecord> RunLibrary::list() {
    RunStore* runs = store();
    if (!runs)
        return {};
    try {
        runs->markInterrupted();
        auto all = runs->list();
        m_error.clear();
        return all;
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        return {};
    }
}

std::vector<RunRecord> RunLibrary::get(const std::vector<qint64>& ids) {
    std::vector<RunRecord> runs;
    RunStore* store = this->store();
    if (!store)
        return runs;
    try {
        for (qint64 id : ids)
            if (auto r = store->get(id))
                runs.push_back(std::move(*r));
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
    }
    return runs;
}

bool RunLibrary::exportRuns(std::vector<qint64> ids, const QString& path, QString* error) {
    RunStore* store = this->store();
    if (!store) {
        *error = m_error;
        return false;
    }
    try {
        if (ids.empty())
            for (const auto& r : store->list())
                ids.push_back(r.id);
        std::vector<RunRecord> runs;
        for (qint64 id : ids)
            if (auto r = store->get(id))
                runs.push_back(std::move(*r));
        std::string text;
        if (path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive)) {
            text = runsToCsv(runs);
        } else {
            nlohmann::json all = nlohmann::json::array();
            for (const auto& r : runs)
                all.push_back(toJson(r));
            text = all.dump(2) + "\n";
        }
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
            !f.commit()) {
            *error = tr("%1: cannot write (%2)").arg(QDir::toNativeSeparators(path), f.errorString());
            return false;
        }
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

bool RunLibrary::remove(const std::vector<qint64>& ids, QString* error) {
    RunStore* store = this->store();
    if (!store) {
        *error = m_error;
        return false;
    }
    try {
        store->remove(std::vector<int64_t>(ids.begin(), ids.end()));
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    Q_EMIT changed();
    return true;
}

} // namespace factorscope::ui
