#include "ui/forms/FieldControls.h"

#include "ui/forms/ScientificSpinBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace factorscope::ui {

namespace {

QDoubleSpinBox* realSpinBox(const SpecField& f) {
    QDoubleSpinBox* box = nullptr;
    if (f.logScale) {
        box = new ScientificSpinBox;
    } else {
        box = new QDoubleSpinBox;
        box->setDecimals(3);
        box->setSingleStep(f.max - f.min > 100 ? 0.5 : 0.05);
    }
    box->setRange(f.min, f.max);
    return box;
}

QWidget* rangeControl(const SpecField& f) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* on = new QCheckBox(QObject::tr("Sigmoid into"));
    on->setObjectName(QStringLiteral("on"));
    layout->addWidget(on);
    for (const char* end : {"min", "max"}) {
        if (QLatin1String(end) == QLatin1String("max"))
            layout->addWidget(new QLabel(QStringLiteral("–")));
        QDoubleSpinBox* box = realSpinBox(f);
        box->setSingleStep(0.5);
        box->setDecimals(2);
        box->setObjectName(QString::fromLatin1(end));
        layout->addWidget(box, 1);
    }
    return row;
}

QWidget* createControl(const SpecField& f) {
    switch (f.type) {
    case FieldType::Flag:
        return new QCheckBox(QString::fromUtf8(f.label));
    case FieldType::Integer: {
        auto* box = new QSpinBox;
        constexpr double top = std::numeric_limits<int>::max();
        box->setRange(static_cast<int>(std::clamp(f.min + (f.minOpen ? 1 : 0), -top, top)),
                      static_cast<int>(std::clamp(f.max - (f.maxOpen ? 1 : 0), -top, top)));
        return box;
    }
    case FieldType::Real:
        return realSpinBox(f);
    case FieldType::Choice: {
        auto* box = new QComboBox;
        for (const auto& c : f.choices)
            box->addItem(QString::fromStdString(c), QString::fromStdString(c));
        return box;
    }
    case FieldType::Text:
        return new QComboBox; // the choices come from elsewhere (the devices there are)
    case FieldType::Integers:
    case FieldType::Reals:
    case FieldType::Pair:
        return new QLineEdit;
    case FieldType::OptionalPair:
        return rangeControl(f);
    }
    return new QWidget;
}

QString joinNumbers(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values)
        parts << QString::number(v);
    return parts.join(QLatin1Char(','));
}

} // namespace

QWidget* makeFieldControl(const SpecField& f) {
    QWidget* control = createControl(f);
    control->setObjectName(QString::fromLatin1(f.name));
    const QString help = QString::fromUtf8(f.help);
    control->setToolTip(help);
    control->setWhatsThis(help);
    return control;
}

void writeFieldControl(QWidget* control, const SpecField& f, const FieldValue& value) {
    if (auto* box = qobject_cast<QCheckBox*>(control))
        box->setChecked(std::get<bool>(value));
    else if (auto* spin = qobject_cast<QSpinBox*>(control))
        spin->setValue(
            static_cast<int>(std::min<long long>(std::get<long long>(value), std::numeric_limits<int>::max())));
    else if (auto* real = qobject_cast<QDoubleSpinBox*>(control))
        real->setValue(std::get<double>(value));
    else if (auto* combo = qobject_cast<QComboBox*>(control)) {
        const QString text = QString::fromStdString(std::get<std::string>(value));
        const int i = f.type == FieldType::Choice ? combo->findData(text) : combo->findText(text);
        combo->setCurrentIndex(std::max(0, i));
    } else if (auto* edit = qobject_cast<QLineEdit*>(control))
        edit->setText(joinNumbers(std::get<std::vector<double>>(value)));
    else if (f.type == FieldType::OptionalPair) {
        const auto& range = std::get<std::vector<double>>(value);
        control->findChild<QCheckBox*>(QStringLiteral("on"))->setChecked(!range.empty());
        if (range.size() == 2) {
            control->findChild<QDoubleSpinBox*>(QStringLiteral("min"))->setValue(range[0]);
            control->findChild<QDoubleSpinBox*>(QStringLiteral("max"))->setValue(range[1]);
        }
        for (auto* end : control->findChildren<QDoubleSpinBox*>())
            end->setEnabled(!range.empty());
    }
}

FieldValue readFieldControl(const QWidget* control, const SpecField& f) {
    if (const auto* box = qobject_cast<const QCheckBox*>(control))
        return box->isChecked();
    if (const auto* spin = qobject_cast<const QSpinBox*>(control))
        return static_cast<long long>(spin->value());
    if (const auto* real = qobject_cast<const QDoubleSpinBox*>(control))
        return real->value();
    if (const auto* combo = qobject_cast<const QComboBox*>(control))
        return (f.type == FieldType::Choice ? combo->currentData().toString() : combo->currentText()).toStdString();
    if (const auto* edit = qobject_cast<const QLineEdit*>(control))
        return parseFieldValue(f, edit->text().trimmed().toStdString());
    if (!control->findChild<QCheckBox*>(QStringLiteral("on"))->isChecked())
        return std::vector<double>{};
    return std::vector<double>{control->findChild<QDoubleSpinBox*>(QStringLiteral("min"))->value(),
                               control->findChild<QDoubleSpinBox*>(QStringLiteral("max"))->value()};
}

} // namespace factorscope::ui
