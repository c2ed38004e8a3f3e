// I-AutoRec: AutorecStep's sparse objective against the paper's dense masked one, what it learns
// (the demo data; MovieLens 100K's u1 split), its settings and refusals, the user nobody saw,
// explanations, ranking, and checkpoints (including damaged ones).
#include "DamagedWeights.h"
#include "TestUtil.h"

#include "core/analysis/Recommend.h"
#include "core/common/Error.h"
#include "core/model/AutoRec.h"
#include "core/model/ModelImpl.h"
#include "core/train/Checkpoint.h"
#include "core/train/LrFinder.h"
#include "core/train/Optimizers.h"
#include "core/train/StepPath.h"
#include "core/train/TensorPack.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace factorscope;

namespace {

TrainSpec autorecSpec(int epochs) {
    TrainSpec s = test::quickSpec(epochs, 256);
    s.setModelKind(ModelKind::AutoRec);
    s.epochs = epochs;
    s.rankK = 0;
    return s;
}

AutoRecModelImpl& netOf(Model& m) { return dynamic_cast<AutoRecModelImpl&>(*m.impl().net); }

double rmseOf(const TrainResult& r) { return std::isnan(r.testRmse) ? r.bestValRmse : r.testRmse; }

} // namespace

class TestAutoRec : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo(11);
    Split m_split;

