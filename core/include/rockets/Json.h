#pragma once

#include "rockets/Export.h"

#include <string>
#include <string_view>

namespace rockets {

/// Maximum nesting of arrays and objects accepted in a request body (DESIGN §2).
inline constexpr int kMaxJsonDepth = 32;

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
ROCKETS_CORE_API bool isValidUtf8(std::string_view text);

/// Appends `text` as a JSON string literal (quoted, escaped) to `out`. Bytes that
/// are not well-formed UTF-8 become U+FFFD, so the result is always valid JSON,
/// whatever a client sent (error bodies echo request input).
ROCKETS_CORE_API void appendJsonString(std::string& out, std::string_view text);

}  // namespace rockets
