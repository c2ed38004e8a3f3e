// SVD++: its once-per-user update of the implicit factors against Surprise's rating-by-rating
// SGD written here, its settings and refusals, and a checkpoint round trip.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/Checkpoint.h"
#include "core/train/LrFinder.h"
#include "core/train/StepPath.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace factorscope;

namespace {

TrainSpec classicSpec(ModelKind kind) {
    TrainSpec s = test::quickSpec(5, 256);
    s.setModelKind(kind);
    return s;
}

} // namespace

class TestSvdpp : public QObject {
    Q_OBJECT
    Dataset m_data = [] {
        DemoSpec d;
        d.seed = 3;
        d.users = 40;
        d.movies = 30;
        d.ratings = 500;
        return generateDemo(d);
    }();
    Split m_split;

private Q_SLOTS:
    void initTestCase() { m_split = makeSplit(m_data, SplitSpec::parse("random:0.2")); }

    // SvdppStep's once-per-user update of the implicit factors gives what Surprise's SGD gives
    // when it recomputes the implicit sum and steps every y_j at each rating.
    void svdppMatchesRatingByRatingSgd() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        s.model.factors = 4;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        std::vector<int64_t> rows = m_split.train;
        std::mt19937 rng(5);
        std::shuffle(rows.begin(), rows.end(), rng);
        SvdppStep step(model, s, m_data, rows);
        const auto table = [&](const char* name) {
            for (const auto& p : model.impl().net->named_parameters())
                if (p.key() == name)
                    return std::vector<float>(p.value().data_ptr<float>(),
                                              p.value().data_ptr<float>() + p.value().numel());
            return std::vector<float>();
        };
        std::vector<float> P = table("user"), Q = table("item"), Y = table("implicit"), BU = table("user_bias"),
                           BI = table("item_bias");
        // The reference: users in the order they first appear, each one's ratings in order.
        std::vector<int32_t> order;
        std::vector<std::vector<int64_t>> byUser(m_data.users.size()), rated(m_data.users.size());
        for (int64_t r : rows) {
            const int u = m_data.ratings.user[r];
            if (byUser[u].empty())
                order.push_back(u);
            byUser[u].push_back(r);
            rated[u].push_back(m_data.ratings.item[r]);
        }
        double mean = 0;
        for (int64_t r : rows)
            mean += m_data.ratings.rating[r];
        mean /= static_cast<double>(rows.size());
        const int f = 4;
        const double lr = s.optimizer.lr, reg = s.optimizer.weightDecay;
        for (int epoch = 0; epoch < 3; ++epoch) {
            for (int u : order)
                for (int64_t r : byUser[u]) {
                    const int i = m_data.ratings.item[r];
                    const double sq = std::sqrt(static_cast<double>(rated[u].size()));
                    std::vector<double> impl(f, 0.0);
                    for (int64_t j : rated[u])
                        for (int c = 0; c < f; ++c)
                            impl[c] += Y[j * f + c] / sq;
                    double est = mean + BU[u] + BI[i];
                    for (int c = 0; c < f; ++c)
                        est += Q[i * f + c] * (P[u * f + c] + impl[c]);
                    const double err = m_data.ratings.rating[r] - est;
                    BU[u] += lr * (err - reg * BU[u]);
                    BI[i] += lr * (err - reg * BI[i]);
                    for (int c = 0; c < f; ++c) {
                        const double p = P[u * f + c], q = Q[i * f + c];
                        P[u * f + c] += lr * (err * q - reg * p);
                        Q[i * f + c] += lr * (err * (p + impl[c]) - reg * q);
                        for (int64_t j : rated[u])
                            Y[j * f + c] += lr * (err * q / sq - reg * Y[j * f + c]);
                    }
                }
            step.step(m_data, rows.data(), static_cast<int64_t>(rows.size()), lr, std::nullopt);
        }
        step.endEpoch();
        double worst = 0;
        for (auto [name, want] : {std::pair{"user", &P}, {"item", &Q}, {"implicit", &Y}, {"item_bias", &BI}}) {
            const std::vector<float> got = table(name);
            for (std::size_t k = 0; k < got.size(); ++k)
                worst = std::max(worst, static_cast<double>(std::abs(got[k] - (*want)[k])));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
    }

    void svdppRefusesWhatItCannotDo() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        QVERIFY(s.optimizer.kind == OptimizerKind::Sgd && s.optimizer.lr == 0.01 && s.epochs == 20);
        for (auto [field, change] : std::initializer_list<std::pair<const char*, void (*)(TrainSpec&)>>{
                 {"optimizer", [](TrainSpec& t) { t.optimizer.kind = OptimizerKind::Adam; }},
                 {"optimizer", [](TrainSpec& t) { t.optimizer.momentum = 0.9; }},
                 {"loss", [](TrainSpec& t) { t.loss = LossKind::Bpr; }},
                 {"device", [](TrainSpec& t) { t.device = "cuda"; }}}) {
            TrainSpec t = s;
            change(t);
            try {
                t.validate();
                QFAIL(field);
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string(field));
            }
        }
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const QString lr =
            test::errorOf<TrainingError>([&] { findLearningRate(model, m_data, m_split, s, LrFindSpec{}); });
        QVERIFY2(lr.contains(QStringLiteral("svdpp")), qPrintable(lr));
        s.setModelKind(ModelKind::DotBias); // leaving SVD++ restores the trained models' settings
        QVERIFY(s.optimizer.kind == TrainSpec().optimizer.kind && s.epochs == TrainSpec().epochs);
    }

    void svdppCheckpointKeepsTheFit() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        s.epochs = 3;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer trainer(model, s);
        const TrainResult r = trainer.run(m_data, m_split);
        QCOMPARE(r.history.size(), std::size_t(3));
        QVERIFY(r.history[2].trainLoss < r.history[0].trainLoss);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("svdpp.fsckpt")).toStdString();
        saveCheckpoint(path, trainer, m_data);
        const LoadedCheckpoint back = loadCheckpoint(path);
        QVERIFY(back.info.spec.model.kind == ModelKind::SvdPP);
        QVERIFY(back.model->predictAll({0, 7}) == model.predictAll({0, 7}));
        // Ranking's one product gives what the pairs give.
        const std::vector<float> all = model.predictAll({3}), pairs = model.predict({3, 3}, {0, 5});
        QVERIFY(std::abs(all[0] - pairs[0]) < 1e-5 && std::abs(all[5] - pairs[1]) < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestSvdpp)
#include "tst_svdpp.moc"
