// The checkpoint reader on any bytes. The input is the checkpoint's body; the target appends
// the checksum the body needs (the reader would refuse nearly every input at the checksum
// otherwise), so the fuzzer reaches the blobs, the metadata JSON and the torch archives.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/train/Checkpoint.h"

#include <zlib.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    const uint32_t crc = static_cast<uint32_t>(crc32(0, data, static_cast<uInt>(size)));
    bytes.append(reinterpret_cast<const char*>(&crc), sizeof crc);
    const std::string path = fs::fuzz::writeInput("model.fsckpt", bytes);
    try {
        fs::loadCheckpoint(path);
    } catch (const fs::Error&) {
    }
    return 0;
}
