#pragma once
// Helpers shared by the core tests: fixture files and small realistic data sets.
#include "core/data/DemoData.h"
#include "core/train/TrainSpec.h"

#include <QDir>
#include <QFile>
#include <QString>
#include <QtTest>

#include <string>

namespace factorscope::test {

inline std::string writeFile(const QString& dir, const QString& name, const QByteArray& content) {
    const QString path = QDir(dir).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write fixture %s", qPrintable(path));
    f.write(content);
    return path.toStdString();
}

inline bool hasMl100k() { return QFile::exists(QStringLiteral(FACTORSCOPE_ML100K "/u.data")); }
inline std::string ml100k() { return FACTORSCOPE_ML100K; }

// The message of the E that f() throws, or "(no exception thrown)"; an exception of another
// type goes on up and fails the test.
template <class E, class F> QString errorOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no exception thrown)");
}

// A small demo data set: quick to train, still with planted genres.
inline Dataset smallDemo(uint64_t seed = 7) {
    DemoSpec s;
    s.seed = seed;
    s.users = 200;
    s.movies = 300;
    s.ratings = 12000;
    return generateDemo(s);
}

// A spec for the small demo data: a fifth held out at random, one thread.
inline TrainSpec quickSpec(int epochs, int batchSize) {
    TrainSpec s;
    s.split = SplitSpec::parse("random:0.2");
    s.epochs = epochs;
    s.batchSize = batchSize;
    s.threads = 1;
    return s;
}

} // namespace factorscope::test
