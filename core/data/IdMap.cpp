#include "core/data/IdMap.h"

#include <algorithm>

namespace factorscope {

IdMap IdMap::fromIds(const std::vector<int64_t>& ids) {
    std::vector<int64_t> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return fromSorted(std::move(sorted));
}

IdMap IdMap::fromSorted(std::vector<int64_t> sortedUniqueIds) {
    IdMap map;
    map.m_original = std::move(sortedUniqueIds);
    map.m_index.reserve(map.m_original.size() * 2);
    for (std::size_t i = 0; i < map.m_original.size(); ++i)
        map.m_index.emplace(map.m_original[i], static_cast<int32_t>(i));
    return map;
}

std::optional<int32_t> IdMap::index(int64_t original) const {
    auto it = m_index.find(original);
    if (it == m_index.end())
        return std::nullopt;
    return it->second;
}

} // namespace factorscope
