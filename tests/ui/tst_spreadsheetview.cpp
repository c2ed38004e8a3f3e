// The Spreadsheet page as a student sees it: the factors beside the block, errors in the rated
// cells that shrink as the small model trains, predictions in the empty ones (MovieLens 100K's
// top block has some), a new factor count, and a data set it cannot show. And the One step
// page: one batch, its movies' arrows, the followed rating worked in numbers, an edit that pulls
// the prediction, and clicks-only data refused.
#include "TestUtil.h"
#include "ui/views/MapWidget.h"
#include "ui/views/SpreadsheetView.h"
#include "ui/views/StepView.h"

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace factorscope;
using namespace factorscope::ui;

class TestSpreadsheetView : public QObject {
    Q_OBJECT

    // The mean absolute value of the error cells (the rated ones).
    static double meanError(const SpreadsheetView& view) {
        const Crosstab& b = view.block();
        const int f = view.model()->factors();
        double sum = 0;
        for (std::size_t u = 0; u < b.users.size(); ++u)
            for (std::size_t i = 0; i < b.items.size(); ++i)
                if (!std::isnan(b.at(u, i)))
                    sum += std::abs(view.sheet()->item(f + int(u), f + int(i))->text().toDouble());
        return sum / double(filledCells(b));
    }

private Q_SLOTS:
    void errorsShrinkAsItTrains() {
        SpreadsheetView view;
        view.setData(std::make_shared<const Dataset>(test::smallDemo()));
        QCOMPARE(view.sheet()->rowCount(), 3 + 15);
        QCOMPARE(view.sheet()->columnCount(), 3 + 15);
        // The factor cells are the model's.
        QCOMPARE(view.sheet()->item(3, 0)->text(), QString::number(view.model()->userFactor(0, 0), 'f', 2));
        QCOMPARE(view.sheet()->item(0, 3)->text(), QString::number(view.model()->itemFactor(0, 0), 'f', 2));
        const double before = meanError(view);
        view.trainEpochs(300);
        const double after = meanError(view);
        qInfo("mean |error| of the rated cells: %.3f at the start, %.3f after 300 epochs", before, after);
        QVERIFY(after < before / 2);
        // Start runs it on a timer; Pause stops it.
        view.setRunning(true);
        const int epochs = view.model()->epochs();
        QVERIFY(QTest::qWaitFor([&] { return view.model()->epochs() > epochs; }, 5000));
        view.setRunning(false);
        QVERIFY(!view.isRunning());
        // Another factor count: a fresh model, as many factor rows and columns.
        view.findChild<QSpinBox*>()->setValue(5);
        QCOMPARE(view.model()->factors(), 5);
        QCOMPARE(view.model()->epochs(), 0);
        QCOMPARE(view.sheet()->columnCount(), 5 + 15);
    }

    void emptyCellsShowPredictions() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K is not at ../shared/data/ml-100k");
        SpreadsheetView view;
        view.setData(std::make_shared<const Dataset>(loadDataset(test::ml100k())));
        const Crosstab& b = view.block();
        QVERIFY(filledCells(b) < b.users.size() * b.items.size());
        view.trainEpochs(200);
        const int f = view.model()->factors();
        for (std::size_t u = 0; u < b.users.size(); ++u)
            for (std::size_t i = 0; i < b.items.size(); ++i)
                if (std::isnan(b.at(u, i))) {
                    const auto* c = view.sheet()->item(f + int(u), f + int(i));
                    QCOMPARE(c->text(), QString::number(view.model()->predict(u, i), 'f', 1));
                    QVERIFY(c->toolTip().startsWith(QStringLiteral("predicted")));
                }
    }

    void oneStepAtATime();
    void noRatingsSaysSo() {
        SpreadsheetView view;
        view.setData(std::make_shared<const Dataset>());
        QVERIFY(!view.model());
        QCOMPARE(view.sheet()->rowCount(), 0);
        view.setRunning(true); // nothing to run
        QVERIFY(!view.isRunning());
        bool said = false;
        for (auto* label : view.findChildren<QLabel*>())
            said = said || label->text().contains(QStringLiteral("no ratings"));
        QVERIFY(said);
    }
};

