#pragma once
// Read-only access to the files of a data set, wherever they lie: a folder, a .zip (read with
// libzip) or one file. Plain files are memory-mapped, so a 700 MB ratings.csv costs no copy.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace factorscope {

class Source {
public:
    static Source open(const std::string& path); // throws DataError/IoError
    Source(Source&&) noexcept;
    Source& operator=(Source&&) noexcept;
    ~Source();

    // The entry whose file name (without folders) is `name`, case-insensitively.
    std::optional<std::string> find(const std::string& name) const;
    std::vector<std::string> entries() const;
    bool isSingleFile() const { return m_singleFile; }
    // The whole entry. The view lives as long as this Source.
    std::string_view read(const std::string& entry);
    // How errors name the entry: "/data/ml-100k/u.data" or "ml-100k.zip:ml-100k/u.data".
    std::string displayName(const std::string& entry) const;
    const std::string& path() const { return m_path; }

private:
    Source() = default;
    struct Buffer;
    std::string m_path;
    bool m_isZip = false;
    bool m_singleFile = false;
    std::vector<std::string> m_entries;
    std::map<std::string, std::unique_ptr<Buffer>> m_buffers;
};

} // namespace factorscope
