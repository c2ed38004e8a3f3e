// code_sizes: fails naming every source file over 500 lines and every function body over 120
// lines under the folders given (the project's limits; docs/ARCHITECTURE.md). The sources follow
// .clang-format, so a function's head (one line or several) starts at an indent of at most one
// level and ends in ") {" (or "} {" after a constructor's initialisers), and its body closes at
// the first "}" at the head's indent.
// A statement of that shape inside a free function is counted too; it is never longer than the
// function it lies in, so nothing passes that should fail.
//   code_sizes DIR...
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kMaxFileLines = 500;
constexpr std::size_t kMaxFunctionLines = 120;

std::size_t indentOf(const std::string& line) { return line.find_first_not_of(' '); }

// Whether line k ends a function's head: "...) {", "...) const {", "...) override {", an
// initialiser list's "...) {" or "...} {". Returns the line its head starts on (a signature
// clang-format wrapped over several lines) when that lies at an indent of 0 or 4, else npos.
std::size_t headStart(const std::vector<std::string>& lines, std::size_t k) {
    static const std::regex tail(R"(.*[)}]( const)?( override)?( noexcept)?( final)? \{$)");
    if (!std::regex_match(lines[k], tail))
        return std::string::npos;
    std::size_t start = k;
    while (start > 0) {
        const std::string& before = lines[start - 1];
        const auto last = before.find_last_not_of(' ');
        if (last == std::string::npos || before[last] == ';' || before[last] == '{' || before[last] == '}' ||
            before[last] == ':' || before.find_first_not_of(' ') == before.find("//") || before[0] == '#')
            break;
        --start;
    }
    const std::string& head = lines[start];
    const std::size_t indent = indentOf(head);
    if (indent > 4 || head.rfind("namespace", 0) == 0 || head[indent] == '/' || head[indent] == '#')
        return std::string::npos;
    return start;
}

int check(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    int problems = 0;
    if (lines.size() > kMaxFileLines) {
        std::cout << file.string() << ": " << lines.size() << " lines (at most " << kMaxFileLines << ")\n";
        ++problems;
    }
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const std::size_t start = headStart(lines, k);
        if (start == std::string::npos)
            continue;
        const std::size_t indent = indentOf(lines[start]);
        const std::string closer = std::string(indent, ' ') + "}";
        std::size_t end = k + 1;
        while (end < lines.size() && lines[end].rfind(closer, 0) != 0)
            ++end;
        const std::size_t length = end - start + 1;
        if (end < lines.size() && length > kMaxFunctionLines) {
            std::cout << file.string() << ":" << start + 1 << ": a body of " << length << " lines (at most "
                      << kMaxFunctionLines << "): " << lines[start] << "\n";
            ++problems;
        }
        if (indent == 0)
            k = end; // a top-level body's own statements are not bodies of their own
    }
    return problems;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: code_sizes DIR...\n";
        return 2;
    }
    int problems = 0, files = 0;
    for (int a = 1; a < argc; ++a)
        for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[a])) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".cpp" || ext == ".h")) {
                problems += check(entry.path());
                ++files;
            }
        }
    std::cout << files << " files, " << problems << " over the limits\n";
    return problems == 0 ? 0 : 1;
}
