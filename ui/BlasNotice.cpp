#include "ui/BlasNotice.h"

#include "core/common/BlasInfo.h"

#include <QMessageBox>
#include <QSettings>

namespace factorscope {

QString blasDescription() { return QString::fromStdString(describe(loadedBlas())); }

bool noticeReferenceBlas(QWidget* parent) {
    const BlasInfo blas = loadedBlas();
    const std::string warning = blasWarning(blas);
    if (warning.empty())
        return false;
    QSettings settings;
    const QString key = QStringLiteral("blasNoticeShown/") +
                        QString::fromStdString(blas.library).replace(QLatin1Char('/'), QLatin1Char('_'));
    if (settings.value(key).toBool())
        return false;
    settings.setValue(key, true);
    auto* box = new QMessageBox(QMessageBox::Information, QObject::tr("Slow linear algebra"),
                                QString::fromStdString(warning), QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("blasNotice"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse); // the command can be copied
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // not modal to the event loop: training and screenshots go on
    return true;
}

} // namespace factorscope
