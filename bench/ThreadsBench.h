#pragma once
// factorscope-bench --neural, --threads and their child processes (ThreadsBench.cpp).
#include <string>
#include <vector>

namespace factorscope::bench {

int neuralBench(const std::string& self, const std::string& dir);
// Each entry "MODEL:DATA" (MODEL: dot, dotbias, linear, mlp, neumf, or embnet for the embedding net).
bool isBenchModel(const std::string& name);
int threadsBench(const std::string& self, const std::vector<std::string>& sets, int rounds);
int rateOne(const std::string& dir, const std::string& key); // --rate MODEL/THREADS
int sgemmOne(const std::string& key);                        // --sgemm MODEL/THREADS

} // namespace factorscope::bench
