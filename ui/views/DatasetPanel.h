#pragma once
// What is loaded: counts, density and the rating histogram.
#include "core/data/Dataset.h"

#include <QWidget>

class QLabel;

namespace factorscope::ui {

class BarChart;

class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    void setSummary(const DatasetSummary& s);
    void setLoading(const QString& path);
    BarChart* histogram() const { return m_histogram; }

private:
    QLabel* m_text;
    BarChart* m_histogram;
};

} // namespace factorscope::ui
