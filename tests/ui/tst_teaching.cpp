// The teaching parts of the main window: your own ratings kept from the You page and included
// in the next load on request, and the lessons, every step of every one walked through.
#include "TestUtil.h"
#include "core/data/DatasetWriter.h"
#include "ui/LessonPanel.h"
#include "ui/Lessons.h"
#include "ui/MainWindow.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/YouPage.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace factorscope;
using namespace factorscope::ui;

class TestTeaching : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("FactorscopeTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
    }

    void ownRatingsJoinTheNextLoad() {
        MainWindow w;
        w.setConfirmClose(false);
        Workbench& bench = w.workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        const std::size_t ratings = bench.dataset()->ratings.size();
        const int32_t users = bench.dataset()->users.size();
        YouPage* you = w.explorerView().youPage();
        for (int32_t item : {0, 1, 2})
            QVERIFY(you->rateItem(item, 4.0));
        const QString kept = Workbench::ownRatingsPath(QStringLiteral("demo"));
        QFile::remove(kept);
        QVERIFY(you->keep());
        QVERIFY(QFile::exists(kept));
        QVERIFY(you->statusText().contains(QStringLiteral("Kept your 3 ratings")));

        auto* include = w.findChild<QAction*>(QStringLiteral("includeOwnRatings"));
        QVERIFY(include && include->isCheckable() && !include->isChecked());
        include->trigger(); // reloads the demo with you in it
        QVERIFY(loaded.wait(30000));
        QCOMPARE(bench.dataset()->ratings.size(), ratings + 3);
        QCOMPARE(bench.dataset()->users.size(), users + 1);
        QCOMPARE(bench.summary().ratings, ratings + 3);
        QVERIFY(QSettings().value(QStringLiteral("includeOwnRatings")).toBool()); // persists
        include->trigger(); // off again: the next load is the data set alone
        QVERIFY(loaded.wait(30000));
        QCOMPARE(bench.dataset()->ratings.size(), ratings);
        QFile::remove(kept);
    }

    void lessonsDriveTheApp() {
        MainWindow w;
        w.setConfirmClose(false);
        w.resize(1440, 900);
        w.show();
        Workbench& bench = w.workbench();
        w.workbench().setRunStore(m_tmp.filePath(QStringLiteral("lessons.sqlite")));
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        // A small demo data set (12,000 ratings, planted genres), so thirteen runs stay quick
        // under the sanitizers; the lessons work on whatever data is loaded.
        const QString small = m_tmp.filePath(QStringLiteral("small"));
        QVERIFY(QDir().mkpath(small));
        writeMovieLensCsv(test::smallDemo(), small.toStdString());
        w.openDataset(small);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(bench.dataset()->ratings.size(), std::size_t(12000));
        auto* panel = w.findChild<LessonPanel*>(QStringLiteral("lessonPanel"));
        QVERIFY(panel && !panel->isVisible());
        auto* next = panel->findChild<QPushButton*>(QStringLiteral("lessonNext"));
        const auto idle = [&] {
            return QTest::qWaitFor([&] { return !bench.session().isRunning() && !bench.finder().isRunning(); }, 120000);
        };
        // Every lesson, every step: its action done, its text shown, the widget it names outlined.
        for (std::size_t k = 0; k < lessons().size(); ++k) {
            w.findChild<QAction*>(QStringLiteral("lesson-%1").arg(k))->trigger();
            QVERIFY(panel->isVisible());
            for (std::size_t step = 0; step < lessons()[k].steps.size(); ++step) {
                const LessonStep& s = lessons()[k].steps[step];
                QCOMPARE(panel->step(), static_cast<int>(step));
                QCOMPARE(panel->text(), s.text);
                QVERIFY2(panel->outlined() && panel->outlined()->objectName() == s.pointAt,
                         qPrintable(QStringLiteral("lesson %1 step %2: %3").arg(k).arg(step).arg(s.pointAt)));
                if (k == 0 && step == 0) { // the first lesson's run: 32 factors, Next waits for it
                    QCOMPARE(w.form().spec().model.factors, 32);
                    QVERIFY(bench.session().isRunning());
                    QVERIFY(!next->isEnabled());
                }
                QVERIFY(idle());
                QTest::qWait(300); // the panel's poll
                QVERIFY(next->isEnabled());
                next->click();
            }
            QVERIFY(!panel->isVisible()); // Finish closes it
        }
        // The biases lesson trained a dot model, then dotbias; Back shows a step without redoing it.
        w.findChild<QAction*>(QStringLiteral("lesson-1"))->trigger();
        QVERIFY(idle());
        QVERIFY(w.form().spec().model.kind == ModelKind::Dot);
        QTest::qWait(300);
        next->click();
        QVERIFY(w.form().spec().model.kind == ModelKind::DotBias);
        QVERIFY(idle());
        panel->back();
        QCOMPARE(panel->step(), 0);
        QVERIFY(!bench.session().isRunning());
        QVERIFY(w.form().spec().model.kind == ModelKind::DotBias); // not acted again
    }
};

QTEST_MAIN(TestTeaching)
#include "tst_teaching.moc"
