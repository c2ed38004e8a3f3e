#pragma once
// t-SNE (van der Maaten & Hinton 2008) with the Barnes-Hut approximation of the repulsive forces
// (van der Maaten 2014), following scikit-learn 1.2's defaults step by step: input affinities
// from each point's 3 x perplexity + 1 nearest neighbours (squared Euclidean distances, each
// point's Gaussian width found by bisection to the perplexity), symmetrised; a PCA start scaled
// to a standard deviation of 1e-4; 250 iterations with the affinities exaggerated and momentum
// 0.5, then momentum 0.8; per-coordinate gains; learning rate max(n / exaggeration / 4, 50).
// One difference: the Barnes-Hut angle is 0.8, not 0.5, which on the demo's 1,500 movies gave
// the same trustworthiness and genre agreement in 70 % of the time (docs/PERFORMANCE.md).
//
// What a t-SNE map means: points near each other were near in the original space. Cluster
// sizes, the gaps between clusters and distances between far-apart points mean nothing.
#include "core/model/Model.h"

#include <cstdint>
#include <functional>

namespace factorscope {

struct TsneOptions {
    double perplexity = 30;        // about how many neighbours each point attends to; below n
    double earlyExaggeration = 12; // how strongly the first iterations pull neighbours together
    int iterations = 1000;         // in all, the exaggerated ones included
    int exaggerationIterations = 250;
    double learningRate = 0; // 0: max(n / exaggeration / 4, 50)
    double theta = 0.8;      // Barnes-Hut's opening angle; 0 sums every pair exactly (scikit-learn: 0.5)
};

// Called every `every` iterations (and after the last) with the iteration done and the current
// n x 2 coordinates; returning false stops the optimisation there.
using TsneProgress = std::function<bool(int iteration, const Matrix& coords)>;

// The rows of `points` (n x d, d >= 1) placed in 2-D. Throws SpecError naming the setting for
// impossible requests (a perplexity of n or more, fewer than 2 points, a value that is not
// finite). Identical points stay together.
Matrix tsne(const Matrix& points, const TsneOptions& options, const TsneProgress& progress = {}, int every = 25);

} // namespace factorscope
