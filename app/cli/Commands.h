#pragma once
#include <string>
#include <vector>

namespace factorscope::cli {

// Each returns the process exit code; errors are thrown (factorscope::Error, UsageError).
int cmdInfo(const std::vector<std::string>& args);
int cmdTrain(const std::vector<std::string>& args);
int cmdLrFind(const std::vector<std::string>& args);
int cmdEvaluate(const std::vector<std::string>& args);
int cmdRecommend(const std::vector<std::string>& args);
int cmdPredict(const std::vector<std::string>& args);
int cmdFoldIn(const std::vector<std::string>& args);
int cmdRecipes(const std::vector<std::string>& args);
int cmdGenerate(const std::vector<std::string>& args);
int cmdPca(const std::vector<std::string>& args);
int cmdExport(const std::vector<std::string>& args);
int cmdProject(const std::vector<std::string>& args);
int cmdCompare(const std::vector<std::string>& args);
int cmdCv(const std::vector<std::string>& args);
int cmdGrid(const std::vector<std::string>& args);
int cmdRuns(const std::vector<std::string>& args);
int cmdDownload(const std::vector<std::string>& args);

} // namespace factorscope::cli
