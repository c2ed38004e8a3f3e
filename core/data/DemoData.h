#pragma once
// The built-in demo data set, generated in-process from a seed: users with planted genre
// tastes, movies around genre centroids, user and movie biases, long-tail popularity and
// noise, with plausible generated titles. A trained model's PCA recovers the genres.
#include "core/data/Dataset.h"

#include <cstdint>

namespace factorscope {

struct DemoSpec {
    uint64_t seed = 42;
    int users = 1000;
    int movies = 1500;
    int ratings = 100000;
    double noise = 0.45;     // standard deviation of the rating noise, in stars
    double tasteScale = 0.9; // how strongly genre taste moves a rating
};

Dataset generateDemo(const DemoSpec& spec);

// The planted genres, in the order of the demo catalogue's genre bits.
const std::vector<std::string>& demoGenreNames();

} // namespace factorscope
