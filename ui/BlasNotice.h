#pragma once
// What the window says about the BLAS library the neural models' layers run on: a line for the
// About box, and once per library a notice when it is Debian's slow reference BLAS.
#include <QString>

class QWidget;

namespace factorscope {

QString blasDescription(); // "OpenBLAS 0.3.21 (OpenMP, 1 thread)"

// Shows, without blocking, a notice naming the command that installs OpenBLAS, when the loaded
// BLAS is the reference one and this library has not been noticed before (QSettings).
// Returns whether it showed one.
bool noticeReferenceBlas(QWidget* parent);

} // namespace factorscope
