// Hostile inputs and failing writes: a zip bomb, a file without line breaks, a data set bigger
// than the memory, and a checkpoint or data write stopped by the file-size limit. Each fails
// with a message naming the file, in bounded memory, leaving earlier files whole.
#include "TestUtil.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/Memory.h"
#include "core/data/Dataset.h"
#include "core/data/DatasetWriter.h"
#include "core/data/TextParse.h"
#include "core/train/Checkpoint.h"
#include "core/train/SpecJson.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>

#include <csignal>
#include <cstring>
#include <sys/resource.h>
#include <zip.h>

using namespace factorscope;
using factorscope::test::errorOf;
using factorscope::test::writeFile;

namespace {

// A zip entry of `size` bytes made on the fly (a header line, then zeros without a line break),
// so the test never holds the inflated bytes itself.
struct Generated {
    zip_uint64_t size = 0;
    zip_uint64_t pos = 0;
    std::string head;
};

zip_int64_t generate(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* g = static_cast<Generated*>(state);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        g->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        const zip_uint64_t n = std::min(len, g->size - g->pos);
        auto* out = static_cast<char*>(data);
        for (zip_uint64_t k = 0; k < n; ++k) {
            const zip_uint64_t at = g->pos + k;
            out[k] = at < g->head.size() ? g->head[at] : '0';
        }
        g->pos += n;
        return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = g->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        std::memset(data, 0, 2 * sizeof(int));
        return 2 * sizeof(int);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        return 0;
    }
}

void writeGeneratedZip(const std::string& path, const char* entry, Generated& g) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    QVERIFY(z);
    zip_source_t* src = zip_source_function(z, generate, &g);
    const zip_int64_t idx = zip_file_add(z, entry, src, 0);
    QVERIFY(idx >= 0);
    QCOMPARE(zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 1), 0);
    QCOMPARE(zip_close(z), 0);
}

long peakRssKb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// Lowers this process's file-size limit for the life of the object (SIGXFSZ ignored, so a
// write past it fails with EFBIG as it does in the programs).
struct FileSizeLimit {
    rlimit before{};
    explicit FileSizeLimit(rlim_t bytes) {
        ignoreFileSizeSignal();
        getrlimit(RLIMIT_FSIZE, &before);
        rlimit l = before;
        l.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &l);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &before); }
};

QStringList partialFiles(const QString& dir) {
    return QDir(dir).entryList({QStringLiteral("*.partial-*")}, QDir::Files);
}

