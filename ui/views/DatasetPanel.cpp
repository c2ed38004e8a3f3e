#include "ui/views/DatasetPanel.h"

#include "ui/charts/BarChart.h"

#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace factorscope::ui {

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent) {
    m_text = new QLabel;
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_histogram = new BarChart(tr("Ratings"), tr("Stars"), tr("Count"));
    m_histogram->addSet(tr("ratings"), QColor(0x1f, 0x77, 0xb4));
    m_histogram->setLegendVisible(false);
    m_histogram->setMinimumHeight(180);
    QStringList cats;
    for (int b = 1; b <= 10; ++b)
        cats << QString::number(0.5 * b, 'f', 1);
    m_histogram->setCategories(cats);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_histogram);
}

void DatasetPanel::setLoading(const QString& path) {
    m_text->setText(tr("Loading <i>%1</i>…").arg(path.toHtmlEscaped()));
}

void DatasetPanel::setSummary(const DatasetSummary& s) {
    const QLocale loc;
    const QString name =
        s.source == "demo" ? tr("Built-in demo data") : QFileInfo(QString::fromStdString(s.source)).fileName();
    QString html = tr("<b>%1</b> <span style='color:gray'>(%2)</span><br>"
                      "%3 ratings · %4 users · %5 movies<br>"
                      "density %6% · mean rating %7")
                       .arg(name.toHtmlEscaped(), QString::fromStdString(s.format))
                       .arg(loc.toString(static_cast<qulonglong>(s.ratings)))
                       .arg(loc.toString(s.users))
                       .arg(loc.toString(s.items))
                       .arg(s.density * 100, 0, 'f', 2)
                       .arg(s.ratingMean, 0, 'f', 2);
    if (s.report.skippedLines)
        html += tr("<br><span style='color:#c62828'>%1 malformed lines skipped</span>").arg(s.report.skippedLines);
    if (s.report.duplicatesSkipped)
        html +=
            tr("<br><span style='color:#c62828'>%1 duplicate ratings skipped</span>").arg(s.report.duplicatesSkipped);
    for (const auto& w : s.report.warnings)
        html +=
            QStringLiteral("<br><span style='color:#c62828'>%1</span>").arg(QString::fromStdString(w).toHtmlEscaped());
    m_text->setText(html);
    m_text->setToolTip(QString::fromStdString(s.source));
    QVector<double> h;
    for (auto c : s.histogram)
        h.push_back(static_cast<double>(c));
    m_histogram->setValues(0, h);
}

} // namespace factorscope::ui
