// Checkpoints: a round trip keeps predictions, specs, id maps and history; training continues
// from one; truncated, damaged, foreign and newer files give clear errors; writes are atomic.
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/train/Checkpoint.h"
#include "core/train/FusedTrainer.h"
#include "core/train/Optimizers.h"
#include "core/train/TensorPack.h"
#include "core/train/TrainerImpl.h"

#include <QTemporaryDir>
#include <zlib.h>

using namespace factorscope;

namespace {

QByteArray readBytes(const std::string& path) {
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}
void writeBytes(const std::string& path, const QByteArray& b) {
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::WriteOnly);
    f.write(b);
}
QString loadError(const std::string& path) {
    try {
        loadCheckpoint(path);
    } catch (const CheckpointError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}
void resealCrc(QByteArray& b) {
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(b.constData()), b.size() - 4));
    for (int k = 0; k < 4; ++k)
        b[b.size() - 4 + k] = static_cast<char>((crc >> (8 * k)) & 0xFF);
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    Dataset m_data = test::smallDemo();
    TrainSpec m_spec;
    Split m_split;
    std::string m_path;
    std::vector<int32_t> m_u, m_i;

private Q_SLOTS:
    void initTestCase() {
        m_spec.split = SplitSpec::parse("random:0.2");
        m_spec.epochs = 2;
        m_spec.batchSize = 256;
        m_spec.threads = 1;
        m_split = makeSplit(m_data, m_spec.split);
        m_path = QDir(m_tmp.path()).filePath("model.fsckpt").toStdString();
        for (int k = 0; k < 50; ++k) {
            m_u.push_back(k);
            m_i.push_back(2 * k);
        }
    }

    void roundTrip() {
        Model m(m_spec.model, m_data.users.size(), m_data.items.size());
        Trainer t(m, m_spec);
        t.run(m_data, m_split);
        saveCheckpoint(m_path, t, m_data);
        const LoadedCheckpoint c = loadCheckpoint(m_path);
        QCOMPARE(c.model->predict(m_u, m_i), m.predict(m_u, m_i));
        QCOMPARE(c.info.history.size(), std::size_t(2));
        QCOMPARE(c.info.history[1].valRmse, t.history()[1].valRmse);
        QCOMPARE(c.info.spec.epochs, 2);
        QCOMPARE(c.info.spec.split.toString(), std::string("random:0.2"));
        QVERIFY(c.info.users == m_data.users);
        QVERIFY(c.info.items == m_data.items);
        QCOMPARE(c.info.itemTitles[3], m_data.catalogue.titleOf(m_data.items.original(3)));
        QCOMPARE(c.info.genreNames, m_data.catalogue.genreNames());
        // Nothing temporary is left behind.
        QCOMPARE(QDir(m_tmp.path()).entryList(QDir::Files).size(), 1);
        // The data set shell predicts and names items without the original files.
        const Dataset shell = datasetFromCheckpoint(c.info);
        QCOMPARE(shell.catalogue.titleOf(shell.items.original(3)), c.info.itemTitles[3]);
    }

    void continueTraining() {
        LoadedCheckpoint c = loadCheckpoint(m_path);
        Trainer t(*c.model, c.info.spec);
        t.setHistory(c.info.history);
        restoreOptimizer(t, c);
        const TrainResult r = t.run(m_data, m_split);
        QCOMPARE(r.history.size(), std::size_t(4));
        QCOMPARE(r.history.back().epoch, 4);
        QVERIFY(r.bestValRmse <= c.info.history[1].valRmse + 1e-9);
    }

    // The fast path's row-wise Adam state (moments, decay and step stamps, the step count)
    // travels with the checkpoint, so a resumed run goes on where it was, not from zero state.
    void fusedOptimiserStateSurvives() {
        TrainSpec spec = m_spec; // AdamW on dotbias: the fused path
        Model model(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer trainer(model, spec);
        trainer.run(m_data, m_split);
        QVERIFY(trainer.impl().fused);
        const std::string path = QDir(m_tmp.path()).filePath("fused.fsckpt").toStdString();
        saveCheckpoint(path, trainer, m_data);

        LoadedCheckpoint c = loadCheckpoint(path);
        Trainer resumed(*c.model, c.info.spec);
        restoreOptimizer(resumed, c);
        QVERIFY(resumed.impl().fused);
        const auto before = trainer.impl().fused->state();
        const auto after = resumed.impl().fused->state();
        QCOMPARE(after.size(), before.size());
        QVERIFY(before.size() >= 2 + 2 * 4 + 2 * 2); // step, decay; moments and row stamps per side, moments per bias
        for (std::size_t k = 0; k < before.size(); ++k) {
            QCOMPARE(after[k].first, before[k].first);
            QVERIFY2(torch::equal(after[k].second, before[k].second), before[k].first.c_str());
        }
        QVERIFY(before[0].second.item<int64_t>() > 0);

        // Checkpoints written before the biases shared their side's row stamps carry a copy
        // for each bias table: it is read (and checked), not needed.
        auto older = before;
        older.emplace_back("fused.t2.updated_at", torch::full({m_data.users.size()}, 3, torch::kLong));
        resumed.impl().fused->setState(older);
        older.back().second = torch::full({m_data.users.size() + 5}, 3, torch::kLong);
        QVERIFY_THROWS_EXCEPTION(CheckpointError, resumed.impl().fused->setState(older));

        // State that does not fit the model is refused by name.
        Model other(spec.model, m_data.users.size() + 1, m_data.items.size(), spec.seed);
        FusedTrainer wrong(other, spec);
        const QString error = test::errorOf<CheckpointError>([&] { wrong.setState(before); });
        QVERIFY2(error.contains(QStringLiteral("does not fit the model")), qPrintable(error));
    }

    // Exact resume on the fused path, for every optimiser: 2 epochs, a checkpoint written and
    // read back, 2 more epochs give the weights of 4 unbroken epochs (to 1e-6). A constant rate,
    // so the schedule's clock (each run's own) does not enter; the lazy row state, the step
    // count, the recent rates and each epoch's order (seeded by the epoch) must all carry over.
    void fusedResumeIsExact_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("momentum");
        QTest::addColumn<bool>("nesterov");
        QTest::newRow("sgd") << int(OptimizerKind::Sgd) << 0.0 << false;
        QTest::newRow("sgd momentum") << int(OptimizerKind::Sgd) << 0.9 << false;
        QTest::newRow("sgd nesterov") << int(OptimizerKind::Sgd) << 0.9 << true;
        QTest::newRow("adam") << int(OptimizerKind::Adam) << 0.9 << false;
        QTest::newRow("adamw") << int(OptimizerKind::AdamW) << 0.9 << false;
        QTest::newRow("adagrad") << int(OptimizerKind::Adagrad) << 0.9 << false;
        QTest::newRow("rmsprop") << int(OptimizerKind::RmsProp) << 0.9 << false;
        QTest::newRow("rmsprop no momentum") << int(OptimizerKind::RmsProp) << 0.0 << false;
    }
    void fusedResumeIsExact() {
        QFETCH(int, kind);
        QFETCH(double, momentum);
        QFETCH(bool, nesterov);
        TrainSpec spec = m_spec; // dotbias on the demo data: the fused path
        spec.engine = Engine::Fused;
        spec.optimizer = OptimizerSpec::defaultsFor(static_cast<OptimizerKind>(kind));
        spec.optimizer.momentum = momentum;
        spec.optimizer.nesterov = nesterov;
        spec.schedule.kind = ScheduleKind::Constant;
        spec.restoreBest = false; // the last epoch's weights go on, as in the unbroken run
        spec.batchSize = 128;
        auto trainEpochs = [&](Model& model, int epochs, const LoadedCheckpoint* from) {
            TrainSpec s = spec;
            s.epochs = epochs;
            Trainer t(model, s);
            if (from) {
                t.setHistory(from->info.history);
                restoreOptimizer(t, *from);
            }
            t.run(m_data, m_split);
            return t.history().size();
        };
        Model unbroken(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        QCOMPARE(trainEpochs(unbroken, 4, nullptr), std::size_t(4));

        Model first(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        {
            TrainSpec s = spec;
            s.epochs = 2;
            Trainer t(first, s);
            t.run(m_data, m_split);
            saveCheckpoint(m_path, t, m_data);
        }
        LoadedCheckpoint c = loadCheckpoint(m_path);
        QCOMPARE(trainEpochs(*c.model, 2, &c), std::size_t(4));

        const auto a = unbroken.itemFactors(), b = c.model->itemFactors();
        const auto pa = unbroken.userFactors(), pb = c.model->userFactors();
        double worst = 0;
        for (std::size_t k = 0; k < a.values.size(); ++k)
            worst = std::max(worst, double(std::abs(a.values[k] - b.values[k])));
        for (std::size_t k = 0; k < pa.values.size(); ++k)
            worst = std::max(worst, double(std::abs(pa.values[k] - pb.values[k])));
        const auto p1 = unbroken.predict(m_u, m_i), p2 = c.model->predict(m_u, m_i);
        for (std::size_t k = 0; k < p1.size(); ++k)
            worst = std::max(worst, double(std::abs(p1[k] - p2[k])));
        QVERIFY2(worst <= 1e-6, qPrintable(QStringLiteral("max |difference| %1").arg(worst)));
        // The comparison can tell: the two epochs alone predict elsewhere.
        double moved = 0;
        const auto p0 = first.predict(m_u, m_i);
        for (std::size_t k = 0; k < p1.size(); ++k)
            moved = std::max(moved, double(std::abs(p1[k] - p0[k])));
        QVERIFY2(moved > 100 * 1e-6, qPrintable(QStringLiteral("moved %1").arg(moved)));
    }

    void overwriteIsAtomic() {
        // Saving over an existing checkpoint replaces it whole; the old one loads until then.
        const QByteArray before = readBytes(m_path);
        Model m(m_spec.model, m_data.users.size(), m_data.items.size(), 99);
        Trainer t(m, m_spec);
        saveCheckpoint(m_path, t, m_data);
        QVERIFY(readBytes(m_path) != before);
        QCOMPARE(loadCheckpoint(m_path).model->predict(m_u, m_i), m.predict(m_u, m_i));
        QVERIFY_THROWS_EXCEPTION(IoError, saveCheckpoint("/nonexistent-folder/x.fsckpt", t, m_data));
    }

    void truncated_data() {
        QTest::addColumn<int>("keep");
        QTest::newRow("signature only") << 10;
        QTest::newRow("header") << 24;
        QTest::newRow("half") << -2;
        QTest::newRow("missing checksum") << -1;
    }
    void truncated() {
        QFETCH(int, keep);
        QByteArray b = readBytes(m_path);
        const int n = keep == -2 ? b.size() / 2 : keep == -1 ? b.size() - 2 : keep;
        const std::string p = QDir(m_tmp.path()).filePath("cut.fsckpt").toStdString();
        writeBytes(p, b.left(n));
        const QString msg = loadError(p);
        QVERIFY2(msg.contains("truncated") || msg.contains("not a Factorscope checkpoint"), qPrintable(msg));
        QVERIFY(msg.contains("cut.fsckpt"));
    }

    void flippedByteFailsTheChecksum() {
        QByteArray b = readBytes(m_path);
        b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 0x5A);
        const std::string p = QDir(m_tmp.path()).filePath("flip.fsckpt").toStdString();
        writeBytes(p, b);
        QVERIFY(loadError(p).contains("checksum does not match"));
    }

    void foreignFiles() {
        const std::string p = QDir(m_tmp.path()).filePath("foreign.fsckpt").toStdString();
        writeBytes(p, "PK\x03\x04 this is a zip, or a PyTorch .pth, not ours");
        QVERIFY(loadError(p).contains("not a Factorscope checkpoint"));
        writeBytes(p, "");
        QVERIFY(loadError(p).contains("not a Factorscope checkpoint"));
        QVERIFY(loadError("/no/such/file.fsckpt").contains("cannot open"));
    }

    // The general path's LibTorch optimisers: their state is read field by field into the
    // checkpoint and written back the same way (format 2 never goes through LibTorch's archives).
    void generalOptimiserStateSurvives_data() {
        QTest::addColumn<int>("kindIndex");
        QTest::newRow("sgd, momentum") << int(OptimizerKind::Sgd);
        QTest::newRow("adam") << int(OptimizerKind::Adam);
        QTest::newRow("adamw") << int(OptimizerKind::AdamW);
        QTest::newRow("adagrad") << int(OptimizerKind::Adagrad);
        QTest::newRow("rmsprop") << int(OptimizerKind::RmsProp);
    }
    void generalOptimiserStateSurvives() {
        QFETCH(int, kindIndex);
        const auto kind = static_cast<OptimizerKind>(kindIndex);
        TrainSpec spec = m_spec;
        spec.engine = Engine::General;
        spec.epochs = 1;
        spec.optimizer.kind = kind;
        spec.optimizer.momentum = 0.9;
        spec.optimizer.lr = kind == OptimizerKind::Sgd ? 0.05 : 0.005;
        Model m(spec.model, m_data.users.size(), m_data.items.size());
        Trainer t(m, spec);
        t.run(m_data, m_split);
        const std::string p = QDir(m_tmp.path()).filePath("general.fsckpt").toStdString();
        saveCheckpoint(p, t, m_data);
        LoadedCheckpoint c = loadCheckpoint(p);
        QCOMPARE(c.info.format, kCheckpointFormat);
        Trainer resumed(*c.model, c.info.spec);
        restoreOptimizer(resumed, c);
        const NamedTensors before = optimizerState(*t.impl().optimizer, kind);
        const NamedTensors after = optimizerState(*resumed.impl().optimizer, kind);
        QVERIFY(!before.empty());
        QCOMPARE(after.size(), before.size());
        for (std::size_t k = 0; k < before.size(); ++k) {
            QCOMPARE(after[k].first, before[k].first);
            QVERIFY2(torch::equal(after[k].second, before[k].second), before[k].first.c_str());
        }
    }

    // A checkpoint of the first format (LibTorch archives inside) still opens.
    void formatOneStillLoads() {
        const LoadedCheckpoint c = loadCheckpoint(FACTORSCOPE_FIXTURES "/format1-tiny.fsckpt");
        QCOMPARE(c.info.format, uint32_t(1));
        QCOMPARE(c.info.history.size(), std::size_t(1));
        const Dataset d = loadDataset(FACTORSCOPE_FIXTURES "/format1-tiny.csv");
        Trainer t(*c.model, c.info.spec);
        restoreOptimizer(t, c);
        for (float v : c.model->predict({0, 1, 2}, {0, 1, 2}))
            QVERIFY(std::isfinite(v));
        QVERIFY(c.info.users == d.users);
    }

    void damagedTensors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string good = packTensors({{"w", torch::ones({2, 3})}, {"n", torch::tensor(int64_t(7))}});
        const QByteArray g = QByteArray::fromStdString(good);
        QTest::newRow("empty") << QByteArray() << "ends inside the tensor count";
        QTest::newRow("truncated") << g.left(g.size() - 3) << "ends inside a tensor's elements";
        QTest::newRow("trailing bytes") << g + "x"
                                        << "bytes after the last tensor";
        QByteArray type = g;
        type[4 + 4 + 1] = 9; // count, name length, "w", then the type
        QTest::newRow("unknown type") << type << "unknown type 9";
        QByteArray dims = g;
        dims[4 + 4 + 1 + 1] = 40;
        QTest::newRow("too many dimensions") << dims << "40 dimensions";
        QByteArray huge = g;
        huge[4 + 4 + 1 + 2 + 7] = 0x7f; // the first size's top byte: 2^62 rows
        QTest::newRow("huge size") << huge << "larger than the bytes that are left";
        QByteArray negative = g;
        negative[4 + 4 + 1 + 2 + 7] = static_cast<char>(0x80); // the first size's sign bit
        QTest::newRow("negative size") << negative << "negative size";
        QByteArray emptyButHuge = g;
        emptyButHuge[4 + 4 + 1 + 2] = 0; // 2 rows -> 0 rows, then 3 columns -> 2^62 columns
        emptyButHuge[4 + 4 + 1 + 2 + 8 + 7] = 0x7f;
        // An empty tensor takes no bytes, so w's six floats are read as the next tensor's header.
        QTest::newRow("empty, then elements") << emptyButHuge << "ends inside a tensor's name";
        QByteArray count = g;
        count[0] = static_cast<char>(0xff);
        count[3] = static_cast<char>(0xff);
        QTest::newRow("huge count") << count << "ends inside";
    }
    void damagedTensors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString msg =
            test::errorOf<CheckpointError>([&] { unpackTensors(bytes.toStdString(), "the model weights"); });
        QVERIFY2(msg.startsWith(QStringLiteral("the model weights are damaged")) && msg.contains(expected),
                 qPrintable(msg));
        // The intact bytes round-trip.
        const NamedTensors back = unpackTensors(packTensors({{"w", torch::ones({2, 3})}}), "x");
        QCOMPARE(back.size(), std::size_t(1));
        QVERIFY(torch::equal(back[0].second, torch::ones({2, 3})));
    }

    void emptyTensorsRoundTrip() {
        // A model with no rows of some table (a data set without genres, a zero-width layer) has
        // tensors with a zero size; they have no storage, and must still pack and unpack.
        const NamedTensors empty{{"rows", torch::empty({0, 3})}, {"cols", torch::zeros({4, 0}, torch::kLong)}};
        const NamedTensors back = unpackTensors(packTensors(empty), "the model weights");
        QCOMPARE(back.size(), std::size_t(2));
        QCOMPARE(back[0].first, std::string("rows"));
        QVERIFY(back[0].second.sizes() == torch::IntArrayRef({0, 3}));
        QVERIFY(back[1].second.sizes() == torch::IntArrayRef({4, 0}));
        QCOMPARE(back[1].second.scalar_type(), torch::kLong);
    }

    void newerFormat() {
        QByteArray b = readBytes(m_path);
        b[16] = 9; // the format number follows the 16-byte signature
        resealCrc(b);
        const std::string p = QDir(m_tmp.path()).filePath("newer.fsckpt").toStdString();
        writeBytes(p, b);
        const QString msg = loadError(p);
        QVERIFY2(msg.contains("newer Factorscope") && msg.contains("format 9"), qPrintable(msg));
    }

    void badMetadataWithValidChecksum() {
        QByteArray b = readBytes(m_path);
        const int at = b.indexOf("\"epochs\"");
        QVERIFY(at > 0);
        b.replace(at, 8, "\"epoxhs\"");
        resealCrc(b);
        const std::string p = QDir(m_tmp.path()).filePath("meta.fsckpt").toStdString();
        writeBytes(p, b);
        const QString msg = loadError(p);
        QVERIFY2(msg.contains("epochs"), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
