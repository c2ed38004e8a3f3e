#include "ui/AppSettings.h"

#include "core/train/SpecJson.h"

#include <QSettings>

namespace factorscope::ui::settings {

QStringList recentDatasets() { return QSettings().value(QStringLiteral("recentDatasets")).toStringList(); }

void addRecentDataset(const QString& path) {
    QStringList list = recentDatasets();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > 8)
        list.removeLast();
    QSettings().setValue(QStringLiteral("recentDatasets"), list);
}

QString lastDataset() { return QSettings().value(QStringLiteral("lastDataset"), QStringLiteral("demo")).toString(); }
void setLastDataset(const QString& path) { QSettings().setValue(QStringLiteral("lastDataset"), path); }

std::optional<TrainSpec> lastSpec() {
    const QString text = QSettings().value(QStringLiteral("lastSpec")).toString();
    if (text.isEmpty())
        return std::nullopt;
    try {
        TrainSpec s = trainSpecFromJson(nlohmann::json::parse(text.toStdString()));
        s.validate();
        return s;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void setLastSpec(const TrainSpec& spec) {
    QSettings().setValue(QStringLiteral("lastSpec"), QString::fromStdString(toJson(spec).dump()));
}

QByteArray windowGeometry() { return QSettings().value(QStringLiteral("window/geometry")).toByteArray(); }
QByteArray windowState() { return QSettings().value(QStringLiteral("window/state")).toByteArray(); }
void setWindowLayout(const QByteArray& geometry, const QByteArray& state) {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), geometry);
    s.setValue(QStringLiteral("window/state"), state);
}

} // namespace factorscope::ui::settings
