#pragma once
// The settings of a TrainSpec as one table: for each field its name (the CLI's flag, the grid's
// axis, the form control's objectName and SpecError::field()), the form's label and group, its
// JSON key(s), type, range, help, whether a grid may vary it, whether the form folds it away as
// advanced, and when it applies. The CLI's flags and help, the grid, the spec's JSON, the range
// checks of TrainSpec::validate and the form's rows are all read from here; the rules that tie
// fields together (Nesterov needs SGD, one dropout per layer) stay in the specs' validate().
#include "core/train/TrainSpec.h"

#include <array>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace factorscope {

// A field's value: Flag is bool, Integer long long, Real double, Choice and Text strings, and
// the lists (Integers, Reals, Pair, OptionalPair) vectors of doubles; an OptionalPair that is
// off is the empty vector.
using FieldValue = std::variant<bool, long long, double, std::string, std::vector<double>>;

enum class FieldType { Flag, Integer, Real, Choice, Text, Integers, Reals, Pair, OptionalPair };
enum class FieldGroup { Data, Model, Optimiser, Schedule, Training };
std::string toString(FieldGroup group); // the heading the form and the CLI's help show

struct SpecField {
    const char* name = "";  // "weight-decay"
    const char* label = ""; // "Weight decay"
    FieldGroup group = FieldGroup::Data;
    FieldType type = FieldType::Real;
    const char* jsonSection = "";      // "" (top level), "model", "optimizer" or "schedule"
    std::array<const char*, 3> json{}; // the key; Pair: two keys, OptionalPair: switch, min, max
    double min = 0, max = 0;           // numbers, and each element of a list
    bool minOpen = false, maxOpen = false;
    bool logScale = false;                           // spans orders of magnitude (the form steps 1, 2, 5, 10)
    std::vector<std::string> choices{};              // Choice
    const char* help = "";                           // says what the setting does
    const char* metavar = "";                        // the CLI help's name for the value, where not N, X, ...
    bool grid = false;                               // a grid search may vary it
    bool advanced = false;                           // the form shows it only when asked
    bool optionalInJson = false;                     // absent in older files: keep the default
    std::function<bool(const TrainSpec&)> applies{}; // empty: always
    std::function<FieldValue(const TrainSpec&)> get{};
    std::function<void(TrainSpec&, const FieldValue&)> set{}; // may throw SpecError
};

// Every field, in the order the form and the help list them; kinds (model, optimiser) come
// before the settings they reset.
const std::vector<SpecField>& specFields();
// nullptr when no field has that name.
const SpecField* findSpecField(const std::string& name);

// Text as the CLI and the grid write it ("0.005", "100,50", "0.5,5.5" or "none", "true")
// into a value; throws SpecError naming the field when it does not parse.
FieldValue parseFieldValue(const SpecField& field, const std::string& text);
std::string formatFieldValue(const SpecField& field, const FieldValue& value);
// Parses `text` and sets the field on `spec`.
void applyField(TrainSpec& spec, const SpecField& field, const std::string& text);
// Throws SpecError when a field that applies to `spec` is outside its range.
void checkFieldRanges(const TrainSpec& spec);
// "in (0, 100]" or "from 1 to 4096".
std::string describeRange(const SpecField& field);

} // namespace factorscope
