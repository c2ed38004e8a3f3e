#pragma once
// Train / validation / test splits of a data set's rows.
#include "core/data/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

struct SplitSpec {
    enum class Kind { Random, Predefined, LeaveK, TemporalK, UserRatio };
    Kind kind = Kind::Random;
    double validation = 0.2; // Random: fraction held out for validation; UserRatio: of each user's ratings
    double test = 0.0;       // Random: fraction held out for a final test (a third set)
    int k = 1;               // LeaveK / TemporalK: ratings per user held out
    std::string name;        // Predefined: ua, ub, u1..u5
    uint64_t seed = 42;

    // "ua", "u3", "random:0.2", "random:0.1:0.1", "leave:1", "temporal:5", "user-ratio:0.25" (each
    // user's ratings shuffled and that share, rounded, held out; users with one rating train on it).
    // Throws SpecError naming the flag value.
    static SplitSpec parse(const std::string& text);
    std::string toString() const;
};

struct Split {
    std::vector<int64_t> train;
    std::vector<int64_t> validation;
    std::vector<int64_t> test;
    // Users and items of the held-out rows that never occur in training: the model has
    // learned nothing about them (cold start).
    std::size_t coldUsers = 0;
    std::size_t coldItems = 0;
    std::size_t coldRatings = 0; // held-out ratings that involve a cold user or item
};

// Throws SpecError when the spec does not fit the data (a predefined split on a data set
// that has none, k larger than users' ratings allow).
Split makeSplit(const Dataset& data, const SplitSpec& spec);

// The cheap part of that check, before the work: throws SpecError for a predefined split the
// data set does not have.
void checkSplitFits(const Dataset& data, const SplitSpec& spec);

} // namespace factorscope
