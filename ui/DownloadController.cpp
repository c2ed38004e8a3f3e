#include "ui/DownloadController.h"

#include "ui/session/Workbench.h"

#include <QDir>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStandardPaths>

namespace factorscope::ui {

namespace {

QString sizeText(int64_t bytes) { return QLocale().formattedDataSize(bytes, 0); }

} // namespace

DownloadController::DownloadController(QWidget* window, Workbench& bench)
    : QObject(window), m_window(window), m_bench(bench) {
    DownloadOptions o;
    o.cacheDir = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
                     .filePath(QStringLiteral("factorscope/datasets"))
                     .toStdString();
    m_job.setOptions(o);
    connect(&m_job, &DownloadJob::stage, this, [this](const QString& stage) {
        if (!m_dialog)
            return;
        if (stage == QLatin1String("verifying") || stage == QLatin1String("unpacking")) {
            m_dialog->setLabelText(stage == QLatin1String("verifying") ? tr("Checking the MD5 checksum…")
                                                                       : tr("Unpacking into the cache…"));
            m_dialog->setRange(0, 0);
        }
    });
    connect(&m_job, &DownloadJob::progress, this, [this](qint64 done, qint64 total) {
        if (!m_dialog || total <= 0)
            return;
        m_dialog->setRange(0, 1000);
        m_dialog->setValue(int(1000 * done / total));
        m_dialog->setLabelText(tr("Downloading… %1 of %2").arg(sizeText(done), sizeText(total)));
    });
    connect(&m_job, &DownloadJob::finished, this, [this](const QString& folder) {
        delete m_dialog;
        m_dialog = nullptr;
        Q_EMIT opening(folder);
        m_bench.openDataset(folder);
    });
    connect(&m_job, &DownloadJob::failed, this, [this](const QString& message, bool cancelled) {
        delete m_dialog;
        m_dialog = nullptr;
        const QString text = cancelled ? tr("The download was cancelled; nothing was kept.")
                                       : tr("%1\n\nThe current data set stays loaded.").arg(message);
        Q_EMIT failed(text);
        if (m_showErrors && !cancelled)
            QMessageBox::warning(m_window, tr("Download failed"), text);
    });
}

void DownloadController::populate(QMenu* menu) {
    connect(menu, &QMenu::aboutToShow, this, [this, menu] {
        menu->clear();
        for (const RemoteDataset& set : remoteDatasets()) {
            const bool cached = !cachedDataset(set, m_job.options().cacheDir).empty();
            const QString label = cached ? tr("%1 (cached)").arg(QString::fromStdString(set.title))
                                         : tr("%1 (%2)…").arg(QString::fromStdString(set.title), sizeText(set.bytes));
            QAction* a = menu->addAction(label, this, [this, set] { download(set); });
            a->setToolTip(QString::fromStdString(set.ratings));
            a->setEnabled(!m_job.isRunning());
        }
        menu->setToolTipsVisible(true);
    });
}

bool DownloadController::askConsent(const RemoteDataset& set) {
    if (m_consent)
        return m_consent(set);
    QMessageBox box(QMessageBox::Question, tr("GroupLens terms of use"),
                    tr("Download %1 (%2) from GroupLens?").arg(QString::fromStdString(set.title), sizeText(set.bytes)),
                    QMessageBox::Cancel, m_window);
    box.setInformativeText(QString::fromStdString(groupLensTerms(set)));
    QPushButton* accept = box.addButton(tr("&Accept and download"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

bool DownloadController::download(const RemoteDataset& set) {
    if (m_job.isRunning())
        return false;
    const std::string cached = cachedDataset(set, m_job.options().cacheDir);
    if (!cached.empty()) {
        Q_EMIT opening(QString::fromStdString(cached));
        m_bench.openDataset(QString::fromStdString(cached));
        return true;
    }
    if (!askConsent(set))
        return false;
    m_dialog = new QProgressDialog(tr("Connecting to GroupLens…"), tr("Cancel"), 0, 0, m_window);
    m_dialog->setWindowTitle(tr("Downloading %1").arg(QString::fromStdString(set.title)));
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(0);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    connect(m_dialog, &QProgressDialog::canceled, &m_job, &DownloadJob::cancel);
    m_job.start(set);
    return true;
}

} // namespace factorscope::ui
