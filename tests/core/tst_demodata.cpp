#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/data/DemoData.h"

#include <cmath>
#include <map>
#include <set>

using namespace factorscope;

class TestDemoData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultSizeAndScale() {
        const Dataset d = generateDemo(DemoSpec{});
        QCOMPARE(d.ratings.size(), std::size_t(100000));
        QCOMPARE(d.users.size(), 1000);
        QCOMPARE(d.items.size(), 1500);
        QCOMPARE(d.catalogue.size(), std::size_t(1500));
        QCOMPARE(d.format, std::string("demo"));
        const DatasetSummary s = summarize(d);
        QCOMPARE(s.ratingMin, 1.0f);
        QCOMPARE(s.ratingMax, 5.0f);
        QVERIFY(s.ratingMean > 3.0 && s.ratingMean < 4.0);
        // Every user has rated at least 20 movies, as in MovieLens.
        std::vector<int> perUser(d.users.size());
        for (int32_t u : d.ratings.user)
            perUser[u]++;
        QVERIFY(*std::min_element(perUser.begin(), perUser.end()) >= 20);
    }

    void sameSeedSameData() {
        const Dataset a = test::smallDemo(11), b = test::smallDemo(11), c = test::smallDemo(12);
        QVERIFY(a.ratings.user == b.ratings.user);
        QVERIFY(a.ratings.item == b.ratings.item);
        QVERIFY(a.ratings.rating == b.ratings.rating);
        QCOMPARE(a.catalogue.titleOf(5), b.catalogue.titleOf(5));
        QVERIFY(a.ratings.item != c.ratings.item);
    }

    void noDuplicatePairsAndUniqueTitles() {
        const Dataset d = generateDemo(DemoSpec{});
        std::set<std::pair<int, int>> pairs;
        for (std::size_t k = 0; k < d.ratings.size(); ++k)
            QVERIFY(pairs.emplace(d.ratings.user[k], d.ratings.item[k]).second);
        std::set<std::string> titles;
        for (const auto& m : d.catalogue.movies()) {
            QVERIFY(titles.insert(m.title).second);
            QVERIFY(m.year >= 1950 && m.year <= 2020);
            QVERIFY(m.genres != 0);
        }
    }

    void popularityHasALongTail() {
        const Dataset d = generateDemo(DemoSpec{});
        std::vector<int> perItem(d.items.size());
        for (int32_t i : d.ratings.item)
            perItem[i]++;
        std::sort(perItem.rbegin(), perItem.rend());
        // The top 10% of movies gather far more than 10% of the ratings.
        const int top = std::accumulate(perItem.begin(), perItem.begin() + 150, 0);
        QVERIFY2(top > 30000, qPrintable(QString::number(top)));
    }

    void plantedGenresShapeRatings() {
        // A user's mean rating of one genre predicts their mean rating of the same genre on
        // other movies better than of the opposite genre: the planted taste is in the data.
        const Dataset d = generateDemo(DemoSpec{});
        const int nG = static_cast<int>(demoGenreNames().size());
        std::vector<std::vector<double>> sum(d.users.size(), std::vector<double>(nG)), cnt = sum;
        for (std::size_t k = 0; k < d.ratings.size(); ++k) {
            const int g = d.demoGenreOfItem[d.ratings.item[k]];
            sum[d.ratings.user[k]][g] += d.ratings.rating[k];
            cnt[d.ratings.user[k]][g] += 1;
        }
        // Correlation across users of mean(Action) and mean(Drama): opposite ends of one axis.
        std::vector<double> a, b;
        for (int u = 0; u < d.users.size(); ++u)
            if (cnt[u][0] >= 3 && cnt[u][1] >= 3) {
                a.push_back(sum[u][0] / cnt[u][0]);
                b.push_back(sum[u][1] / cnt[u][1]);
            }
        QVERIFY(a.size() > 200);
        const double ma = std::accumulate(a.begin(), a.end(), 0.0) / a.size();
        const double mb = std::accumulate(b.begin(), b.end(), 0.0) / b.size();
        double cov = 0, va = 0, vb = 0;
        for (std::size_t k = 0; k < a.size(); ++k) {
            cov += (a[k] - ma) * (b[k] - mb);
            va += (a[k] - ma) * (a[k] - ma);
            vb += (b[k] - mb) * (b[k] - mb);
        }
        const double corr = cov / std::sqrt(va * vb);
        QVERIFY2(corr < -0.2, qPrintable(QString::number(corr)));
    }

    void badSpecs() {
        DemoSpec s;
        s.users = 1;
        QVERIFY_THROWS_EXCEPTION(SpecError, generateDemo(s));
        s = DemoSpec{};
        s.ratings = s.users * s.movies; // denser than half the matrix
        QVERIFY_THROWS_EXCEPTION(SpecError, generateDemo(s));
    }
};

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
