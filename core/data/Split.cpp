#include "core/data/Split.h"

#include "core/common/Error.h"
#include "core/common/Random.h"
#include "core/data/TextParse.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace factorscope {

SplitSpec SplitSpec::parse(const std::string& text) {
    SplitSpec s;
    auto fail = [&](const std::string& why) -> SplitSpec {
        throw SpecError("--split " + text + ": " + why +
                        " (use ua, ub, u1..u5, random:F[:T], user-ratio:F, leave:K or temporal:K)");
    };
    const auto colon = text.find(':');
    const std::string head = text.substr(0, colon);
    const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (head == "random") {
        s.kind = Kind::Random;
        if (!rest.empty()) {
            const auto c2 = rest.find(':');
            auto v = text::toDouble(rest.substr(0, c2));
            if (!v || *v <= 0 || *v >= 1)
                return fail("the validation fraction must be between 0 and 1");
            s.validation = *v;
            if (c2 != std::string::npos) {
                auto t = text::toDouble(rest.substr(c2 + 1));
                if (!t || *t < 0 || *t >= 1 || *t + *v >= 1)
                    return fail("the test fraction must be between 0 and 1, with validation + test < 1");
                s.test = *t;
            }
        }
        return s;
    }
    if (head == "user-ratio") {
        s.kind = Kind::UserRatio;
        auto v = text::toDouble(rest);
        if (!v || *v <= 0 || *v >= 1)
            return fail("the held-out share of each user's ratings must be between 0 and 1");
        s.validation = *v;
        return s;
    }
    if (head == "leave" || head == "temporal") {
        s.kind = head == "leave" ? Kind::LeaveK : Kind::TemporalK;
        auto k = rest.empty() ? std::optional<int64_t>(1) : text::toInt(rest);
        if (!k || *k < 1 || *k > 1000)
            return fail("K must be a whole number from 1 to 1000");
        s.k = static_cast<int>(*k);
        return s;
    }
    if (colon == std::string::npos &&
        (head == "ua" || head == "ub" || (head.size() == 2 && head[0] == 'u' && head[1] >= '1' && head[1] <= '5'))) {
        s.kind = Kind::Predefined;
        s.name = head;
        return s;
    }
    return fail("unknown split");
}

std::string SplitSpec::toString() const {
    char buf[64];
    switch (kind) {
    case Kind::Predefined:
        return name;
    case Kind::LeaveK:
        return "leave:" + std::to_string(k);
    case Kind::TemporalK:
        return "temporal:" + std::to_string(k);
    case Kind::UserRatio:
        std::snprintf(buf, sizeof buf, "user-ratio:%g", validation);
        return buf;
    case Kind::Random:
        if (test > 0)
            std::snprintf(buf, sizeof buf, "random:%g:%g", validation, test);
        else
            std::snprintf(buf, sizeof buf, "random:%g", validation);
        return buf;
    }
    return "random";
}

namespace {

void countCold(const Dataset& d, Split& s) {
    std::vector<char> userSeen(d.users.size(), 0), itemSeen(d.items.size(), 0);
    for (int64_t r : s.train) {
        userSeen[d.ratings.user[r]] = 1;
        itemSeen[d.ratings.item[r]] = 1;
    }
    std::vector<char> userCounted(d.users.size(), 0), itemCounted(d.items.size(), 0);
    for (const auto* part : {&s.validation, &s.test})
        for (int64_t r : *part) {
            const int32_t u = d.ratings.user[r], i = d.ratings.item[r];
            if (!userSeen[u] || !itemSeen[i])
                ++s.coldRatings;
            if (!userSeen[u] && !userCounted[u]) {
                userCounted[u] = 1;
                ++s.coldUsers;
            }
            if (!itemSeen[i] && !itemCounted[i]) {
                itemCounted[i] = 1;
                ++s.coldItems;
            }
        }
}

// Rows grouped by user, in row order.
std::vector<std::vector<int64_t>> rowsByUser(const Dataset& d) {
    std::vector<std::vector<int64_t>> by(d.users.size());
    for (std::size_t r = 0; r < d.ratings.size(); ++r)
        by[d.ratings.user[r]].push_back(static_cast<int64_t>(r));
    return by;
}

// Each user's ratings shuffled, `share` of them (rounded, at least one, never all) held out:
// every user with two or more ratings has something to rank against.
void splitEachUser(const Dataset& d, double share, Rng& rng, Split& s) {
    for (auto& rows : rowsByUser(d)) {
        rng.shuffle(rows.begin(), rows.end());
        const auto n = static_cast<double>(rows.size());
        const auto held = rows.size() < 2 ? std::size_t(0)
                                          : std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(share * n)), 1,
                                                                    rows.size() - 1);
        const std::size_t cut = rows.size() - held;
        s.train.insert(s.train.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(cut));
        s.validation.insert(s.validation.end(), rows.begin() + static_cast<std::ptrdiff_t>(cut), rows.end());
    }
    if (s.validation.empty())
        throw SpecError("split", "user-ratio: no user has two ratings, so nothing is held out");
}

} // namespace

