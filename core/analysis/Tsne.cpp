#include "core/analysis/Tsne.h"

#include "core/analysis/Pca.h"
#include "core/common/Error.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace factorscope {

namespace {

// Runs fn(begin, end, part) over [0, n) split into one contiguous part per core.
int threadCount() { return static_cast<int>(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8)); }

template <class Fn> void onCores(int64_t n, Fn fn) {
    const int parts = threadCount();
    std::vector<std::thread> team;
    for (int p = 1; p < parts; ++p)
        team.emplace_back([&, p] { fn(n * p / parts, n * (p + 1) / parts, p); });
    fn(0, n / parts, 0);
    for (auto& t : team)
        t.join();
}

// Each point's k nearest others by squared Euclidean distance, nearest first: row-blocks of
// the distance matrix from one matrix product each.
void nearest(const Matrix& points, int k, std::vector<int32_t>& index, std::vector<float>& dist2) {
    const int64_t n = points.rows;
    using Rows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const Rows> x(points.values.data(), n, points.cols);
    const Eigen::VectorXf norms = x.rowwise().squaredNorm();
    index.resize(static_cast<std::size_t>(n * k));
    dist2.resize(index.size());
    onCores(n, [&](int64_t begin, int64_t end, int) {
        constexpr int64_t kBlock = 64;
        std::vector<std::pair<float, int32_t>> heap; // the k nearest so far, farthest on top
        for (int64_t b = begin; b < end; b += kBlock) {
            const int64_t rows = std::min(kBlock, end - b);
            const Rows g = x.middleRows(b, rows) * x.transpose();
            for (int64_t r = 0; r < rows; ++r) {
                const int64_t i = b + r;
                heap.clear();
                for (int64_t j = 0; j < n; ++j) {
                    if (j == i)
                        continue;
                    const float d = std::max(0.0f, norms[i] + norms[j] - 2 * g(r, j));
                    if (static_cast<int>(heap.size()) < k) {
                        heap.emplace_back(d, static_cast<int32_t>(j));
                        std::push_heap(heap.begin(), heap.end());
                    } else if (d < heap.front().first) {
                        std::pop_heap(heap.begin(), heap.end());
                        heap.back() = {d, static_cast<int32_t>(j)};
                        std::push_heap(heap.begin(), heap.end());
                    }
                }
                std::sort_heap(heap.begin(), heap.end());
                for (int m = 0; m < k; ++m) {
                    index[static_cast<std::size_t>(i * k + m)] = heap[static_cast<std::size_t>(m)].second;
                    dist2[static_cast<std::size_t>(i * k + m)] = heap[static_cast<std::size_t>(m)].first;
                }
            }
        }
    });
}

// One point's conditional affinities to its neighbours: the Gaussian width whose entropy is
// log(perplexity), by bisection on its precision beta (scikit-learn's _binary_search_perplexity).
void conditional(const float* d2, int k, double perplexity, double* p) {
    const double wanted = std::log(perplexity);
    double beta = 1, low = -std::numeric_limits<double>::infinity(), high = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 100; ++step) {
        double sum = 0;
        for (int m = 0; m < k; ++m)
            sum += p[m] = std::exp(-d2[m] * beta);
        sum = sum > 0 ? sum : 1e-8;
        double weighted = 0;
        for (int m = 0; m < k; ++m) {
            p[m] /= sum;
            weighted += d2[m] * p[m];
        }
        const double diff = std::log(sum) + beta * weighted - wanted;
        if (std::abs(diff) <= 1e-5)
            break;
        if (diff > 0) {
            low = beta;
            beta = std::isinf(high) ? beta * 2 : (beta + high) / 2;
        } else {
            high = beta;
            beta = std::isinf(low) ? beta / 2 : (beta + low) / 2;
        }
    }
}

// The joint affinities P = (P_cond + P_cond^T) / sum, by rows.
struct Affinities {
    std::vector<int64_t> offsets;
    std::vector<int32_t> index;
    std::vector<double> value;
};

