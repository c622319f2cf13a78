#pragma once

#include "rockets/Export.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockets {

/// A parsed JSON value. Numbers keep their lexical class: an integer literal
/// (no fraction, no exponent) is Integer, anything else Float, so validation can
/// tell `5` from `5.0`. Integers beyond int64 are kept as Integer with `overflow`.
struct JsonValue {
    enum class Kind { Null, Bool, Integer, Float, String, Array, Object };

    Kind kind = Kind::Null;
    bool boolean = false;
    bool overflow = false;  ///< Integer literal whose magnitude exceeds int64
    std::int64_t integer = 0;
    double number = 0;      ///< Float value
    std::string string;
    std::vector<JsonValue> items;
    std::vector<std::pair<std::string, JsonValue>> members;

    bool isObject() const { return kind == Kind::Object; }
    bool isString() const { return kind == Kind::String; }

    /// Member `key` of an object, or nullptr (also for non-objects).
    const JsonValue* find(std::string_view key) const;
};

/// Maximum nesting of arrays and objects accepted by parseJson (DESIGN §2).
inline constexpr int kMaxJsonDepth = 32;

/// Strict RFC 8259 parser: UTF-8 validated (escapes decoded to UTF-8, lone
/// surrogates rejected), nesting limited to kMaxJsonDepth without unbounded
/// recursion, no trailing data. Returns false and sets `error` (human text with
/// the byte offset) on failure; never throws on any input.
ROCKETS_CORE_API bool parseJson(std::string_view text, JsonValue& out, std::string& error);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
ROCKETS_CORE_API bool isValidUtf8(std::string_view text);

}  // namespace rockets
