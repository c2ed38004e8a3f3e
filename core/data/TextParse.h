#pragma once
// Small, allocation-free helpers for the readers: lines, fields and numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace factorscope::text {

// The longest line a reader accepts: no MovieLens line comes near it, and a file without line
// breaks (a binary, a bomb) is refused at its first line instead of being taken as one.
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;

// Iterates the lines of a buffer, stripping "\r\n" and "\n"; counts line numbers from 1.
// A line longer than kMaxLineBytes throws DataError naming `name` and the line.
class LineReader {
public:
    explicit LineReader(std::string_view data, std::string_view name = "the file") : m_data(data), m_name(name) {
        // A UTF-8 byte-order mark is not part of the first field.
        if (m_data.substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
    }
    bool next(std::string_view& line) {
        if (m_pos >= m_data.size())
            return false;
        // Looks no further than a line may reach: a 3 GB file without a newline is not scanned.
        const std::string_view window = m_data.substr(m_pos, kMaxLineBytes + 1);
        std::size_t end = window.find('\n');
        if (end == std::string_view::npos) {
            if (window.size() > kMaxLineBytes)
                tooLong();
            end = window.size();
        }
        end += m_pos;
        line = m_data.substr(m_pos, end - m_pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        m_pos = end + 1;
        ++m_line;
        return true;
    }
    std::size_t lineNumber() const { return m_line; }

private:
    [[noreturn]] void tooLong() const;

    std::string_view m_data;
    std::string_view m_name;
    std::size_t m_pos = 0;
    std::size_t m_line = 0;
};

// Splits on a separator of one or more characters ("\t", "|", "::"). Returns the count found;
// writes at most out.size() fields.
std::size_t split(std::string_view line, std::string_view sep, std::vector<std::string_view>& out);

// RFC 4180 fields: quoted fields may hold the separator and doubled quotes. Unquotes into
// `storage`. Returns false on an unterminated quote.
bool splitCsv(std::string_view line, char sep, std::vector<std::string>& out);

std::optional<int64_t> toInt(std::string_view s);
std::optional<double> toDouble(std::string_view s);
std::string_view trim(std::string_view s);

// True when `s` is valid UTF-8.
bool isUtf8(std::string_view s);
// Latin-1 (ISO 8859-1) to UTF-8, as u.item and the 1M movies.dat need.
std::string latin1ToUtf8(std::string_view s);
// UTF-8 as is, else converted from Latin-1.
std::string toUtf8(std::string_view s);

// Shortens a line for an error message.
std::string excerpt(std::string_view line, std::size_t max = 60);

} // namespace factorscope::text
