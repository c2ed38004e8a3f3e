// The spreadsheet lesson's core: the block of the most active users and most rated movies (the
// data's crosstab) is the data's, and the tiny factorisation fitted to it lowers its objective every epoch and fits
// the filled cells.
#include "TestUtil.h"

#include "core/analysis/Spreadsheet.h"
#include "core/common/Error.h"

#include <QtTest>

#include <map>

using namespace factorscope;

class TestSpreadsheet : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();

private Q_SLOTS:
    void blockIsTheData() {
        const Crosstab b = crosstab(m_data, 15, 15);
        QCOMPARE(b.users.size(), std::size_t(15));
        QCOMPARE(b.items.size(), std::size_t(15));
        std::map<int32_t, int> perUser, perItem;
        std::map<std::pair<int32_t, int32_t>, float> rating;
        for (std::size_t k = 0; k < m_data.ratings.size(); ++k) {
            ++perUser[m_data.ratings.user[k]];
            ++perItem[m_data.ratings.item[k]];
            rating[{m_data.ratings.user[k], m_data.ratings.item[k]}] = m_data.ratings.rating[k];
        }
        for (std::size_t k = 1; k < b.users.size(); ++k)
            QVERIFY(perUser[b.users[k - 1]] >= perUser[b.users[k]]);
        int most = 0;
        for (const auto& [u, n] : perUser)
            most = std::max(most, n);
        QCOMPARE(perUser[b.users[0]], most);
        for (std::size_t u = 0; u < 15; ++u)
            for (std::size_t i = 0; i < 15; ++i) {
                const auto it = rating.find({b.users[u], b.items[i]});
                if (it == rating.end())
                    QVERIFY(std::isnan(b.at(u, i)));
                else
                    QCOMPARE(b.at(u, i), it->second);
            }
        QVERIFY(filledCells(b) > 20);
    }

    void fitLowersTheLossAndFits() {
        const Crosstab b = crosstab(m_data);
        SheetModel m(b, 3);
        const double start = m.rmse();
        double last = m.loss();
        for (int round = 0; round < 50; ++round) {
            m.train(20);
            QVERIFY(m.loss() <= last + 1e-9); // never up: a step that would raise it is undone
            last = m.loss();
        }
        qInfo("RMSE on the filled cells: %.3f at the start, %.3f after %d epochs (step %.2g)", start, m.rmse(),
              m.epochs(), m.step());
        QCOMPARE(m.epochs(), 1000);
        QVERIFY(m.rmse() < 0.6 && m.rmse() < start / 3);
        for (std::size_t u = 0; u < b.users.size(); ++u)
            for (std::size_t i = 0; i < b.items.size(); ++i)
                QVERIFY(std::isfinite(m.predict(u, i)));
    }

    void handWorked() {
        // 2 x 2 with one empty cell: ratings 4, 2 / 2, ?. One factor, no penalty: p1 q1 = 4,
        // p1 q2 = 2, p2 q1 = 2 fit exactly, so the empty cell is p2 q2 = (2 * 2) / 4 = 1.
        Dataset d;
        d.users = IdMap::fromIds({1, 2});
        d.items = IdMap::fromIds({10, 20});
        d.ratings.push(0, 0, 4, 0);
        d.ratings.push(0, 1, 2, 0);
        d.ratings.push(1, 0, 2, 0);
        const Crosstab b = crosstab(d, 2, 2);
        QVERIFY(std::isnan(b.at(1, 1)));
        SheetModel m(b, 1, 7, 0.0);
        m.train(5000);
        QVERIFY2(m.rmse() < 1e-3, qPrintable(QString::number(m.rmse())));
        QVERIFY(std::abs(m.predict(1, 1) - 1.0) < 1e-2);
    }

    void refusals() {
        Crosstab noUsers = crosstab(m_data); // a block without rows
        noUsers.users.clear();
        noUsers.values.clear();
        const Crosstab noData = crosstab(Dataset{}, 15, 15);
        QVERIFY(test::errorOf<SpecError>([&] { SheetModel(noUsers, 3); }).contains("no ratings to fit"));
        QVERIFY(test::errorOf<SpecError>([&] { SheetModel(noData, 3); }).contains("no ratings to fit"));
        const Crosstab b = crosstab(m_data);
        QVERIFY(test::errorOf<SpecError>([&] { SheetModel(b, 0); }).contains("factors"));
        Crosstab empty = b;
        std::fill(empty.values.begin(), empty.values.end(), NAN);
        QVERIFY(test::errorOf<SpecError>([&] { SheetModel(empty, 3); }).contains("no ratings to fit"));
    }
};

QTEST_GUILESS_MAIN(TestSpreadsheet)
#include "tst_spreadsheet.moc"
