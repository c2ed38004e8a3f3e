#pragma once
// A read-only table of rows (title first, stretched; the other columns to their contents), as
// the explorer's lists use it.
#include <QStringList>

class QTableWidget;

namespace factorscope::ui {

QTableWidget* listTable(const QStringList& headers);

} // namespace factorscope::ui