private Q_SLOTS:
    void initTestCase() { m_split = makeSplit(m_data, SplitSpec::parse("random:0.2")); }

    // One plain-SGD step over every movie at once equals the step on the paper's objective
    // written densely: R (movies x users) with a mask, sigmoid(R E + b) decoded by D and c,
    // sum over the observed entries of the squared error, plus lambda/2 (|E|^2 + |D|^2). On the
    // demo data (16 % observed) the step builds the block; on a sparse set (0.8 %) it reads bags.
    void stepMatchesTheDenseObjective_data() {
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("ratings");
        QTest::newRow("dense block") << 200 << 12000;
        QTest::newRow("sparse bags") << 2000 << 5000;
    }
    void stepMatchesTheDenseObjective() {
        QFETCH(int, users);
        QFETCH(int, ratings);
        DemoSpec d;
        d.seed = 5;
        d.users = users;
        d.movies = 300;
        d.ratings = ratings;
        const Dataset data = generateDemo(d);
        const Split split = makeSplit(data, SplitSpec::parse("random:0.2"));
        TrainSpec s = autorecSpec(1);
        s.model.factors = 6;
        s.model.autorecLambda = 3;
        s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        s.optimizer.momentum = 0;
        s.optimizer.weightDecay = 0;
        s.batchSize = data.items.size(); // one batch: the penalty's share is 1
        Model model(s.model, data.users.size(), data.items.size(), s.seed);
        auto optimizer = makeOptimizer(s.optimizer, model.impl().net->parameters());
        AutorecStep step(model, *optimizer, s, data, split.train);
        AutoRecModelImpl& net = netOf(model);
        // The dense reference, from the weights the step starts from.
        const auto leaf = [](const torch::Tensor& t) { return t.detach().clone().requires_grad_(true); };
        auto E = leaf(net.encoder), b = leaf(net.encoderBias), D = leaf(net.decoder), c = leaf(net.decoderBias);
        auto R = torch::zeros({data.items.size(), data.users.size()}), M = torch::zeros_like(R);
        for (int64_t r : split.train) {
            const auto k = static_cast<std::size_t>(r);
            R[data.ratings.item[k]][data.ratings.user[k]] = data.ratings.rating[k];
            M[data.ratings.item[k]][data.ratings.user[k]] = 1.0;
        }
        const auto out = torch::sigmoid(R.matmul(E) + b).matmul(D.t()) + c;
        const double lambda = s.model.autorecLambda;
        const auto loss = ((out - R) * M).pow(2).sum() + 0.5 * lambda * (E.pow(2).sum() + D.pow(2).sum());
        loss.backward();
        const double lr = 1e-4;
        const double mse =
            step.step(data, split.train.data(), static_cast<int64_t>(split.train.size()), lr, std::nullopt);
        const double want = (((out - R) * M).pow(2).sum() / M.sum()).item<double>();
        QVERIFY2(std::abs(mse - want) < 1e-4 * want, qPrintable(QStringLiteral("%1 against %2").arg(mse).arg(want)));
        double worst = 0;
        for (auto [got, before] :
             {std::pair{net.encoder, E}, {net.encoderBias, b}, {net.decoder, D}, {net.decoderBias, c}}) {
            const auto expected = before.detach() - lr * before.grad();
            worst = std::max(worst, (got.detach() - expected).abs().max().item<double>());
        }
        QVERIFY2(worst < 1e-5, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
    }

    // On the demo data it learns the planted structure: better than the baseline's biases.
    void learnsTheDemoData() {
        TrainSpec s = autorecSpec(60);
        s.model.factors = 100;
        s.model.autorecLambda = 20;
        s.batchSize = 32;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const TrainResult r = Trainer(model, s).run(m_data, m_split);
        TrainSpec b = test::quickSpec(1, 256);
        b.setModelKind(ModelKind::Baseline);
        b.rankK = 0;
        Model baseline(b.model, m_data.users.size(), m_data.items.size(), b.seed);
        const TrainResult rb = Trainer(baseline, b).run(m_data, m_split);
        qInfo("demo data: autorec %.4f, baseline %.4f", rmseOf(r), rmseOf(rb));
        QVERIFY(r.history.back().trainLoss < r.history.front().trainLoss);
        QVERIFY(rmseOf(r) < rmseOf(rb));
    }

    // A user with no training rating keeps the mean as their offset (nothing moves it) and is
    // predicted close to the mean; the explanation's parts add up to the prediction.
    void theUserNobodySawAndExplanations() {
        std::vector<int64_t> train;
        for (int64_t r : m_split.train)
            if (m_data.ratings.user[static_cast<std::size_t>(r)] != 0)
                train.push_back(r);
        Split split = m_split;
        split.train = train;
        TrainSpec s = autorecSpec(20);
        s.model.factors = 20;
        s.batchSize = 16; // 380 Adam steps: the unseen user's decoder row decays to about 0
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(model, s).run(m_data, split);
        double mean = 0;
        for (int64_t r : train)
            mean += m_data.ratings.rating[static_cast<std::size_t>(r)];
        mean /= static_cast<double>(train.size());
        QCOMPARE(model.userBiases()[0], static_cast<float>(mean));
        QVERIFY(std::abs(model.predict({0}, {5}).front() - mean) < 0.2);
        const Explanation e = explain(model, 3, 7);
        QVERIFY(e.decomposes && e.biases && !e.itemBiasPart);
        QCOMPARE(e.factors.size(), std::size_t(20));
        double parts = e.userBias;
        for (double f : e.factors)
            parts += f;
        QVERIFY(std::abs(parts - e.raw) < 1e-4);
        QVERIFY(std::abs(std::clamp(e.raw, 1.0, 5.0) - e.prediction) < 1e-4);
    }

    void settingsAndRefusals() {
        TrainSpec fresh;
        fresh.setModelKind(ModelKind::AutoRec);
        QVERIFY(fresh.epochs == 25 && fresh.optimizer.kind == OptimizerKind::Adam && fresh.optimizer.lr == 1e-3 &&
                fresh.optimizer.weightDecay == 0);
        QVERIFY(fresh.batchSize == 256 && fresh.model.factors == 500 && fresh.model.autorecLambda == 200);
        TrainSpec s = autorecSpec(2);
        for (auto [field, change] : std::initializer_list<std::pair<const char*, void (*)(TrainSpec&)>>{
                 {"loss", [](TrainSpec& t) { t.loss = LossKind::Bpr; }},
                 {"autorec-lambda", [](TrainSpec& t) { t.model.autorecLambda = -1; }},
                 {"autorec-lambda", [](TrainSpec& t) { t.model.autorecLambda = NAN; }},
                 {"engine", [](TrainSpec& t) { t.engine = Engine::Fused; }}}) {
            TrainSpec t = s;
            change(t);
            try {
                t.validate();
                QFAIL(field);
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string(field));
            }
        }
        s.model.factors = 8;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const QString lr =
            test::errorOf<TrainingError>([&] { findLearningRate(model, m_data, m_split, s, LrFindSpec{}); });
        QVERIFY2(lr.contains(QStringLiteral("autorec")), qPrintable(lr));
        s.setModelKind(ModelKind::DotBias); // leaving AutoRec restores the trained models' settings
        const TrainSpec plain;
        QVERIFY(s.optimizer.kind == plain.optimizer.kind && s.epochs == plain.epochs && s.batchSize == plain.batchSize);
    }

    // A checkpoint keeps the fit; ranking's one product gives what the pairs give; damaged
    // tables are refused before a prediction reads them.
    void checkpointsAndRanking() {
        TrainSpec s = autorecSpec(3);
        s.model.factors = 16;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer trainer(model, s);
        trainer.run(m_data, m_split);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("autorec.fsckpt")).toStdString();
        saveCheckpoint(path, trainer, m_data);
        const LoadedCheckpoint back = loadCheckpoint(path);
        QVERIFY(back.info.spec.model.kind == ModelKind::AutoRec);
        QVERIFY(back.model->predictAll({0, 7}) == model.predictAll({0, 7}));
        const std::vector<float> all = model.predictAll({3}), pairs = model.predict({3, 3}, {0, 5});
        QVERIFY(std::abs(all[0] - pairs[0]) < 1e-5 && std::abs(all[5] - pairs[1]) < 1e-5);
        QCOMPARE(model.itemFactors().cols, int64_t(16)); // the movies' codes: the explorer's map

        const NamedTensors good = weightsOf(*model.impl().net);
        const auto damaged = [&](const std::string& name, auto change) {
            return test::damagedLoadError(good, name, change, s.model, m_data.users.size(), m_data.items.size(),
                                          s.seed);
        };
        QVERIFY(damaged("raters", [](torch::Tensor t) { return t.fill_(100000); }).contains("out of range"));
        QVERIFY(damaged("rater_offsets", [](torch::Tensor t) { return t.flip(0); }).contains("span"));
        QVERIFY(damaged("code", [](torch::Tensor t) { return t.narrow(1, 0, 3); }).contains("sizes"));
        QVERIFY(damaged("decoder", [](torch::Tensor t) { return t.fill_(NAN); }).contains("not finite"));
    }

    // MovieLens 100K's u1 split at the defaults: well under the baseline (0.9435 random 5-fold).
    void movieLensU1() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K "; set -DFACTORSCOPE_ML100K=... to run this");
        const Dataset data = loadDataset(test::ml100k());
        TrainSpec s = autorecSpec(25);
        s.split = SplitSpec::parse("u1");
        s.threads = 2;
        const Split split = makeSplit(data, s.split);
        Model model(s.model, data.users.size(), data.items.size(), s.seed);
        const TrainResult r = Trainer(model, s).run(data, split);
        qInfo("MovieLens 100K u1 RMSE: autorec %.4f", rmseOf(r));
        QVERIFY(rmseOf(r) < 0.92);
    }
};

QTEST_GUILESS_MAIN(TestAutoRec)
#include "tst_autorec.moc"
