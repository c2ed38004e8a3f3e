#pragma once
// JSON forms of experiment results and recorded runs: the CLI prints them, the run store keeps
// them, the runs view exports them.
#include "core/experiment/GridSearch.h"
#include "core/runs/RunStore.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace factorscope {

nlohmann::json toJson(const CvResult& r);
nlohmann::json toJson(const GridPoint& p);
nlohmann::json toJson(const GridResult& r);
// The run with its spec (parsed) and, when loaded, its epochs.
nlohmann::json toJson(const RunRecord& r);

// One row per run, with a header; fields quoted where needed (RFC 4180).
std::string runsToCsv(const std::vector<RunRecord>& runs);

} // namespace factorscope

namespace factorscope {

// The settings in which recorded runs differ: one row per flattened spec field
// ("model.factors") whose value is not the same in every spec, values in the given order.
struct SpecDifference {
    std::string field;
    std::vector<std::string> values;
};
std::vector<SpecDifference> specDifferences(const std::vector<std::string>& specJsons);

} // namespace factorscope
