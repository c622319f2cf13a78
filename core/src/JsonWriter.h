#pragma once

// Internal to core: the pieces the hand-written encoders are built from. They
// stay hand-written because they are on the hot paths (every append encodes a
// payload, every GET /rockets encodes up to 10,000 rockets), and because
// Poco 1.11's Stringifier copies bytes that are not UTF-8 into its output,
// which an error body quoting a hostile request must not do.

#include "rockets/Json.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace rockets::json {

inline void appendInt(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

/// Appends `"name":` followed by `value` as a JSON string.
inline void appendMember(std::string& out, std::string_view name, std::string_view value) {
    out += '"';
    out += name;
    out += "\":";
    appendJsonString(out, value);
}

/// Appends `"name":` followed by `value` as a JSON integer.
inline void appendMember(std::string& out, std::string_view name, std::int64_t value) {
    out += '"';
    out += name;
    out += "\":";
    appendInt(out, value);
}

}  // namespace rockets::json
