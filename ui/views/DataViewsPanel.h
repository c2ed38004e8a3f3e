#pragma once
// The rating table itself: a crosstab of the most active users and the most rated movies
// and histograms of ratings per user and per movie.
#include "core/analysis/DataViews.h"
#include "core/data/Dataset.h"

#include <QWidget>

class QTableWidget;

namespace factorscope::ui {

class BarChart;

class DataViewsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataViewsPanel(QWidget* parent = nullptr);
    void setData(const Dataset& data, const DataDigest& digest);
    QTableWidget* crosstabTable() const { return m_crosstab; }

private:
    QTableWidget* m_crosstab;
    BarChart* m_perUser;
    BarChart* m_perMovie;
};

} // namespace factorscope::ui
