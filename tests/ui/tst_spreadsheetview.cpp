// The Spreadsheet page as a student sees it: the factors beside the block, errors in the rated
// cells that shrink as the small model trains, predictions in the empty ones (MovieLens 100K's
// top block has some), a new factor count, and a data set it cannot show.
#include "TestUtil.h"
#include "ui/views/SpreadsheetView.h"

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

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

QTEST_MAIN(TestSpreadsheetView)
#include "tst_spreadsheetview.moc"