void checkSplitFits(const Dataset& d, const SplitSpec& spec) {
    if (spec.kind == SplitSpec::Kind::Predefined &&
        std::find(d.predefinedSplits.begin(), d.predefinedSplits.end(), spec.name) == d.predefinedSplits.end())
        throw SpecError("--split " + spec.name + ": this data set (" + d.format + ") has no predefined " + spec.name +
                        ".base/.test files; use random:0.2 or leave:K instead");
}

Split makeSplit(const Dataset& d, const SplitSpec& spec) {
    Split s;
    const std::size_t n = d.ratings.size();
    Rng rng(spec.seed);
    switch (spec.kind) {
    case SplitSpec::Kind::Random: {
        std::vector<int64_t> rows(n);
        std::iota(rows.begin(), rows.end(), 0);
        rng.shuffle(rows.begin(), rows.end());
        const auto nVal = static_cast<std::size_t>(spec.validation * static_cast<double>(n));
        const auto nTest = static_cast<std::size_t>(spec.test * static_cast<double>(n));
        if (nVal == 0 || nVal + nTest >= n)
            throw SpecError("split " + spec.toString() + ": leaves no rows for training or validation on " +
                            std::to_string(n) + " ratings");
        s.validation.assign(rows.begin(), rows.begin() + nVal);
        s.test.assign(rows.begin() + nVal, rows.begin() + nVal + nTest);
        // Training keeps the shuffled array itself: no second copy of the largest part.
        rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(nVal + nTest));
        s.train = std::move(rows);
        break;
    }
    case SplitSpec::Kind::Predefined: {
        checkSplitFits(d, spec);
        auto parts = rowsInFiles(d, {spec.name + ".base", spec.name + ".test"});
        s.train = std::move(parts[0]);
        s.validation = std::move(parts[1]);
        // Ratings neither file names (your own, included on request: io/OwnRatings.h) train.
        if (s.train.size() + s.validation.size() < d.ratings.size()) {
            std::vector<char> placed(d.ratings.size(), 0);
            for (const auto* part : {&s.train, &s.validation})
                for (int64_t row : *part)
                    placed[static_cast<std::size_t>(row)] = 1;
            for (std::size_t row = 0; row < placed.size(); ++row)
                if (!placed[row])
                    s.train.push_back(static_cast<int64_t>(row));
        }
        break;
    }
    case SplitSpec::Kind::UserRatio:
        splitEachUser(d, spec.validation, rng, s);
        break;
    case SplitSpec::Kind::LeaveK:
    case SplitSpec::Kind::TemporalK: {
        std::size_t usersTooSmall = 0;
        for (auto& rows : rowsByUser(d)) {
            if (rows.size() <= static_cast<std::size_t>(spec.k)) {
                // Too few ratings to hold k out and still learn the user: all go to training.
                ++usersTooSmall;
                s.train.insert(s.train.end(), rows.begin(), rows.end());
                continue;
            }
            if (spec.kind == SplitSpec::Kind::LeaveK)
                rng.shuffle(rows.begin(), rows.end());
            else
                std::stable_sort(rows.begin(), rows.end(),
                                 [&](int64_t a, int64_t b) { return d.ratings.timestamp[a] < d.ratings.timestamp[b]; });
            const std::size_t cut = rows.size() - spec.k;
            s.train.insert(s.train.end(), rows.begin(), rows.begin() + cut);
            s.validation.insert(s.validation.end(), rows.begin() + cut, rows.end());
        }
        if (s.validation.empty())
            throw SpecError("--split " + spec.toString() + ": no user has more than " + std::to_string(spec.k) +
                            " ratings, so nothing is held out");
        break;
    }
    }
    countCold(d, s);
    return s;
}

} // namespace factorscope
