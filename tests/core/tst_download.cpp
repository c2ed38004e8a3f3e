// Dataset downloads against a local HTTP server that serves a zip built from a realistic data
// set: success (and the cache), checksum mismatch, truncated transfer, 404, cancel, and the
// CLI's `download`. No test reaches the network.
#include "CliRunner.h"
#include "LocalHttpServer.h"
#include "TestUtil.h"
#include "core/data/DatasetWriter.h"
#include "core/net/Download.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QTemporaryDir>
#include <zip.h>

using namespace factorscope;
using factorscope::test::LocalHttpServer;

namespace {

// ml-latest-small.zip as GroupLens lays it out: one folder with ratings.csv and movies.csv.
QByteArray buildZip(const QString& workDir, const Dataset& data) {
    const QString folder = QDir(workDir).filePath(QStringLiteral("src"));
    QDir().mkpath(folder);
    writeMovieLensCsv(data, folder.toStdString());
    const QString zipPath = QDir(workDir).filePath(QStringLiteral("built.zip"));
    int err = 0;
    zip_t* z = zip_open(zipPath.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    for (const char* name : {"ratings.csv", "movies.csv"}) {
        const std::string src = QDir(folder).filePath(QString::fromLatin1(name)).toStdString();
        zip_source_t* s = zip_source_file(z, src.c_str(), 0, -1);
        zip_file_add(z, (std::string("ml-latest-small/") + name).c_str(), s, 0);
    }
    if (zip_close(z) != 0)
        qFatal("cannot build the test zip");
    QFile f(zipPath);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

QByteArray md5Line(const QByteArray& body) {
    return "MD5 (ml-latest-small.zip) = " + QCryptographicHash::hash(body, QCryptographicHash::Md5).toHex() + "\n";
}

class Recorder : public DownloadObserver {
public:
    void onStage(const std::string& s) override { stages.push_back(s); }
    void onProgress(int64_t done, int64_t total) override {
        last = done;
        lastTotal = total;
        if (cancelAfter > 0 && done >= cancelAfter && cancel)
            *cancel = true;
    }
    std::vector<std::string> stages;
    int64_t last = 0, lastTotal = 0, cancelAfter = 0;
    std::atomic<bool>* cancel = nullptr;
};

QStringList filesUnder(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

} // namespace

class TestDownload : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    Dataset m_data = factorscope::test::smallDemo();
    QByteArray m_zip;

    DownloadOptions options(const LocalHttpServer& server, const QString& cache) {
        DownloadOptions o;
        o.baseUrl = server.baseUrl();
        o.cacheDir = cache.toStdString();
        o.stallSeconds = 5;
        return o;
    }
    QString freshCache(const char* name) {
        const QString c = QDir(m_tmp.path()).filePath(QString::fromLatin1(name));
        QDir().mkpath(c);
        return c;
    }
    QString errorOf(const LocalHttpServer& server, const QString& cache) {
        try {
            fetchDataset(remoteDataset("ml-latest-small"), options(server, cache));
        } catch (const IoError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_zip = buildZip(m_tmp.path(), m_data);
        QVERIFY(m_zip.size() > 10000);
    }

    void catalogueListsTheSevenSets() {
        QStringList names;
        for (const auto& s : remoteDatasets()) {
            names << QString::fromStdString(s.name);
            QVERIFY(s.bytes > 0);
        }
        QCOMPARE(names, QStringList({QStringLiteral("ml-100k"), QStringLiteral("ml-latest-small"),
                                     QStringLiteral("ml-1m"), QStringLiteral("ml-10m"), QStringLiteral("ml-20m"),
                                     QStringLiteral("ml-25m"), QStringLiteral("ml-32m")}));
        QVERIFY_THROWS_EXCEPTION(SpecError, remoteDataset("ml-999k"));
        QVERIFY(groupLensTerms(remoteDataset("ml-1m")).find("redistribute") != std::string::npos);
    }

    void successUnpacksLoadsAndCaches() {
        LocalHttpServer server;
        server.route("/ml-latest-small.zip", {200, m_zip});
        server.route("/ml-latest-small.zip.md5", {200, md5Line(m_zip)});
        const QString cache = freshCache("ok");
        Recorder rec;
        const std::string path = fetchDataset(remoteDataset("ml-latest-small"), options(server, cache), &rec);
        QCOMPARE(QString::fromStdString(path), QDir(cache).filePath(QStringLiteral("ml-latest-small")));
        QCOMPARE(rec.stages, std::vector<std::string>({"checksum", "downloading", "verifying", "unpacking"}));
        QCOMPARE(rec.last, int64_t(m_zip.size()));
        const Dataset loaded = loadDataset(path);
        QCOMPARE(loaded.format, std::string("movielens-csv"));
        QCOMPARE(loaded.ratings.size(), m_data.ratings.size());
        QCOMPARE(loaded.catalogue.size(), m_data.catalogue.size());
        // Nothing but the data set is left behind: no .part, no unpacking folder.
        for (const QString& f : filesUnder(cache))
            QVERIFY2(f.startsWith(QDir(cache).filePath(QStringLiteral("ml-latest-small/"))), qPrintable(f));

        // Cached: a second fetch makes no request.
        const int before = server.requests();
        QCOMPARE(fetchDataset(remoteDataset("ml-latest-small"), options(server, cache)), path);
        QCOMPARE(server.requests(), before);
        QCOMPARE(cachedDataset(remoteDataset("ml-latest-small"), cache.toStdString()), path);
        QVERIFY(cachedDataset(remoteDataset("ml-1m"), cache.toStdString()).empty());
    }

    void checksumMismatchLeavesNothing() {
        LocalHttpServer server;
        QByteArray damaged = m_zip;
        damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
        server.route("/ml-latest-small.zip", {200, damaged});
        server.route("/ml-latest-small.zip.md5", {200, md5Line(m_zip)});
        const QString cache = freshCache("mismatch");
        const QString msg = errorOf(server, cache);
        QVERIFY2(msg.contains(QStringLiteral("checksum mismatch")), qPrintable(msg));
        QVERIFY(filesUnder(cache).isEmpty());
    }

    void truncatedTransfer() {
        LocalHttpServer server;
        server.route("/ml-latest-small.zip", {200, m_zip, LocalHttpServer::Mode::Truncated});
        server.route("/ml-latest-small.zip.md5", {200, md5Line(m_zip)});
        const QString cache = freshCache("truncated");
        const QString msg = errorOf(server, cache);
        QVERIFY2(msg.contains(QStringLiteral("truncated")), qPrintable(msg));
        QVERIFY(filesUnder(cache).isEmpty());
    }

    void notFound() {
        LocalHttpServer server; // no routes: every path is a 404
        const QString cache = freshCache("404");
        const QString msg = errorOf(server, cache);
        QVERIFY2(msg.contains(QStringLiteral("HTTP 404")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("ml-latest-small.zip")), qPrintable(msg));
        // The zip itself missing, with its checksum present.
        server.route("/ml-latest-small.zip.md5", {200, md5Line(m_zip)});
        QVERIFY(errorOf(server, cache).contains(QStringLiteral("HTTP 404")));
        QVERIFY(filesUnder(cache).isEmpty());
    }

    void checksumFileWithoutAHash() {
        LocalHttpServer server;
        server.route("/ml-latest-small.zip.md5", {200, "<html>maintenance</html>"});
        const QString msg = errorOf(server, freshCache("nohash"));
        QVERIFY2(msg.contains(QStringLiteral("no MD5 checksum")), qPrintable(msg));
    }

    void cancelMidTransfer() {
        LocalHttpServer server;
        QByteArray big = m_zip.repeated(8); // ~20 x 20 ms pieces: time to cancel
        server.route("/ml-latest-small.zip", {200, big, LocalHttpServer::Mode::Slow});
        server.route("/ml-latest-small.zip.md5", {200, md5Line(big)});
        const QString cache = freshCache("cancel");
        std::atomic<bool> cancel{false};
        Recorder rec;
        rec.cancel = &cancel;
        rec.cancelAfter = 16384;
        QVERIFY_THROWS_EXCEPTION(DownloadCancelled,
                                 fetchDataset(remoteDataset("ml-latest-small"), options(server, cache), &rec, &cancel));
        QVERIFY(rec.last < big.size());
        QVERIFY(filesUnder(cache).isEmpty());
    }

    void offlineSaysSo() {
        DownloadOptions o;
        o.baseUrl = "http://127.0.0.1:1/"; // nothing listens on port 1
        o.cacheDir = freshCache("offline").toStdString();
        const QString error = test::errorOf<IoError>([&] { fetchDataset(remoteDataset("ml-100k"), o); });
        QVERIFY2(error.contains(QStringLiteral("offline")), qPrintable(error));
    }

    void plainHttpElsewhereIsRefused() {
        DownloadOptions o;
        o.baseUrl = "http://files.grouplens.org/datasets/movielens/";
        o.cacheDir = freshCache("http").toStdString();
        const QString error = test::errorOf<IoError>([&] { fetchDataset(remoteDataset("ml-100k"), o); });
        QVERIFY2(error.contains(QStringLiteral("only HTTPS")), qPrintable(error));
    }

    void zipThatEscapesIsRefused() {
        const QString zipPath = QDir(m_tmp.path()).filePath(QStringLiteral("evil.zip"));
        int err = 0;
        zip_t* z = zip_open(zipPath.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
        static const char kText[] = "x";
        zip_file_add(z, "../outside.txt", zip_source_buffer(z, kText, 1, 0), 0);
        QCOMPARE(zip_close(z), 0);
        const QString dest = freshCache("evil");
        QVERIFY_THROWS_EXCEPTION(IoError, unzipTo(zipPath.toStdString(), dest.toStdString()));
        QVERIFY(!QFile::exists(QDir(m_tmp.path()).filePath(QStringLiteral("outside.txt"))));
        QVERIFY_THROWS_EXCEPTION(
            IoError,
            unzipTo(QDir(m_tmp.path()).filePath(QStringLiteral("src/ratings.csv")).toStdString(), dest.toStdString()));
    }

    void cliDownload() {
        LocalHttpServer server;
        server.route("/ml-latest-small.zip", {200, m_zip});
        server.route("/ml-latest-small.zip.md5", {200, md5Line(m_zip)});
        const QString cache = freshCache("cli");
        const QString base = QString::fromStdString(server.baseUrl());
        // Without consent: the terms, and exit 2.
        auto r = factorscope::test::runCli({QStringLiteral("download"), QStringLiteral("ml-latest-small"),
                                            QStringLiteral("--cache"), cache, QStringLiteral("--base-url"), base});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.stderrText.contains(QStringLiteral("--accept-terms")), qPrintable(r.stderrText));
        QVERIFY(r.stderrText.contains(QStringLiteral("GroupLens")));
        QCOMPARE(server.requests(), 0);
        r = factorscope::test::runCli({QStringLiteral("download"), QStringLiteral("ml-latest-small"),
                                       QStringLiteral("--accept-terms"), QStringLiteral("--cache"), cache,
                                       QStringLiteral("--base-url"), base});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.last()[QStringLiteral("ratings")].toInteger(), qint64(m_data.ratings.size()));
        QCOMPARE(r.last()[QStringLiteral("cached")].toBool(), false);
        // Cached now: no consent needed, no request made.
        const int before = server.requests();
        r = factorscope::test::runCli(
            {QStringLiteral("download"), QStringLiteral("ml-latest-small"), QStringLiteral("--cache"), cache});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.last()[QStringLiteral("cached")].toBool(), true);
        QCOMPARE(server.requests(), before);
        r = factorscope::test::runCli(
            {QStringLiteral("download"), QStringLiteral("--list"), QStringLiteral("--cache"), cache});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lines.size(), 7);
        // Bad command lines.
        r = factorscope::test::runCli({QStringLiteral("download"), QStringLiteral("ml-3k")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.stderrText.contains(QStringLiteral("known: ml-100k")));
        r = factorscope::test::runCli({QStringLiteral("download")});
        QCOMPARE(r.exitCode, 2);
        r = factorscope::test::runCli({QStringLiteral("download"), QStringLiteral("ml-100k"),
                                       QStringLiteral("--accept-terms"), QStringLiteral("--cache"),
                                       freshCache("cli404"), QStringLiteral("--base-url"), base});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText.contains(QStringLiteral("HTTP 404")), qPrintable(r.stderrText));
    }
};

QTEST_GUILESS_MAIN(TestDownload)
#include "tst_download.moc"
