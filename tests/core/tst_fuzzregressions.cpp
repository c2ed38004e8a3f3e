// Every input a fuzzer crashed on (tests/fuzz/regressions/TARGET/), run through the same function
// as that fuzzer (tests/fuzz/FuzzTargets.cpp). An exception other than the project's own fails
// here; a sanitizer report fails the asan build.
#include "FuzzTargets.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <map>

namespace {
using Target = int (*)(const uint8_t*, std::size_t);
const std::map<QString, Target> kTargets = {{QStringLiteral("ratings"), factorscope::fuzz::ratings},
                                            {QStringLiteral("catalogue"), factorscope::fuzz::catalogue},
                                            {QStringLiteral("sniffer"), factorscope::fuzz::sniffer},
                                            {QStringLiteral("zip"), factorscope::fuzz::zip},
                                            {QStringLiteral("checkpoint"), factorscope::fuzz::checkpoint},
                                            {QStringLiteral("specjson"), factorscope::fuzz::specjson},
                                            {QStringLiteral("cliargs"), factorscope::fuzz::cliargs},
                                            {QStringLiteral("idrows"), factorscope::fuzz::idrows}};
} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void input_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        const QDir root(QStringLiteral(FACTORSCOPE_FUZZ_REGRESSIONS));
        int n = 0;
        for (const QString& target : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QDir dir(root.filePath(target));
            for (const QString& file : dir.entryList(QDir::Files)) {
                QTest::newRow(qPrintable(target + QLatin1Char('/') + file)) << target << dir.filePath(file);
                ++n;
            }
        }
        if (n == 0)
            qFatal("no regression inputs under %s", FACTORSCOPE_FUZZ_REGRESSIONS);
    }

    void input() {
        QFETCH(QString, target);
        QFETCH(QString, path);
        QVERIFY2(kTargets.count(target), qPrintable(QStringLiteral("no fuzz target named ") + target));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(kTargets.at(target)(reinterpret_cast<const uint8_t*>(bytes.constData()),
                                     static_cast<std::size_t>(bytes.size())),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
