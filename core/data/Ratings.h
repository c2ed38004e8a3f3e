#pragma once
// The rating table in structure-of-arrays form, with users and items already encoded as
// contiguous indices. Four arrays keep 25 M ratings at ~500 MB.
#include <cstdint>
#include <vector>

namespace factorscope {

struct Ratings {
    std::vector<int32_t> user;
    std::vector<int32_t> item;
    std::vector<float> rating;
    std::vector<int64_t> timestamp; // seconds since the epoch; 0 when the file has none

    std::size_t size() const { return rating.size(); }
    bool empty() const { return rating.empty(); }
    void reserve(std::size_t n) {
        user.reserve(n);
        item.reserve(n);
        rating.reserve(n);
        timestamp.reserve(n);
    }
    void push(int32_t u, int32_t i, float r, int64_t t) {
        user.push_back(u);
        item.push_back(i);
        rating.push_back(r);
        timestamp.push_back(t);
    }
    // The rows listed in `rows`, in that order.
    Ratings subset(const std::vector<int64_t>& rows) const {
        Ratings out;
        out.reserve(rows.size());
        for (int64_t r : rows)
            out.push(user[r], item[r], rating[r], timestamp[r]);
        return out;
    }
};

} // namespace factorscope
