// The fuzz targets' bodies, shared by the libFuzzer programs (fuzz_NAME.cpp, the fuzz preset)
// and by tst_fuzzregressions, which runs every input a fuzzer ever crashed on
// (tests/fuzz/regressions/NAME/) through the same function in the normal and sanitizer builds.
// Each function feeds the bytes to one reader; only the project's typed errors may come out.
#include "FuzzTargets.h"

#include "FuzzUtil.h"
#include "app/cli/Args.h"
#include "app/cli/SpecArgs.h"
#include "core/common/Error.h"
#include "core/data/Dataset.h"
#include "core/data/RatingsReader.h"
#include "core/experiment/GridSearch.h"
#include "core/io/IdRowsFile.h"
#include "core/train/Checkpoint.h"
#include "core/train/SpecJson.h"

#include <cstring>
#include <filesystem>
#include <sstream>
#include <zlib.h>

namespace factorscope::fuzz {

namespace {
// Loads a data set from `path`; the loader's own errors are an answer, anything else a finding.
void loadQuietly(const std::string& path, bool lenient = false) {
    factorscope::LoadOptions options;
    options.lenient = lenient;
    try {
        factorscope::loadDataset(path, options);
    } catch (const factorscope::Error&) {
    }
}
} // namespace

// The ratings parsers of every dialect on any bytes: the first byte picks the dialect (u.data,
// ratings.dat, ratings.csv, a generic file's sniffed layout) and strict or lenient parsing.
// Only factorscope::Error may come out; anything else, a crash or a sanitizer report is a finding.
int ratings(const uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view text = asText(data + 1, size - 1);
    factorscope::detail::RatingsLayout layout;
    switch (data[0] % 4) {
    case 0: // u.data
        layout.separator = "\t";
        layout.timestampRequired = true;
        break;
    case 1: // ratings.dat
        layout.separator = "::";
        layout.timestampRequired = true;
        break;
    default: // ratings.csv and generic files: sniffed from the first line
        try {
            layout = factorscope::detail::sniffLayout(text, "fuzz.csv");
        } catch (const factorscope::Error&) {
            return 0;
        }
    }
    factorscope::LoadOptions options;
    options.lenient = (data[0] & 4) != 0;
    try {
        factorscope::Dataset d;
        factorscope::detail::RawRatings raw =
            factorscope::detail::parseRatings(text, "fuzz", layout, options, d.report);
        factorscope::detail::encodeRatings(std::move(raw), "fuzz", text, layout, options, d);
        if (d.ratings.user.size() != d.ratings.rating.size())
            std::abort();
    } catch (const factorscope::Error&) {
    }
    return 0;
}

// The catalogue readers (u.item with u.genre, movies.dat, movies.csv with quoted titles) on any
// bytes, through the loader beside a small valid ratings file. The first byte picks the file.
int catalogue(const uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view text = asText(data + 1, size - 1);
    const int which = data[0] % 4;
    const std::string dir = scratch() + "/catalogue" + std::to_string(which);
    std::filesystem::create_directories(dir);
    const auto put = [&](const char* name, std::string_view bytes) {
        writeInput("catalogue" + std::to_string(which) + "/" + name, bytes);
    };
    switch (which) {
    case 0:
        put("u.data", "1\t10\t4\t881250949\n2\t20\t3\t881250950\n");
        put("u.item", text);
        break;
    case 1:
        put("u.data", "1\t10\t4\t881250949\n2\t20\t3\t881250950\n");
        put("u.item", "10|Toy Story (1995)|01-Jan-1995||http://x|0|1\n20|Heat (1995)|01-Jan-1995||http://x|1|0\n");
        put("u.genre", text);
        break;
    case 2:
        put("ratings.dat", "1::10::4::1\n2::20::3::2\n");
        put("movies.dat", text);
        break;
    default:
        put("ratings.csv", "userId,movieId,rating,timestamp\n1,10,4,1\n2,20,3,2\n");
        put("movies.csv", text);
    }
    loadQuietly(dir, (data[0] & 4) != 0);
    return 0;
}

// A generic ratings file (CSV, TSV, semicolons, "::"; a header or none) on any bytes, through
// the loader: the separator and header are sniffed from the first line, as for a user's file.
int sniffer(const uint8_t* data, std::size_t size) {
    const std::string path = writeInput("ratings-of-mine.txt", asText(data, size));
    for (bool lenient : {false, true})
        loadQuietly(path, lenient);
    return 0;
}

// Opening a .zip of any bytes and loading the data set in it: the archive's directory, entry
// names (folders, __MACOSX), declared and compressed sizes, and the entries' contents.
int zip(const uint8_t* data, std::size_t size) {
    loadQuietly(writeInput("data.zip", asText(data, size)));
    return 0;
}

// The checkpoint reader on any bytes. The input is the checkpoint's body; the target appends
// the checksum the body needs (the reader would refuse nearly every input at the checksum
// otherwise), so the fuzzer reaches the blobs, the metadata JSON and the packed tensors.
int checkpoint(const uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    // The current format: format 1 held LibTorch archives, which LibTorch's own deserialiser
    // reads (and which crafted files crash: tests/fuzz/regressions/checkpoint/); Factorscope's
    // reader is what is fuzzed here.
    if (bytes.size() >= 20) {
        const uint32_t format = kCheckpointFormat;
        std::memcpy(bytes.data() + 16, &format, sizeof format);
    }
    const uint32_t crc = static_cast<uint32_t>(crc32(0, data, static_cast<uInt>(size)));
    bytes.append(reinterpret_cast<const char*>(&crc), sizeof crc);
    const std::string path = writeInput("model.fsckpt", bytes);
    try {
        factorscope::loadCheckpoint(path);
    } catch (const factorscope::Error&) {
    }
    return 0;
}

// The JSON the app reads back: a run-store row's spec and epochs, and a checkpoint's metadata
// spec, from any text. Only factorscope::Error (CheckpointError naming the field) may come out.
int specjson(const uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(asText(data, size), nullptr, false);
    if (j.is_discarded())
        return 0;
    try {
        factorscope::trainSpecFromJson(j);
    } catch (const factorscope::Error&) {
    }
    try {
        factorscope::epochStatsFromJson(j);
    } catch (const factorscope::Error&) {
    }
    try {
        factorscope::modelSpecFromJson(j);
    } catch (const factorscope::Error&) {
    }
    return 0;
}

// factorscope-cli's argument parsing from any command line (one argument per input line): the
// flags, their values and the specs made of them. Only the usage and spec errors may come out.
int cliargs(const uint8_t* data, std::size_t size) {
    std::vector<std::string> argv;
    std::istringstream in{std::string(asText(data, size))};
    for (std::string line; std::getline(in, line);)
        argv.push_back(line);
    try {
        factorscope::cli::wantsHelp(argv);
        factorscope::cli::Args args(argv,
                                    {"lenient", "nesterov", "no-restore-best", "random-folds", "cv", "no-record"});
        factorscope::cli::loadOptionsFromArgs(args);
        factorscope::cli::trainSpecFromArgs(args, factorscope::TrainSpec::defaults());
        if (auto grid = args.text("grid"))
            factorscope::parseGrid(*grid);
        args.rejectUnused("fuzz");
    } catch (const factorscope::cli::UsageError&) {
    } catch (const factorscope::Error&) {
    }
    return 0;
}

// The id-row CSVs that fold-in and predict --pairs read: the first byte picks with or without
// ratings, the rest is the file.
int idrows(const uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string path = writeInput("idrows.csv", asText(data + 1, size - 1));
    try {
        (void)readIdRows(path, (data[0] & 1) != 0, 0.5, 5.0);
    } catch (const Error&) {
    }
    return 0;
}

} // namespace factorscope::fuzz
