// Ranking metrics: hand-worked lists against the definitions in Ranking.h (Microsoft
// Recommenders' python_evaluation), each user's top K against a brute-force sort of every
// prediction, and a trained model ranking the held-out ratings of planted genres far better
// than its untrained start.
#include "TestUtil.h"

#include "core/analysis/Ranking.h"
#include "core/common/Error.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace factorscope;

class TestRanking : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Ranked 1..5, relevant {2, 5, 9}: hits at ranks 2 and 5.
    void handWorkedList() {
        const UserRanking r = scoreRanking({1, 2, 3, 4, 5}, {2, 5, 9}, 5);
        QCOMPARE(r.precision, 0.4);
        QCOMPARE(r.recall, 2.0 / 3.0);
        const double dcg = 1 / std::log2(3.0) + 1 / std::log2(6.0);
        const double idcg = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0); // min(K, 3) = 3 ideal hits
        QVERIFY(std::abs(r.ndcg - dcg / idcg) < 1e-12);
        QVERIFY(std::abs(r.ndcg - 0.4776237) < 1e-6);                            // 1.0177826 / 2.1309298
        QVERIFY(std::abs(r.averagePrecision - (1.0 / 2 + 2.0 / 5) / 3) < 1e-12); // / min(3, K)
        QVERIFY(r.hit);
    }

    void edgesOfTheDefinitions() {
        const UserRanking miss = scoreRanking({1, 2, 3}, {2}, 1); // only rank 1 counts at K = 1
        QCOMPARE(miss.precision, 0.0);
        QCOMPARE(miss.ndcg, 0.0);
        QVERIFY(!miss.hit);
        const UserRanking perfect = scoreRanking({4, 7}, {7, 4}, 10); // fewer relevant than K
        QCOMPARE(perfect.ndcg, 1.0);
        QCOMPARE(perfect.averagePrecision, 1.0); // divided by min(|relevant|, K) = 2
        QCOMPARE(perfect.recall, 1.0);
        QCOMPARE(perfect.precision, 0.2);                                  // hits / K, however short the list
        const UserRanking many = scoreRanking({1, 2}, {1, 2, 3, 4, 5}, 2); // more relevant than K
        QCOMPARE(many.ndcg, 1.0);
        QCOMPARE(many.averagePrecision, 1.0);
        QCOMPARE(many.recall, 0.4);
    }

    // topK equals sorting every prediction of the user, without the training items, by score
    // (ties: the lower item first); it spans several blocks of users.
    void topKIsTheBestUnseen() {
        const Dataset data = test::smallDemo();
        const Split split = makeSplit(data, SplitSpec::parse("random:0.2"));
        Model model(ModelSpec::defaultsFor(ModelKind::Mlp), data.users.size(), data.items.size(), 3);
        std::vector<int32_t> users;
        for (int32_t u = 0; u < model.users(); u += 7)
            users.push_back(u);
        const auto lists = topK(model, data, split.train, users, 10);
        QCOMPARE(lists.size(), users.size());
        for (std::size_t j = 0; j < users.size(); ++j) {
            std::vector<char> rated(data.items.size(), 0);
            for (int64_t row : split.train)
                if (data.ratings.user[std::size_t(row)] == users[j])
                    rated[std::size_t(data.ratings.item[std::size_t(row)])] = 1;
            std::vector<int32_t> all, us;
            for (int32_t i = 0; i < model.items(); ++i)
                if (!rated[std::size_t(i)])
                    all.push_back(i);
            us.assign(all.size(), users[j]);
            const auto p = model.predict(us, all);
            std::vector<std::size_t> order(all.size());
            for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
            QCOMPARE(lists[j].size(), std::size_t(10));
            for (std::size_t r = 0; r < 10; ++r)
                QCOMPARE(lists[j][r].item, all[order[r]]);
        }
    }

    void aTrainedModelRanksFarBetterThanItsStart() {
        const Dataset data = test::smallDemo();
        TrainSpec spec = test::quickSpec(6, 256);
        const Split split = makeSplit(data, spec.split);
        Model model(spec.model, data.users.size(), data.items.size(), spec.seed);
        RankingOptions o;
        const RankingResult before = rankingMetrics(model, data, split.train, split.validation, o);
        Trainer(model, spec).run(data, split);
        const RankingResult after = rankingMetrics(model, data, split.train, split.validation, o);
        qInfo("nDCG@10 %.3f -> %.3f, P@10 %.3f -> %.3f, coverage %.2f", before.ndcg, after.ndcg, before.precision,
              after.precision, after.coverage);
        QVERIFY(after.ndcg > 1.5 * before.ndcg);
        QVERIFY(after.precision > before.precision);
        for (double m : {after.precision, after.recall, after.ndcg, after.map, after.hitRate, after.coverage})
            QVERIFY(m >= 0 && m <= 1);
        QVERIFY(after.meanPopularity > 0);
        QCOMPARE(after.k, 10);
        // Only the held-out ratings of 4 stars and more: fewer users have something relevant.
        o.relevantAt = 4;
        QVERIFY(rankingMetrics(model, data, split.train, split.validation, o).users < after.users);
    }

    // A user who rated every item in training has nothing left to rank: an empty list, not an
    // error for the others (recommend names such a user when asked for by id).
    void aUserWhoRatedEverythingGetsNothing() {
        Dataset d;
        d.users = IdMap::fromIds({1, 2});
        d.items = IdMap::fromIds({10, 20, 30});
        for (int32_t i = 0; i < 3; ++i)
            d.ratings.push(0, i, 4, i);
        d.ratings.push(1, 0, 3, 9);
        const std::vector<int64_t> rows = {0, 1, 2, 3};
        Model model(ModelSpec{}, 2, 3, 1);
        const auto lists = topK(model, d, rows, {0, 1}, 3);
        QVERIFY(lists[0].empty());
        QCOMPARE(lists[1].size(), std::size_t(2)); // the two it did not rate
        for (const Scored& s : lists[1])
            QVERIFY(s.item != 0);
    }

    void badInputIsNamed() {
        const Dataset data = test::smallDemo();
        const Split split = makeSplit(data, SplitSpec::parse("random:0.2"));
        Model model(ModelSpec{}, data.users.size(), data.items.size(), 1);
        for (int k : {0, -3, model.items() + 1}) {
            RankingOptions o;
            o.k = k;
            try {
                rankingMetrics(model, data, split.train, split.validation, o);
                QFAIL("a bad K was taken");
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string("k"));
            }
        }
        RankingOptions high;
        high.relevantAt = 99; // nobody rated anything that high
        QVERIFY_THROWS_EXCEPTION(SpecError, rankingMetrics(model, data, split.train, split.validation, high));
        QVERIFY_THROWS_EXCEPTION(SpecError, topK(model, data, split.train, {model.users()}, 5));
    }
};

QTEST_GUILESS_MAIN(TestRanking)
#include "tst_ranking.moc"
