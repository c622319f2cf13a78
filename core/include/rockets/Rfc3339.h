#pragma once

#include "rockets/Export.h"

#include <string_view>

namespace rockets {

/// True for an RFC 3339 date-time with 0–9 fractional digits (DESIGN §2 messageTime).
ROCKETS_CORE_API bool isRfc3339DateTime(std::string_view text);

}  // namespace rockets
