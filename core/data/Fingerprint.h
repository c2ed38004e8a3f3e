#pragma once
// A data set's identity for the run store: a hash of its encoded ratings and id maps, plus
// the rating count ("3f1c…-100000"). The same file loaded twice gives the same fingerprint.
#include "core/data/Dataset.h"

#include <string>

namespace factorscope {

std::string fingerprint(const Dataset& data);
// The fingerprint the data set carries when it has one (Dataset::fingerprint), else hashed.
std::string fingerprintOf(const Dataset& data);

} // namespace factorscope
