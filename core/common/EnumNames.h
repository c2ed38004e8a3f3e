#pragma once
// Names for enums in specs, flags and files: one table per enum, looked up both ways.
#include <optional>
#include <string>

namespace factorscope {

template <class E> struct EnumName {
    E value;
    const char* name;
};

template <class E, std::size_t N> std::string nameOf(const EnumName<E> (&table)[N], E value) {
    for (const auto& entry : table)
        if (entry.value == value)
            return entry.name;
    return table[0].name;
}

template <class E, std::size_t N> std::optional<E> valueOf(const EnumName<E> (&table)[N], const std::string& name) {
    for (const auto& entry : table)
        if (name == entry.name)
            return entry.value;
    return std::nullopt;
}

} // namespace factorscope
