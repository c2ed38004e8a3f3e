#include "core/data/DemoData.h"

#include "core/common/Error.h"
#include "core/common/Random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

namespace factorscope {

namespace {

// Eight genres as four opposed pairs on four taste axes: a user who likes one end tends to
// dislike the other, as in real ratings, so the first components separate them.
constexpr int kAxes = 4;
const std::vector<std::string> kGenres = {"Action", "Drama",   "Comedy",      "Horror",
                                          "Sci-Fi", "Romance", "Documentary", "Animation"};

struct Words {
    std::vector<const char*> adjectives;
    std::vector<const char*> nouns;
};

const std::array<Words, 8> kWords = {{
    {{"Iron", "Final", "Burning", "Silent", "Rogue", "Deadly", "Steel", "Lethal", "Hard", "Crimson"},
     {"Protocol", "Vendetta", "Strike", "Pursuit", "Target", "Fury", "Mission", "Run", "Siege", "Force"}},
    {{"Quiet", "Long", "Distant", "Broken", "Last", "Winter", "Hidden", "Fading", "Bitter", "Open"},
     {"Harbour", "Summer", "Letters", "Inheritance", "Verdict", "Years", "House", "Season", "Promise", "Road"}},
    {{"Crazy", "Accidental", "Wedding", "Lucky", "Big", "Awkward", "Very", "Totally", "Office", "Family"},
     {"Weekend", "Trouble", "Plan", "Party", "Getaway", "Roommates", "Mix-Up", "Vacation", "Business", "Neighbours"}},
    {{"Dark", "Hollow", "Cursed", "Bleeding", "Whispering", "Black", "Haunted", "Rotten", "Pale", "Screaming"},
     {"Cellar", "Woods", "Ritual", "Doll", "Asylum", "Night", "Mask", "Hunger", "Well", "Shadows"}},
    {{"Quantum", "Orbital", "Stellar", "Synthetic", "Lunar", "Infinite", "Cyber", "Zero", "Deep", "Neon"},
     {"Horizon", "Colony", "Signal", "Paradox", "Frontier", "Machine", "Drift", "Station", "Genesis", "Relay"}},
    {{"Sweet", "Paris", "Endless", "Second", "Sudden", "Golden", "Little", "Secret", "Starlit", "Lovely"},
     {"Kiss", "Affair", "Heart", "Chance", "Rendezvous", "Serenade", "Letters", "Bride", "Waltz", "Embrace"}},
    {{"Inside", "True", "Untold", "Vanishing", "Wild", "Real", "Frozen", "Invisible", "Sacred", "Deep"},
     {"Oceans", "Planet", "Story", "Cities", "Machines", "Voices", "Rivers", "Record", "Archive", "Lives"}},
    {{"Magic", "Tiny", "Brave", "Flying", "Curious", "Jolly", "Sleepy", "Clever", "Dancing", "Wobbly"},
     {"Dragon", "Robot", "Forest", "Penguin", "Kingdom", "Balloon", "Train", "Mouse", "Island", "Star"}},
}};

std::string makeTitle(Rng& rng, int genre, int year, std::set<std::string>& used) {
    const Words& w = kWords[genre];
    std::string base;
    switch (rng.below(3)) {
    case 0:
        base = std::string("The ") + w.adjectives[rng.below(w.adjectives.size())] + " " +
               w.nouns[rng.below(w.nouns.size())];
        break;
    case 1:
        base = std::string(w.adjectives[rng.below(w.adjectives.size())]) + " " + w.nouns[rng.below(w.nouns.size())];
        break;
    default:
        base = std::string(w.nouns[rng.below(w.nouns.size())]) + " of the " +
               w.adjectives[rng.below(w.adjectives.size())] + " " + w.nouns[rng.below(w.nouns.size())];
    }
    std::string title = base;
    for (int k = 2; used.count(title); ++k)
        title = base + " " + (k <= 3 ? std::string(k, 'I') : std::to_string(k));
    used.insert(title);
    return title + " (" + std::to_string(year) + ")";
}

// The taste-space centroid of a genre: genre 2a at +axis a, genre 2a+1 at -axis a.
std::array<double, kAxes> centroid(int genre) {
    std::array<double, kAxes> c{};
    c[genre / 2] = genre % 2 == 0 ? 1.0 : -1.0;
    return c;
}

// Movies: a primary genre, sometimes a secondary, a vector near the genre centroid; each added
// to the catalogue with a title and a year.
struct DemoMovies {
    std::vector<std::array<double, kAxes>> vec;
    std::vector<double> bias;
    std::vector<int> primary;
};
DemoMovies makeMovies(Rng& rng, const DemoSpec& spec, Catalogue& catalogue) {
    const int nG = static_cast<int>(kGenres.size());
    DemoMovies out;
    out.vec.resize(spec.movies);
    out.bias.resize(spec.movies);
    out.primary.resize(spec.movies);
    std::set<std::string> used;
    for (int m = 0; m < spec.movies; ++m) {
        int g = static_cast<int>(rng.below(nG));
        out.primary[m] = g;
        auto v = centroid(g);
        uint64_t genres = uint64_t{1} << g;
        if (rng.uniform() < 0.3) {
            int g2 = static_cast<int>(rng.below(nG));
            if (g2 / 2 != g / 2) { // never both ends of one axis
                auto c2 = centroid(g2);
                for (int a = 0; a < kAxes; ++a)
                    v[a] += 0.35 * c2[a];
                genres |= uint64_t{1} << g2;
            }
        }
        for (auto& x : v)
            x += rng.normal(0.0, 0.25);
        out.vec[m] = v;
        out.bias[m] = rng.normal(0.0, 0.35);
        Movie mv;
        mv.id = m + 1;
        mv.year = 2020 - static_cast<int>(std::min(70.0, std::abs(rng.normal()) * 25.0));
        mv.title = makeTitle(rng, g, mv.year, used);
        mv.genres = genres;
        catalogue.add(std::move(mv));
    }
    return out;
}

// How many ratings each user gives: an activity level per user, at least 20 ratings each
// (fewer where the data set is small), never more than half the movies.
std::vector<int> ratingsPerUser(Rng& rng, const DemoSpec& spec) {
    std::vector<double> activity(spec.users);
    double activitySum = 0;
    for (auto& a : activity) {
        a = std::exp(rng.normal(0.0, 0.9));
        activitySum += a;
    }
    const int minPerUser = std::max(1, std::min(20, spec.ratings / spec.users / 2));
    const int spare = spec.ratings - minPerUser * spec.users;
    std::vector<int> count(spec.users);
    int assigned = 0;
    for (int u = 0; u < spec.users; ++u) {
        count[u] = std::min(spec.movies / 2, minPerUser + static_cast<int>(spare * activity[u] / activitySum));
        assigned += count[u];
    }
    for (int u = 0; assigned < spec.ratings; u = (u + 1) % spec.users)
        if (count[u] < spec.movies / 2) {
            ++count[u];
            ++assigned;
        }
    return count;
}

} // namespace

const std::vector<std::string>& demoGenreNames() { return kGenres; }

Dataset generateDemo(const DemoSpec& spec) {
    if (spec.users < 2 || spec.movies < 2)
        throw SpecError("demo data", "needs at least 2 users and 2 movies");
    const double cells = static_cast<double>(spec.users) * spec.movies;
    if (spec.ratings < spec.users || spec.ratings > cells * 0.5)
        throw SpecError("demo data", "ratings must be between the number of users and half of "
                                     "users x movies");
    Rng rng(spec.seed);
    Dataset d;
    d.format = "demo";
    d.source = "demo";
    d.scaleMin = 0.5;
    d.scaleMax = 5.0;
    d.catalogue.setGenreNames(kGenres);

    const DemoMovies movies = makeMovies(rng, spec, d.catalogue);
    const std::vector<double>& movieBias = movies.bias;

    // Popularity: a long tail (Zipf-like over a random order), better movies a little more
    // popular, as in real data.
    std::vector<int> order(spec.movies);
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order.begin(), order.end());
    std::vector<double> cumulative(spec.movies);
    double total = 0;
    for (int r = 0; r < spec.movies; ++r) {
        const int m = order[r];
        total += std::exp(0.6 * movieBias[m]) / std::pow(r + 8.0, 0.95);
        cumulative[r] = total;
    }

