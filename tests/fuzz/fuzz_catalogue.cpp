// The catalogue readers (u.item with u.genre, movies.dat, movies.csv with quoted titles) on any
// bytes, through the loader beside a small valid ratings file. The first byte picks the file.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/data/Dataset.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view text = fs::fuzz::asText(data + 1, size - 1);
    const int which = data[0] % 4;
    const std::string dir = fs::fuzz::scratch() + "/catalogue" + std::to_string(which);
    std::filesystem::create_directories(dir);
    const auto put = [&](const char* name, std::string_view bytes) { fs::fuzz::writeInput("catalogue" + std::to_string(which) + "/" + name, bytes); };
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
    fs::LoadOptions options;
    options.lenient = (data[0] & 4) != 0;
    try {
        fs::loadDataset(dir, options);
    } catch (const fs::Error&) {
    }
    return 0;
}
