#pragma once
// A small, portable random generator (splitmix64 + xoshiro256**). std::normal_distribution
// differs between standard libraries; this one gives the same numbers everywhere, so the same
// seed always gives the same demo data and the same splits.
#include <cmath>
#include <cstdint>

namespace factorscope {

class Rng {
public:
    explicit Rng(uint64_t seed) {
        for (auto& w : m_s) {
            seed += 0x9E3779B97F4A7C15ull;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            w = z ^ (z >> 31);
        }
    }
    uint64_t next() {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    // Uniform integer in [0, n).
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    double normal(double mean = 0.0, double sd = 1.0) {
        if (m_hasSpare) {
            m_hasSpare = false;
            return mean + sd * m_spare;
        }
        double u, v, s;
        do {
            u = uniform() * 2.0 - 1.0;
            v = uniform() * 2.0 - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double f = std::sqrt(-2.0 * std::log(s) / s);
        m_spare = v * f;
        m_hasSpare = true;
        return mean + sd * u * f;
    }
    // Fisher-Yates shuffle.
    template <class It> void shuffle(It first, It last) {
        for (auto n = last - first; n > 1; --n)
            std::swap(first[n - 1], first[below(static_cast<uint64_t>(n))]);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
    double m_spare = 0;
    bool m_hasSpare = false;
};

} // namespace factorscope
