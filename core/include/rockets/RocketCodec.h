#pragma once

#include "rockets/Export.h"
#include "rockets/Rocket.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockets {

/// Appends the API form of a visible rocket (DESIGN §2) to `out`.
ROCKETS_CORE_API void appendRocketJson(std::string& out, const Rocket& rocket);

/// The API form of one rocket / a JSON array of rockets.
ROCKETS_CORE_API std::string encodeRocket(const Rocket& rocket);
ROCKETS_CORE_API std::string encodeRockets(const std::vector<Rocket>& rockets);

/// Parses the API form of a rocket (as served by GET /rockets/{channel});
/// nullopt when a field is missing or has the wrong type.
ROCKETS_CORE_API std::optional<Rocket> decodeRocket(std::string_view json);

/// Parses a JSON array of rockets in API form (GET /rockets); nullopt on error.
ROCKETS_CORE_API std::optional<std::vector<Rocket>> decodeRockets(std::string_view json);

}  // namespace rockets
