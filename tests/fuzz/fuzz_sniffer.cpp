// A generic ratings file (CSV, TSV, semicolons, "::"; a header or none) on any bytes, through
// the loader: the separator and header are sniffed from the first line, as for a user's file.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/data/Dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string path = fs::fuzz::writeInput("ratings-of-mine.txt", fs::fuzz::asText(data, size));
    for (bool lenient : {false, true}) {
        fs::LoadOptions options;
        options.lenient = lenient;
        try {
            fs::loadDataset(path, options);
        } catch (const fs::Error&) {
        }
    }
    return 0;
}
