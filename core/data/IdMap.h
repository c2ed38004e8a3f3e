#pragma once
// Maps original ids (as in the files) to contiguous indices 0..n-1 and back. Indices follow
// ascending original id, so the same data always gives the same encoding.
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace factorscope {

class IdMap {
public:
    IdMap() = default;
    // Builds the map from the distinct values of `ids`.
    static IdMap fromIds(const std::vector<int64_t>& ids);
    static IdMap fromSorted(std::vector<int64_t> sortedUniqueIds);

    int32_t size() const { return static_cast<int32_t>(m_original.size()); }
    int64_t original(int32_t index) const { return m_original.at(index); }
    std::optional<int32_t> index(int64_t original) const;
    const std::vector<int64_t>& originals() const { return m_original; }
    bool operator==(const IdMap& o) const { return m_original == o.m_original; }

private:
    std::vector<int64_t> m_original;
    std::unordered_map<int64_t, int32_t> m_index;
};

} // namespace factorscope
