// libFuzzer entry for factorscope::fuzz::idrows (FuzzTargets.cpp).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    return factorscope::fuzz::idrows(data, size);
}
