// libFuzzer entry for factorscope::fuzz::catalogue (FuzzTargets.cpp).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    return factorscope::fuzz::catalogue(data, size);
}