QByteArray contents(const std::string& path) {
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    // First, while this process's peak memory is still small: a 1 GiB entry in a 1 MB zip is
    // refused from its header, before anything is inflated.
    void zipBombIsRefusedInBoundedMemory() {
        const std::string path = QDir(m_tmp.path()).filePath(QStringLiteral("bomb.zip")).toStdString();
        Generated g;
        g.size = zip_uint64_t{1} << 30;
        g.head = "userId,movieId,rating,timestamp\n";
        writeGeneratedZip(path, "ml/ratings.csv", g);
        QVERIFY(QFileInfo(QString::fromStdString(path)).size() < (8 << 20));
        const long before = peakRssKb();
        const QString msg = errorOf<DataError>([&] { loadDataset(path); });
        const long grewMb = (peakRssKb() - before) / 1024;
        QVERIFY2(msg.contains(QStringLiteral("bomb.zip:ml/ratings.csv")) && msg.contains(QStringLiteral("zip bomb")) &&
                     msg.contains(QStringLiteral("1.0 GB")),
                 qPrintable(msg));
        QVERIFY2(grewMb < 400, qPrintable(QStringLiteral("peak memory grew by %1 MB").arg(grewMb)));
    }

    // Under the size any entry may inflate to, the bytes are read; a line past 1 MB is an error
    // naming the entry and the line.
    void zippedLineWithoutEndIsAnError() {
        const std::string path = QDir(m_tmp.path()).filePath(QStringLiteral("long.zip")).toStdString();
        Generated g;
        g.size = 3 << 20;
        g.head = "userId,movieId,rating,timestamp\n";
        writeGeneratedZip(path, "ratings.csv", g);
        const QString msg = errorOf<DataError>([&] { loadDataset(path); });
        QVERIFY2(msg.contains(QStringLiteral("long.zip:ratings.csv:2: the line is longer than 1 MB")), qPrintable(msg));
    }

    void plainFileWithoutLineBreaks() {
        const std::string path = writeFile(m_tmp.path(), QStringLiteral("blob.csv"), QByteArray(3 << 20, 'x'));
        const QString msg = errorOf<DataError>([&] { loadDataset(path); });
        QVERIFY2(msg.contains(QStringLiteral("blob.csv:1: the line is longer than 1 MB")), qPrintable(msg));
        // The catalogue is read by the same lines: a movies.csv without line breaks is named too.
        const QString dir = QDir(m_tmp.path()).filePath(QStringLiteral("catalogue"));
        QDir().mkpath(dir);
        writeFile(dir, QStringLiteral("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4,1\n");
        writeFile(dir, QStringLiteral("movies.csv"), "movieId,title,genres\n" + QByteArray(2 << 20, 'y'));
        const QString cat = errorOf<DataError>([&] { loadDataset(dir.toStdString()); });
        QVERIFY2(cat.contains(QStringLiteral("movies.csv:2: the line is longer than 1 MB")), qPrintable(cat));
    }

    void lineAtTheLimitIsRead() {
        const std::string input = std::string(text::kMaxLineBytes, 'a') + "\nb"; // outlives the reader's view
        text::LineReader r(input);
        std::string_view got;
        QVERIFY(r.next(got));
        QCOMPARE(got.size(), text::kMaxLineBytes);
        QVERIFY(r.next(got));
        QCOMPARE(got, std::string_view("b"));
    }

    void memoryRequirementNamesTheSizes() {
        QVERIFY(availableMemory() > (uint64_t{16} << 20)); // read from /proc/meminfo
        requireMemory(1 << 20, 2 << 20, "Loading x");      // fits: no error
        requireMemory(uint64_t{5} << 40, 0, "Loading x");  // unknown: no check
        const QString msg =
            errorOf<DataError>([] { requireMemory(uint64_t{3} << 30, uint64_t{1} << 30, "Loading r.csv"); });
        QVERIFY2(msg.contains(QStringLiteral("Loading r.csv needs about 3.0 GB")) &&
                     msg.contains(QStringLiteral("1.0 GB is available")),
                 qPrintable(msg));
        QCOMPARE(formatBytes(812), std::string("812 bytes"));
        QCOMPARE(formatBytes(uint64_t{700} << 20), std::string("700 MB"));
    }

    void checkpointPastTheFileSizeLimit() {
        const Dataset d = test::smallDemo();
        TrainSpec spec = TrainSpec::defaults();
        spec.epochs = 1;
        Model model(spec.model, d.users.size(), d.items.size());
        Trainer trainer(model, spec);
        trainer.run(d, makeSplit(d, spec.split));
        const QString dir = QDir(m_tmp.path()).filePath(QStringLiteral("limit"));
        QDir().mkpath(dir);
        const std::string path = QDir(dir).filePath(QStringLiteral("model.fsck")).toStdString();
        saveCheckpoint(path, trainer, d);
        const QByteArray old = contents(path);
        QVERIFY(old.size() > 64 * 1024);
        QString msg;
        {
            FileSizeLimit limit(16 * 1024);
            msg = errorOf<IoError>([&] { saveCheckpoint(path, trainer, d); });
        }
        QVERIFY2(msg.startsWith(QString::fromStdString(path)) && msg.contains(QStringLiteral("file-size limit")) &&
                     msg.contains(QStringLiteral("previous file is untouched")),
                 qPrintable(msg));
        QCOMPARE(contents(path), old);
        QCOMPARE(partialFiles(dir), QStringList());
        QCOMPARE(loadCheckpoint(path).info.history.size(), std::size_t(1)); // still whole
    }

    void dataWritesFailWhole() {
        const Dataset d = test::smallDemo();
        const QString dir = QDir(m_tmp.path()).filePath(QStringLiteral("written"));
        QDir().mkpath(dir);
        writeMovieLensCsv(d, dir.toStdString());
        const QByteArray ratings = contents(QDir(dir).filePath(QStringLiteral("ratings.csv")).toStdString());
        QString msg;
        {
            FileSizeLimit limit(4096);
            msg = errorOf<IoError>([&] { writeMovieLensCsv(d, dir.toStdString()); });
        }
        QVERIFY2(msg.contains(QStringLiteral("ratings.csv")) && msg.contains(QStringLiteral("file-size limit")),
                 qPrintable(msg));
        QCOMPARE(contents(QDir(dir).filePath(QStringLiteral("ratings.csv")).toStdString()), ratings);
        QCOMPARE(partialFiles(dir), QStringList());
        msg = errorOf<IoError>([&] { writeMovieLensCsv(d, "/nonexistent-folder/x"); });
        QVERIFY2(msg.contains(QStringLiteral("/nonexistent-folder/x/ratings.csv")) &&
                     msg.contains(QStringLiteral("does not exist")),
                 qPrintable(msg));
    }

    // Found by fuzz_specjson: a run-store row's epoch of 7.5e24 was converted to int regardless.
    void jsonNumbersThatDoNotFit() {
        const auto epochError = [](const char* text) {
            return errorOf<CheckpointError>([&] { epochStatsFromJson(nlohmann::json::parse(text)); });
        };
        QVERIFY(epochError(R"({"epoch": 7539316540059571266174316, "train_loss": 1, "val_loss": 1})")
                    .contains(QStringLiteral("field \"epoch\" must be a whole number that fits")));
        QVERIFY(epochError(R"({"epoch": 2.5, "train_loss": 1})")
                    .contains(QStringLiteral("\"epoch\" must be a whole number")));
        QVERIFY(epochError(R"({"epoch": 4294967296})").contains(QStringLiteral("fits")));
        QCOMPARE(checkedInteger<uint64_t>(nlohmann::json::parse("18446744073709551615"), "seed"), UINT64_MAX);
        QCOMPARE(checkedInteger<int>(nlohmann::json::parse("-3"), "x"), -3);
        QVERIFY(errorOf<CheckpointError>([] {
                    checkedInteger<uint64_t>(nlohmann::json(-1), "the seed");
                }).contains(QStringLiteral("the seed must be a whole number")));
        QVERIFY(errorOf<CheckpointError>([] {
                    checkedIntegers<int>(nlohmann::json::parse("[1, 1e30]"), "hidden");
                }).contains(QStringLiteral("hidden")));
    }

    void atomicFileDroppedLeavesNothing() {
        const std::string path = QDir(m_tmp.path()).filePath(QStringLiteral("dropped.txt")).toStdString();
        {
            AtomicFile f(path, "the notes");
            f.write("half");
        } // no commit: as when an exception leaves the writer
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        QCOMPARE(partialFiles(m_tmp.path()), QStringList());
        writeFileAtomically(path, "whole", "the notes");
        QCOMPARE(contents(path), QByteArray("whole"));
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
