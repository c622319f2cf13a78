#pragma once

#include "rockets/Export.h"

#include <string>
#include <string_view>

namespace rockets {

/// `{"error":{"code":...,"message":...}}` (DESIGN §2); always valid JSON, even
/// when `message` quotes bytes of a request that are not UTF-8.
ROCKETS_CORE_API std::string encodeError(std::string_view code, std::string_view message);

}  // namespace rockets
