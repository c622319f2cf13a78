#pragma once

#include "rockets/Message.h"
#include "rockets/Rocket.h"

#include <cstdint>
#include <string>

namespace rockets::test {

/// Builders for test messages with plausible defaults.
inline Message launched(const std::string& channel, std::int64_t number, std::string type = "Falcon-9",
                        std::int64_t speed = 500, std::string mission = "ARTEMIS",
                        std::string time = "2022-02-02T19:39:05.86337+01:00") {
    return Message{channel, number, std::move(time), RocketLaunched{std::move(type), speed, std::move(mission)}};
}

inline Message speedUp(const std::string& channel, std::int64_t number, std::int64_t by,
                       std::string time = "2022-02-02T19:40:00Z") {
    return Message{channel, number, std::move(time), RocketSpeedIncreased{by}};
}

inline Message slowDown(const std::string& channel, std::int64_t number, std::int64_t by,
                        std::string time = "2022-02-02T19:40:00Z") {
    return Message{channel, number, std::move(time), RocketSpeedDecreased{by}};
}

inline Message exploded(const std::string& channel, std::int64_t number, std::string reason,
                        std::string time = "2022-02-02T19:41:00Z") {
    return Message{channel, number, std::move(time), RocketExploded{std::move(reason)}};
}

inline Message missionChanged(const std::string& channel, std::int64_t number, std::string mission,
                              std::string time = "2022-02-02T19:42:00Z") {
    return Message{channel, number, std::move(time), RocketMissionChanged{std::move(mission)}};
}

/// A visible, active rocket with the given fields (for store tests).
inline Rocket rocket(const std::string& channel, std::int64_t version, std::string type = "Falcon-9",
                     std::int64_t speed = 500, std::string mission = "ARTEMIS",
                     RocketStatus status = RocketStatus::Active) {
    Rocket r;
    r.channel = channel;
    r.type = std::move(type);
    r.speed = speed;
    r.mission = std::move(mission);
    r.status = status;
    if (status == RocketStatus::Exploded) r.reason = "PRESSURE_VESSEL_FAILURE";
    r.launchedAt = "2022-02-02T19:39:05.86337+01:00";
    r.updatedAt = "2022-02-02T19:39:" + std::to_string(10 + version % 50) + "Z";
    r.lastMessageNumber = version;
    return r;
}

}  // namespace rockets::test
