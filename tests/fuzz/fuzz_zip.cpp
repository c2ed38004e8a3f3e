// Opening a .zip of any bytes and loading the data set in it: the archive's directory, entry
// names (folders, __MACOSX), declared and compressed sizes, and the entries' contents.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/data/Dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string path = fs::fuzz::writeInput("data.zip", fs::fuzz::asText(data, size));
    try {
        fs::loadDataset(path);
    } catch (const fs::Error&) {
    }
    return 0;
}
