// Each model kind: output shapes, parameter counts, the y-range, and that training lowers
// the loss on realistic (demo) data.
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/model/Model.h"
#include "core/train/Trainer.h"

using namespace factorscope;

Q_DECLARE_METATYPE(factorscope::ModelKind)

class TestModels : public QObject {
    Q_OBJECT
    void kinds() {
        QTest::addColumn<ModelKind>("kind");
        for (auto k : {ModelKind::Dot, ModelKind::DotBias, ModelKind::Linear, ModelKind::Mlp, ModelKind::NeuMF})
            QTest::newRow(toString(k).c_str()) << k;
    }

private Q_SLOTS:
    void shapes_data() { kinds(); }
    void shapes() {
        QFETCH(ModelKind, kind);
        ModelSpec spec = ModelSpec::defaultsFor(kind);
        spec.factors = 8;
        if (spec.hasHiddenLayers()) {
            spec.hidden = {16, 4};
            spec.dropouts = {0.1, 0.1};
        }
        Model m(spec, 30, 50);
        QCOMPARE(m.itemFactors().rows, int64_t(50));
        QCOMPARE(m.itemFactors().cols, int64_t(8));
        QCOMPARE(m.userFactors().rows, int64_t(30));
        // One row is that row of the table; out of range is an error, not a read past the end.
        const Matrix U = m.userFactors(), V = m.itemFactors();
        const std::vector<float> u29 = m.userFactor(29), v7 = m.itemFactor(7);
        QCOMPARE(u29, std::vector<float>(U.values.begin() + 29 * 8, U.values.begin() + 30 * 8));
        QCOMPARE(v7, std::vector<float>(V.values.begin() + 7 * 8, V.values.begin() + 8 * 8));
        QVERIFY_THROWS_EXCEPTION(SpecError, m.userFactor(30));
        QVERIFY_THROWS_EXCEPTION(SpecError, m.itemFactor(-1));
        const auto p = m.predict({0, 29, 5}, {0, 49, 7});
        QCOMPARE(p.size(), std::size_t(3));
        for (float v : p)
            QVERIFY(std::isfinite(v));
        // Parameter counts follow the architecture.
        int64_t expected = 0;
        switch (kind) {
        case ModelKind::Dot:
            expected = (30 + 50) * 8;
            break;
        case ModelKind::DotBias:
            expected = (30 + 50) * 9;
            break;
        case ModelKind::Linear:
            expected = (30 + 50) * 8 + 8 + 1;
            break;
        case ModelKind::Mlp:
            expected = (30 + 50) * 8 + (16 * 16 + 16) + (16 * 4 + 4) + (4 + 1);
            break;
        case ModelKind::NeuMF:
            expected = 2 * (30 + 50) * 8 + (16 * 16 + 16) + (16 * 4 + 4) + (8 + 4 + 1);
            break;
        case ModelKind::Popularity: // the rankers fitted at once (tst_rankers): their tables
            expected = (30 + 50) * 1;
            break;
        case ModelKind::Random:
            expected = (30 + 50) * 8;
            break;
        case ModelKind::Ease:
            expected = (30 + 50) * 50;
            break;
        case ModelKind::Baseline: // the classic predictors (tst_classic): biases, or none learnt
            expected = 30 + 50;
            break;
        case ModelKind::Knn:
            expected = 0;
            break;
        case ModelKind::SvdPP: // tables per user and three per item, biases (tst_svdpp)
            expected = 30 * 9 + 50 * 17;
            break;
        case ModelKind::AutoRec: // encoder and decoder over the users, their biases (tst_autorec)
            expected = 30 * 8 * 2 + 8 + 30;
            break;
        }
        QCOMPARE(m.parameterCount(), expected);
    }

    void yRangeBoundsPredictions() {
        ModelSpec spec = ModelSpec::defaultsFor(ModelKind::DotBias);
        spec.init = InitKind::Normal;
        spec.initStd = 3.0; // large weights push the sigmoid to its ends
        spec.yMin = 1.0;
        spec.yMax = 5.0;
        Model m(spec, 20, 20);
        std::vector<int32_t> u, i;
        for (int a = 0; a < 20; ++a)
            for (int b = 0; b < 20; ++b) {
                u.push_back(a);
                i.push_back(b);
            }
        for (float p : m.predict(u, i))
            QVERIFY(p >= 1.0f && p <= 5.0f);
    }

    void sameSeedSameWeights() {
        const ModelSpec spec;
        Model a(spec, 10, 10, 5), b(spec, 10, 10, 5), c(spec, 10, 10, 6);
        QCOMPARE(a.itemFactors().values, b.itemFactors().values);
        QVERIFY(a.itemFactors().values != c.itemFactors().values);
    }

    void trainingLowersLoss_data() { kinds(); }
    void trainingLowersLoss() {
        QFETCH(ModelKind, kind);
        const Dataset d = test::smallDemo();
        TrainSpec spec;
        spec.model = ModelSpec::defaultsFor(kind);
        spec.model.factors = 16;
        if (spec.model.hasHiddenLayers()) {
            spec.model.hidden = {32, 16};
            spec.model.dropouts = {0.1, 0.1};
        }
        spec.split = SplitSpec::parse("random:0.2");
        spec.epochs = 6;
        spec.batchSize = 256;
        spec.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Adam);
        spec.threads = 1;
        const Split split = makeSplit(d, spec.split);
        Model m(spec.model, d.users.size(), d.items.size());
        Trainer t(m, spec);
        const TrainResult r = t.run(d, split);
        QCOMPARE(r.history.size(), std::size_t(6));
        QVERIFY2(
            r.history.back().trainLoss < 0.8 * r.history.front().trainLoss,
            qPrintable(QStringLiteral("%1 -> %2").arg(r.history.front().trainLoss).arg(r.history.back().trainLoss)));
        // Every model learns something beyond the mean rating.
        QVERIFY2(r.bestValRmse < r.baselineRmse,
                 qPrintable(QStringLiteral("%1 vs baseline %2").arg(r.bestValRmse).arg(r.baselineRmse)));
    }

    void invalidSpecs_data() {
        QTest::addColumn<QString>("field");
        QTest::newRow("factors") << "factors";
        QTest::newRow("hidden") << "hidden";
        QTest::newRow("dropout") << "dropout";
        QTest::newRow("y-range") << "y-range";
        QTest::newRow("init-std") << "init-std";
    }
    void invalidSpecs() {
        QFETCH(QString, field);
        ModelSpec s = ModelSpec::defaultsFor(ModelKind::Mlp);
        if (field == "factors")
            s.factors = 0;
        else if (field == "hidden")
            s.hidden.clear();
        else if (field == "dropout")
            s.dropouts = {0.5};
        else if (field == "y-range")
            s.yMin = s.yMax;
        else
            s.initStd = -1;
        const QString error = test::errorOf<SpecError>([&] { Model m(s, 5, 5); });
        QVERIFY2(error.startsWith(field), qPrintable(error));
        QVERIFY_THROWS_EXCEPTION(SpecError, Model(ModelSpec{}, 0, 5));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
