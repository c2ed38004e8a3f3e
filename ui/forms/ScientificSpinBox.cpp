#include "ui/forms/ScientificSpinBox.h"

#include <QLocale>

#include <cmath>

namespace factorscope::ui {

ScientificSpinBox::ScientificSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(12); // the text form carries the precision; keep the value exact
    setRange(0, 1e6);
    setKeyboardTracking(false);
}

QString ScientificSpinBox::textFromValue(double value) const { return QLocale::c().toString(value, 'g', 4); }

double ScientificSpinBox::valueFromText(const QString& text) const {
    bool ok = false;
    const double v = QLocale::c().toDouble(text.trimmed(), &ok);
    return ok ? v : value();
}

QValidator::State ScientificSpinBox::validate(QString& text, int&) const {
    const QString t = text.trimmed();
    if (t.isEmpty() || t.endsWith(QLatin1Char('e')) || t.endsWith(QLatin1String("e-")) || t == QLatin1String("."))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok)
        return QValidator::Invalid;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void ScientificSpinBox::stepBy(int steps) {
    // 1-2-5 steps through the decades.
    double v = value() > 0 ? value() : 1e-4;
    for (int k = 0; k < std::abs(steps); ++k) {
        const double decade = std::pow(10.0, std::floor(std::log10(v) + 1e-9));
        const double m = v / decade;
        if (steps > 0)
            v = m < 1.5 ? 2 * decade : m < 3.5 ? 5 * decade : 10 * decade;
        else
            v = m > 7 ? 5 * decade : m > 3 ? 2 * decade : m > 1.5 ? decade : 0.5 * decade;
    }
    setValue(std::clamp(v, minimum(), maximum()));
}

} // namespace factorscope::ui
