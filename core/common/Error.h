#pragma once
// Typed errors that reach a person. Each message names the file and line, or the field or
// flag, and says what to do: "ratings.csv:1042: expected 4 fields, found 3".
#include <stdexcept>
#include <string>

namespace factorscope {

class Error : public std::runtime_error {
public:
    enum class Kind { Data, Spec, Checkpoint, Training, Device, Io };
    Error(Kind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

// A malformed or inconsistent input file.
struct DataError : Error {
    explicit DataError(const std::string& m) : Error(Kind::Data, m) {}
};
// A setting out of range, named by its field ("lr: must be > 0, got -1"). field() is the
// setting's name as the CLI's flag spells it ("lr", "hidden", "batch-size"), so the form can
// mark the control without reading the message; empty where the error names no one setting.
struct SpecError : Error {
    explicit SpecError(const std::string& m) : Error(Kind::Spec, m) {}
    SpecError(const std::string& field, const std::string& detail)
        : Error(Kind::Spec, field + ": " + detail), m_field(field) {}
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};
struct CheckpointError : Error {
    explicit CheckpointError(const std::string& m) : Error(Kind::Checkpoint, m) {}
};
struct TrainingError : Error {
    explicit TrainingError(const std::string& m) : Error(Kind::Training, m) {}
};
struct DeviceError : Error {
    explicit DeviceError(const std::string& m) : Error(Kind::Device, m) {}
};
struct IoError : Error {
    explicit IoError(const std::string& m) : Error(Kind::Io, m) {}
};

} // namespace factorscope