void TestSpreadsheetView::oneStepAtATime() {
    auto data = std::make_shared<const Dataset>(test::smallDemo());
    StepView view;
    view.setData(data);
    auto* step = view.findChild<QPushButton*>(QStringLiteral("step"));
    QVERIFY(step && step->isEnabled());
    QVERIFY(!view.lesson()); // made when the page is shown or stepped, not on every load
    QVERIFY(view.map()->arrows().isEmpty());
    step->click();
    QCOMPARE(view.lesson()->steps(), int64_t(1));
    QCOMPARE(view.batchTable()->rowCount(), 32);
    // One arrow per movie of the batch, ending where the movie is now, and one for the followed
    // rating's user (a marker at their two factors).
    QCOMPARE(view.map()->arrows().size(), static_cast<qsizetype>(view.lastStep().items.size()) + 1);
    const RatingStep& followed = view.lastStep().ratings.front();
    const auto marker = std::find_if(view.map()->points().begin(), view.map()->points().end(),
                                     [](const MapWidget::Point& p) { return p.marker; });
    QVERIFY(marker != view.map()->points().end());
    QCOMPARE(marker->pos.x(), view.lesson()->user(followed.user)[0]);
    QCOMPARE(view.map()->arrows().back().p2(), marker->pos);
    const StepMove& first = view.lastStep().items.front();
    bool found = false;
    for (const QLineF& a : view.map()->arrows())
        found = found || (std::abs(a.p2().x() - first.after[0]) < 1e-9 && std::abs(a.p2().y() - first.after[1]) < 1e-9);
    QVERIFY(found);
    // The first rating of the batch is followed; its numbers are the step's.
    const RatingStep& s = view.lastStep().ratings.front();
    QCOMPARE(*view.lesson()->followed(), s.row);
    QVERIFY2(view.workedText().contains(QString::number(s.prediction, 'f', 4)), qPrintable(view.workedText()));
    QVERIFY(view.workedText().contains(QString::number(s.error, 'f', 4)));
    QVERIFY(view.workedText().contains(
        QString::number(view.lastStep().userMove(s.user)->after[0], 'f', 4))); // the user's new u1
    QCOMPARE(view.topTable()->rowCount(), 10);

    // Follow another rating of the batch by clicking it, then pull it to the other end.
    const RatingStep other = view.lastStep().ratings[5]; // a copy: the next step replaces the batch
    view.follow(other.row);
    QCOMPARE(*view.lesson()->followed(), other.row);
    const double target = other.rating >= 3 ? 0.5 : 5.0;
    const double before = view.lesson()->predict(other.user, other.item);
    QVERIFY(view.changeRating(target));
    QVERIFY(!view.changeRating(9.0)); // off the scale: refused, said why
    QVERIFY2(view.statusText().contains(QStringLiteral("0.5 to 5.0")), qPrintable(view.statusText()));
    view.step(40);
    const double after = view.lesson()->predict(other.user, other.item);
    QVERIFY2(std::abs(after - target) < std::abs(before - target) - 0.3,
             qPrintable(QStringLiteral("%1 -> %2 toward %3").arg(before).arg(after).arg(target)));
    QCOMPARE(data->ratings.rating[static_cast<std::size_t>(other.row)], float(other.rating)); // data untouched

    // Reset starts again; clicks-only data cannot be stepped.
    view.reset();
    QCOMPARE(view.lesson()->steps(), int64_t(0));
    auto clicks = std::make_shared<Dataset>(test::smallDemo());
    clicks->implicit = true;
    view.setData(clicks);
    QVERIFY(!step->isEnabled());
    QVERIFY(view.statusText().contains(QStringLiteral("no rating values")));
}

QTEST_MAIN(TestSpreadsheetView)
#include "tst_spreadsheetview.moc"
