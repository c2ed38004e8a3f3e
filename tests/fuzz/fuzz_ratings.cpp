// The ratings parsers of every dialect on any bytes: the first byte picks the dialect (u.data,
// ratings.dat, ratings.csv, a generic file's sniffed layout) and strict or lenient parsing.
// Only fs::Error may come out; anything else, a crash or a sanitizer report is a finding.
#include "FuzzUtil.h"
#include "core/common/Error.h"
#include "core/data/RatingsReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view text = fs::fuzz::asText(data + 1, size - 1);
    fs::detail::RatingsLayout layout;
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
            layout = fs::detail::sniffLayout(text, "fuzz.csv");
        } catch (const fs::Error&) {
            return 0;
        }
    }
    fs::LoadOptions options;
    options.lenient = (data[0] & 4) != 0;
    try {
        fs::Dataset d;
        fs::detail::RawRatings raw = fs::detail::parseRatings(text, "fuzz", layout, options, d.report);
        fs::detail::encodeRatings(std::move(raw), "fuzz", text, layout, options, d);
        if (d.ratings.user.size() != d.ratings.rating.size())
            std::abort();
    } catch (const fs::Error&) {
    }
    return 0;
}
