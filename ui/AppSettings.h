#pragma once
// What persists between sessions (QSettings): the last data set, recent files, the last
// experiment spec and the window layout.
#include "core/train/TrainSpec.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace factorscope::ui::settings {

QStringList recentDatasets();
void addRecentDataset(const QString& path); // most recent first, at most 8
QString lastDataset();                      // "demo" when none was opened
void setLastDataset(const QString& path);
// nullopt when none was saved or it no longer parses (an older or damaged entry).
std::optional<TrainSpec> lastSpec();
void setLastSpec(const TrainSpec& spec);
QByteArray windowGeometry();
QByteArray windowState();
void setWindowLayout(const QByteArray& geometry, const QByteArray& state);

} // namespace factorscope::ui::settings
