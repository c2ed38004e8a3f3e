#include "core/io/IdRowsFile.h"

#include "core/common/Error.h"
#include "core/data/TextParse.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace factorscope {

namespace {

constexpr std::size_t kMostBytes = std::size_t{1} << 30; // a list to fold in, not a data set

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path + ": cannot open the file");
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0));
    if (size > kMostBytes)
        throw DataError(path + ": larger than 1 GiB; this takes a list of ratings, not a data set");
    in.seekg(0);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

char separatorOf(std::string_view line) {
    for (char c : {',', '\t', ';'})
        if (line.find(c) != std::string_view::npos)
            return c;
    return ',';
}

} // namespace

std::vector<IdRow> readIdRows(const std::string& path, bool withRatings, double scaleMin, double scaleMax) {
    const std::string text = readText(path);
    const char* const shape = withRatings ? "user,item,rating" : "user,item";
    const std::size_t fieldsWanted = withRatings ? 3 : 2;
    text::LineReader lines(text, path);
    std::string_view line;
    std::vector<std::string> fields;
    std::vector<IdRow> rows;
    while (lines.next(line)) {
        const std::size_t at = lines.lineNumber();
        if (text::trim(line).empty())
            continue;
        const auto where = [&] { return path + ":" + std::to_string(at) + ": "; };
        if (!text::splitCsv(line, separatorOf(line), fields))
            throw DataError(where() + "an unterminated quote in \"" + text::excerpt(line) + "\"");
        const auto user = fields.empty() ? std::nullopt : text::toInt(text::trim(fields[0]));
        if (rows.empty() && at == 1 && !user)
            continue; // a header
        if (fields.size() < fieldsWanted)
            throw DataError(where() + "expected " + shape + ", found \"" + text::excerpt(line) + "\"");
        const auto item = text::toInt(text::trim(fields[1]));
        if (!user || !item)
            throw DataError(where() + "the user and item must be whole-number ids, found \"" + text::excerpt(line) +
                            "\"");
        IdRow row{*user, *item, 0, at};
        if (withRatings) {
            const auto r = text::toDouble(text::trim(fields[2]));
            if (!r || !std::isfinite(*r))
                throw DataError(where() + "the rating is not a number: \"" + text::excerpt(fields[2]) + "\"");
            if (*r < scaleMin || *r > scaleMax) {
                std::ostringstream m;
                m << where() << "the rating " << *r << " is outside the model's scale (" << scaleMin << " to "
                  << scaleMax << ")";
                throw DataError(m.str());
            }
            row.rating = *r;
        }
        rows.push_back(row);
    }
    if (rows.empty())
        throw DataError(path + ": no " + std::string(shape) + " lines in the file");
    return rows;
}

} // namespace factorscope