    // Users: a taste per axis, a bias, an activity level.
    const std::vector<int> count = ratingsPerUser(rng, spec);

    d.ratings.reserve(spec.ratings);
    std::vector<int64_t> userIds(spec.users), itemIds(spec.movies);
    std::iota(userIds.begin(), userIds.end(), 1);
    std::iota(itemIds.begin(), itemIds.end(), 1);
    d.users = IdMap::fromSorted(userIds);
    d.items = IdMap::fromSorted(itemIds);
    d.demoGenreOfItem = movies.primary;

    const int64_t start = 946684800; // 2000-01-01
    std::vector<char> seen(spec.movies);
    std::vector<int> picked;
    for (int u = 0; u < spec.users; ++u) {
        std::array<double, kAxes> taste;
        for (auto& t : taste)
            t = rng.normal(0.0, 1.0) * spec.tasteScale;
        const double userBias = rng.normal(0.0, 0.3);
        int64_t t = start + static_cast<int64_t>(rng.below(86400 * 365 * 3));
        picked.clear();
        int64_t attempts = 0;
        for (int k = 0; k < count[u];) {
            int m;
            if (++attempts < 50LL * count[u] + 1000) {
                const double x = rng.uniform() * total;
                const int r =
                    static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
                m = order[std::min(r, spec.movies - 1)];
            } else { // a very active user has exhausted the popular movies: take the next unseen
                m = static_cast<int>(rng.below(static_cast<uint64_t>(spec.movies)));
                while (seen[m])
                    m = (m + 1) % spec.movies;
            }
            if (seen[m])
                continue;
            seen[m] = 1;
            picked.push_back(m);
            double score = 3.55 + userBias + movieBias[m] + rng.normal(0.0, spec.noise);
            for (int a = 0; a < kAxes; ++a)
                score += 0.55 * taste[a] * movies.vec[m][a];
            const float stars = static_cast<float>(std::clamp(std::round(score), 1.0, 5.0));
            t += 60 + static_cast<int64_t>(rng.below(86400 * 3));
            d.ratings.push(u, m, stars, t);
            ++k;
        }
        for (int m : picked) // cheaper than clearing the whole table per user
            seen[m] = 0;
    }
    return d;
}

} // namespace factorscope
