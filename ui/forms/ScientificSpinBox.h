#pragma once
// A spin box for rates that span orders of magnitude: shows and accepts "0.003" or "3e-4",
// and steps by a factor of ~2 (1, 2, 5, 10...) rather than by a fixed amount.
#include <QDoubleSpinBox>

namespace factorscope::ui {

class ScientificSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit ScientificSpinBox(QWidget* parent = nullptr);
    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
    void stepBy(int steps) override;
};

} // namespace factorscope::ui