Affinities jointAffinities(const Matrix& points, double perplexity) {
    const int64_t n = points.rows;
    const int k = static_cast<int>(std::min<int64_t>(n - 1, static_cast<int64_t>(3 * perplexity + 1)));
    std::vector<int32_t> nb;
    std::vector<float> d2;
    nearest(points, k, nb, d2);
    std::vector<double> cond(nb.size());
    for (int64_t i = 0; i < n; ++i)
        conditional(&d2[static_cast<std::size_t>(i * k)], k, perplexity, &cond[static_cast<std::size_t>(i * k)]);
    // Both directions of every pair, then duplicates merged row by row.
    std::vector<std::vector<std::pair<int32_t, double>>> rows(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        for (int m = 0; m < k; ++m) {
            const auto at = static_cast<std::size_t>(i * k + m);
            rows[static_cast<std::size_t>(i)].emplace_back(nb[at], cond[at]);
            rows[static_cast<std::size_t>(nb[at])].emplace_back(static_cast<int32_t>(i), cond[at]);
        }
    Affinities a;
    a.offsets.push_back(0);
    double total = 0;
    for (auto& r : rows) {
        std::sort(r.begin(), r.end());
        for (std::size_t m = 0; m < r.size(); ++m) {
            if (m > 0 && r[m].first == r[m - 1].first)
                a.value.back() += r[m].second;
            else {
                a.index.push_back(r[m].first);
                a.value.push_back(r[m].second);
            }
            total += r[m].second;
        }
        a.offsets.push_back(static_cast<int64_t>(a.index.size()));
    }
    for (double& v : a.value)
        v /= std::max(total, std::numeric_limits<double>::epsilon());
    return a;
}

// A quadtree of the current map for the repulsive forces: each cell its centre of mass and
// count; children four in a row.
struct QuadTree {
    struct Cell {
        double cx = 0, cy = 0, half = 0; // the square it covers
        double sx = 0, sy = 0;           // sums of its points' coordinates
        int count = 0, child = -1;
    };
    // What the forces read of a cell, packed: its centre of mass, width squared, count, children.
    struct Summary {
        double mx = 0, my = 0, width2 = 0;
        int count = 0, child = -1;
    };
    std::vector<Cell> cells;
    std::vector<Summary> summary;

    explicit QuadTree(const std::vector<double>& coords) {
        const std::size_t n = coords.size() / 2;
        double x0 = coords[0], x1 = coords[0], y0 = coords[1], y1 = coords[1];
        for (std::size_t i = 0; i < n; ++i) {
            x0 = std::min(x0, coords[2 * i]), x1 = std::max(x1, coords[2 * i]);
            y0 = std::min(y0, coords[2 * i + 1]), y1 = std::max(y1, coords[2 * i + 1]);
        }
        const double half = std::max({x1 - x0, y1 - y0, 1e-12}) / 2 * (1 + 1e-9);
        cells.push_back({(x0 + x1) / 2, (y0 + y1) / 2, half});
        const double smallest = half * 1e-9; // below it, a cell keeps its (near-identical) points
        for (std::size_t i = 0; i < n; ++i)
            insert(coords[2 * i], coords[2 * i + 1], smallest);
        summary.reserve(cells.size());
        for (const Cell& c : cells)
            summary.push_back(
                {c.count ? c.sx / c.count : 0, c.count ? c.sy / c.count : 0, 4 * c.half * c.half, c.count, c.child});
    }

    int quadrant(const Cell& c, double px, double py) const { return (px > c.cx ? 1 : 0) + (py > c.cy ? 2 : 0); }

    void insert(double px, double py, double smallest) {
        std::size_t at = 0;
        for (;;) {
            Cell& c = cells[at];
            const int was = c.count++;
            const double ox = was ? c.sx / was : 0, oy = was ? c.sy / was : 0; // a leaf's one point
            c.sx += px;
            c.sy += py;
            if (was == 0 || (c.child < 0 && c.half < smallest))
                return;
            if (c.child < 0) { // a leaf with one point splits: that point moves down
                const auto first = static_cast<int>(cells.size());
                cells[at].child = first;
                const Cell parent = cells[at];
                for (int q = 0; q < 4; ++q) {
                    const double h = parent.half / 2;
                    cells.push_back({parent.cx + (q & 1 ? h : -h), parent.cy + (q & 2 ? h : -h), h});
                }
                Cell& moved = cells[static_cast<std::size_t>(first + quadrant(parent, ox, oy))];
                moved.count = 1;
                moved.sx = ox;
                moved.sy = oy;
            }
            at = static_cast<std::size_t>(cells[at].child + quadrant(cells[at], px, py));
        }
    }

    // The repulsion on point (px, py): sum over the others of q^2 (p - o) with q = 1 / (1 + d^2),
    // into (fx, fy), and of q into z; far cells (width / distance < theta) as one point.
    void repulsion(double px, double py, double theta2, double& fx, double& fy, double& z,
                   std::vector<std::size_t>& stack) const {
        stack.assign(1, 0);
        while (!stack.empty()) {
            const Summary& c = summary[stack.back()];
            stack.pop_back();
            const double dx = px - c.mx, dy = py - c.my, d2 = dx * dx + dy * dy;
            if (c.child >= 0 && !(c.width2 < theta2 * d2)) {
                for (int q = 0; q < 4; ++q)
                    if (summary[static_cast<std::size_t>(c.child + q)].count > 0)
                        stack.push_back(static_cast<std::size_t>(c.child + q));
                continue;
            }
            if (d2 == 0) { // the point's own leaf: the others there are at distance 0
                z += c.count - 1;
                continue;
            }
            const double q = 1 / (1 + d2), w = c.count * q;
            z += w;
            fx += w * q * dx;
            fy += w * q * dy;
        }
    }
};

void checkInput(const Matrix& points, const TsneOptions& o) {
    if (points.rows < 2 || points.cols < 1)
        throw SpecError("points", "t-SNE needs at least 2 points with at least 1 coordinate");
    if (!(o.perplexity > 0) || o.perplexity >= static_cast<double>(points.rows))
        throw SpecError("perplexity",
                        "must be above 0 and below the number of points (" + std::to_string(points.rows) + ")");
    if (!(o.earlyExaggeration >= 1) || !std::isfinite(o.earlyExaggeration))
        throw SpecError("early-exaggeration", "must be 1 or more");
    if (o.iterations < 1 || o.exaggerationIterations < 0)
        throw SpecError("iterations", "must be 1 or more");
    if (!(o.learningRate >= 0) || !std::isfinite(o.learningRate) || !(o.theta >= 0) || !std::isfinite(o.theta))
        throw SpecError("learning-rate", "the learning rate and the angle must be 0 or more");
    for (float v : points.values)
        if (!std::isfinite(v))
            throw SpecError("points", "a vector holds a value that is not finite (NaN or infinite)");
}

// scikit-learn's start: the first two principal components, scaled to a spread of 1e-4.
std::vector<double> pcaStart(const Matrix& points) {
    const auto n = static_cast<std::size_t>(points.rows);
    std::vector<double> y(2 * n, 0.0);
    const Projection p = pca(points, static_cast<int>(std::min<int64_t>(2, points.cols)));
    for (std::size_t r = 0; r < n; ++r)
        for (int64_t c = 0; c < p.coords.cols; ++c)
            y[2 * static_cast<std::size_t>(p.items[r]) + static_cast<std::size_t>(c)] =
                p.coords.at(static_cast<int64_t>(r), c);
    double mean = 0, sq = 0;
    for (std::size_t i = 0; i < n; ++i)
        mean += y[2 * i];
    mean /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i)
        sq += (y[2 * i] - mean) * (y[2 * i] - mean);
    const double sd = std::sqrt(sq / static_cast<double>(n));
    for (double& v : y)
        v = sd > 0 ? v / sd * 1e-4 : 0.0;
    return y;
}

