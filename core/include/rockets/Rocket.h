#pragma once

#include "rockets/Export.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rockets {

/// Where a rocket is in its life. Unlaunched rockets exist in the projection only to
/// carry their version (messages before the launch still advance it); they are
/// never visible through the API.
enum class RocketStatus { Unlaunched, Active, Exploded };

/// The projection of one channel: the left fold of messages 1..lastMessageNumber.
struct Rocket {
    std::string channel;
    std::string type;
    std::int64_t speed = 0;
    std::string mission;
    RocketStatus status = RocketStatus::Unlaunched;
    std::optional<std::string> reason;
    std::string launchedAt;
    std::string updatedAt;
    std::int64_t lastMessageNumber = 0;  ///< The projection's version; 0 = nothing applied.

    bool visible() const { return status != RocketStatus::Unlaunched; }
    bool operator==(const Rocket&) const = default;
};

/// Wire name of a status: "ACTIVE" or "EXPLODED".
ROCKETS_CORE_API std::string_view toString(RocketStatus status);

/// Parses "ACTIVE" / "EXPLODED" (Unlaunched has no wire name).
ROCKETS_CORE_API std::optional<RocketStatus> rocketStatusFromString(std::string_view name);

}  // namespace rockets
