// The JSON the app reads back: a run-store row's spec and epochs, and a checkpoint's metadata
// spec, from any text. Only fs::Error (CheckpointError naming the field) may come out.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/io/SpecJson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(fs::fuzz::asText(data, size), nullptr, false);
    if (j.is_discarded())
        return 0;
    try {
        fs::trainSpecFromJson(j);
    } catch (const fs::Error&) {
    }
    try {
        fs::epochStatsFromJson(j);
    } catch (const fs::Error&) {
    }
    try {
        fs::modelSpecFromJson(j);
    } catch (const fs::Error&) {
    }
    return 0;
}
