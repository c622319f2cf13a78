#pragma once

#include <array>
#include <string_view>

namespace rockets::bench {

/// POST /messages bodies shaped like the test program's: a UUID channel, a
/// nanosecond messageTime with an offset, one body per message type.
struct NamedBody {
    std::string_view name;
    std::string_view json;
};

inline constexpr std::array<NamedBody, 5> kBodies = {{
    {"RocketLaunched",
     R"({"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":1,"messageTime":"2025-04-02T09:21:50.458989221+02:00","messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}})"},
    {"RocketSpeedIncreased",
     R"({"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":2,"messageTime":"2025-04-02T09:21:50.461002817+02:00","messageType":"RocketSpeedIncreased"},"message":{"by":3000}})"},
    {"RocketSpeedDecreased",
     R"({"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":3,"messageTime":"2025-04-02T09:21:50.463117092+02:00","messageType":"RocketSpeedDecreased"},"message":{"by":2500}})"},
    {"RocketMissionChanged",
     R"({"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":4,"messageTime":"2025-04-02T09:21:50.465530410+02:00","messageType":"RocketMissionChanged"},"message":{"newMission":"SHUTTLE_MIR"}})"},
    {"RocketExploded",
     R"({"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":5,"messageTime":"2025-04-02T09:21:50.467990001+02:00","messageType":"RocketExploded"},"message":{"reason":"PRESSURE_VESSEL_FAILURE"}})"},
}};

}  // namespace rockets::bench
