// The NumPy export: the bytes numpy.load expects (format 1.0: magic, version, a header dict
// padded to 64 bytes, little-endian data in C order), the tables and ids of a trained model,
// biases only where the model has them, and what it refuses.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/io/NpyExport.h"
#include "core/train/Trainer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace factorscope;

namespace {

struct Npy {
    QByteArray header; // the dict
    QByteArray data;
};

// Reads a .npy file as numpy's format 1.0 defines it; fails the test where it does not.
Npy readNpy(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = f.readAll();
    if (all.size() < 10 || !all.startsWith(QByteArray("\x93NUMPY\x01\x00", 8)))
        return {};
    const int len = static_cast<unsigned char>(all[8]) | static_cast<unsigned char>(all[9]) << 8;
    if ((10 + len) % 64 != 0 || all.size() < 10 + len || all[10 + len - 1] != '\n')
        return {};
    return {all.mid(10, len), all.mid(10 + len)};
}

template <class T> std::vector<T> valuesOf(const Npy& n) {
    std::vector<T> v(static_cast<std::size_t>(n.data.size()) / sizeof(T));
    std::memcpy(v.data(), n.data.constData(), v.size() * sizeof(T));
    return v;
}

} // namespace

class TestNpyExport : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();
    QTemporaryDir m_tmp;

    Model trained(ModelKind kind) {
        TrainSpec s = test::quickSpec(2, 256);
        s.setModelKind(kind);
        s.model.factors = 6;
        Model m(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(m, s).run(m_data, makeSplit(m_data, s.split));
        return m;
    }

private Q_SLOTS:
    void tablesAsNumpyReadsThem() {
        const Model m = trained(ModelKind::DotBias);
        const QString dir = m_tmp.filePath(QStringLiteral("dotbias"));
        const auto names = writeNpyTables(dir.toStdString(), m, m_data.users, m_data.items);
        QCOMPARE(names, (std::vector<std::string>{"user_factors.npy", "item_factors.npy", "user_ids.npy",
                                                  "item_ids.npy", "user_bias.npy", "item_bias.npy"}));
        const Npy items = readNpy(dir + QStringLiteral("/item_factors.npy"));
        const QByteArray shape = "'shape': (" + QByteArray::number(m_data.items.size()) + ", 6)";
        QVERIFY2(items.header.startsWith("{'descr': '<f4', 'fortran_order': False, ") && items.header.contains(shape),
                 items.header.constData());
        const Matrix f = m.itemFactors();
        QCOMPARE(valuesOf<float>(items), f.values); // row by row, as the model's items
        const Npy ids = readNpy(dir + QStringLiteral("/item_ids.npy"));
        QVERIFY2(ids.header.contains("'descr': '<i8'") &&
                     ids.header.contains("'shape': (" + QByteArray::number(m_data.items.size()) + ",)"),
                 ids.header.constData());
        QCOMPARE(valuesOf<int64_t>(ids), m_data.items.originals());
        QCOMPARE(valuesOf<float>(readNpy(dir + QStringLiteral("/user_bias.npy"))), m.userBiases());
        QCOMPARE(valuesOf<float>(readNpy(dir + QStringLiteral("/user_factors.npy"))), m.userFactors().values);
    }

    void noBiasesWhereTheModelHasNone() {
        const Model m = trained(ModelKind::Dot);
        const QString dir = m_tmp.filePath(QStringLiteral("dot"));
        QCOMPARE(writeNpyTables(dir.toStdString(), m, m_data.users, m_data.items).size(), std::size_t(4));
        QVERIFY(!QFile::exists(dir + QStringLiteral("/user_bias.npy")));
    }

    void refusesWhatItCannotWrite() {
        const QString file = m_tmp.filePath(QStringLiteral("a-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const Model m = trained(ModelKind::Dot);
        try {
            writeNpyTables((file + QStringLiteral("/sub")).toStdString(), m, m_data.users, m_data.items);
            QFAIL("wrote under a file");
        } catch (const IoError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(file), e.what());
        }
        try {
            writeNpy(m_tmp.filePath(QStringLiteral("x.npy")).toStdString(), std::vector<float>(5), {2, 3});
            QFAIL("5 values took a 2 x 3 shape");
        } catch (const IoError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("5 values")), e.what());
        }
        QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("x.npy")))); // nothing half-written
    }
};

QTEST_GUILESS_MAIN(TestNpyExport)
#include "tst_npyexport.moc"
