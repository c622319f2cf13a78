#include "rockets/Message.h"

#include <array>

namespace rockets {

namespace {
constexpr std::array<std::string_view, 5> kTypeNames = {
    "RocketLaunched", "RocketSpeedIncreased", "RocketSpeedDecreased", "RocketExploded",
    "RocketMissionChanged"};
}

std::string_view toString(MessageType type) {
    return kTypeNames[static_cast<std::size_t>(type)];
}

std::optional<MessageType> messageTypeFromString(std::string_view name) {
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        if (kTypeNames[i] == name) return static_cast<MessageType>(i);
    }
    return std::nullopt;
}

}  // namespace rockets
