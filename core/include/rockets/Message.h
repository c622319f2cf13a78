#pragma once

#include "rockets/Export.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rockets {

/// The largest integer the API accepts (2^53 - 1, exact in every JSON reader).
inline constexpr std::int64_t kMaxJsonInteger = (std::int64_t{1} << 53) - 1;

/// The five message types of DESIGN §2, in their wire spelling.
enum class MessageType { Launched, SpeedIncreased, SpeedDecreased, Exploded, MissionChanged };

/// Wire name of a message type, e.g. "RocketLaunched".
ROCKETS_CORE_API std::string_view toString(MessageType type);

/// Parses a wire name; nullopt for anything that is not one of the five.
ROCKETS_CORE_API std::optional<MessageType> messageTypeFromString(std::string_view name);

struct RocketLaunched {
    std::string type;
    std::int64_t launchSpeed = 0;
    std::string mission;
    bool operator==(const RocketLaunched&) const = default;
};

struct RocketSpeedIncreased {
    std::int64_t by = 0;
    bool operator==(const RocketSpeedIncreased&) const = default;
};

struct RocketSpeedDecreased {
    std::int64_t by = 0;
    bool operator==(const RocketSpeedDecreased&) const = default;
};

struct RocketExploded {
    std::string reason;
    bool operator==(const RocketExploded&) const = default;
};

struct RocketMissionChanged {
    std::string newMission;
    bool operator==(const RocketMissionChanged&) const = default;
};

/// The validated `message` member; the alternative index follows MessageType.
using Payload = std::variant<RocketLaunched, RocketSpeedIncreased, RocketSpeedDecreased,
                             RocketExploded, RocketMissionChanged>;

/// One validated telemetry message. (channel, number) is its key.
struct Message {
    std::string channel;
    std::int64_t number = 0;
    std::string time;  ///< messageTime, verbatim as received (RFC 3339).
    Payload payload;

    MessageType type() const { return static_cast<MessageType>(payload.index()); }

    /// True when `other` carries the same type and payload; messageTime is not compared
    /// (a resend of the same message is a duplicate, DESIGN §2).
    bool samePayload(const Message& other) const { return payload == other.payload; }

    bool operator==(const Message&) const = default;
};

}  // namespace rockets