Matrix coordsOf(const std::vector<double>& y) {
    Matrix m;
    m.rows = static_cast<int64_t>(y.size() / 2);
    m.cols = 2;
    m.values.assign(y.begin(), y.end());
    return m;
}

} // namespace

Matrix tsne(const Matrix& points, const TsneOptions& o, const TsneProgress& progress, int every) {
    checkInput(points, o);
    const int64_t n = points.rows;
    const Affinities p = jointAffinities(points, o.perplexity);
    std::vector<double> y = pcaStart(points), update(y.size(), 0.0), gains(y.size(), 1.0), grad(y.size());
    const double rate = o.learningRate > 0 ? o.learningRate : std::max(n / o.earlyExaggeration / 4, 50.0);
    const double theta2 = o.theta * o.theta;
    const int parts = threadCount();
    std::vector<double> zPart(static_cast<std::size_t>(parts));
    for (int it = 0; it < o.iterations; ++it) {
        const bool early = it < o.exaggerationIterations;
        const double exaggeration = early ? o.earlyExaggeration : 1.0, momentum = early ? 0.5 : 0.8;
        const QuadTree tree(y);
        // Attraction along the affinities (grad) and repulsion (rep), point by point on the cores.
        std::vector<double> rep(y.size(), 0.0);
        onCores(n, [&](int64_t begin, int64_t end, int part) {
            std::vector<std::size_t> stack;
            double z = 0;
            for (int64_t i = begin; i < end; ++i) {
                const auto a = static_cast<std::size_t>(2 * i);
                double ax = 0, ay = 0;
                for (int64_t m = p.offsets[static_cast<std::size_t>(i)]; m < p.offsets[static_cast<std::size_t>(i) + 1];
                     ++m) {
                    const auto b = 2 * static_cast<std::size_t>(p.index[static_cast<std::size_t>(m)]);
                    const double dx = y[a] - y[b], dy = y[a + 1] - y[b + 1];
                    const double w = exaggeration * p.value[static_cast<std::size_t>(m)] / (1 + dx * dx + dy * dy);
                    ax += w * dx;
                    ay += w * dy;
                }
                grad[a] = ax;
                grad[a + 1] = ay;
                tree.repulsion(y[a], y[a + 1], theta2, rep[a], rep[a + 1], z, stack);
            }
            zPart[static_cast<std::size_t>(part)] = z;
        });
        double z = 0;
        for (double v : zPart)
            z += v;
        z = std::max(z, std::numeric_limits<double>::min());
        // Gains grow where the step keeps its direction and shrink where it turns (delta-bar-delta).
        for (std::size_t c = 0; c < y.size(); ++c) {
            const double g = 4 * (grad[c] - rep[c] / z);
            gains[c] = std::max(0.01, update[c] * g < 0 ? gains[c] + 0.2 : gains[c] * 0.8);
            update[c] = momentum * update[c] - rate * gains[c] * g;
            y[c] += update[c];
        }
        const bool last = it + 1 == o.iterations;
        if (progress && (last || (every > 0 && (it + 1) % every == 0)) && !progress(it + 1, coordsOf(y)))
            break;
    }
    return coordsOf(y);
}

} // namespace factorscope
