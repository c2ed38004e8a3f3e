#pragma once
// One control for one field of the spec's table (core/train/SpecFields.h), chosen by the
// field's type: a check box, a spin box (1-2-5 steps where the setting spans decades), a
// combo box, a comma-separated line edit, or an on/off range. The control's objectName is the
// field's name, its tool tip the field's help.
#include "core/train/SpecFields.h"

class QWidget;

namespace factorscope::ui {

QWidget* makeFieldControl(const SpecField& field);
// Shows `value` in the control (signals are the caller's to block).
void writeFieldControl(QWidget* control, const SpecField& field, const FieldValue& value);
// The control's value; throws SpecError naming the field when a typed list does not parse.
FieldValue readFieldControl(const QWidget* control, const SpecField& field);

} // namespace factorscope::ui
