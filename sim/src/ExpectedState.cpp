#include "rockets/sim/ExpectedState.h"

#include "rockets/Fold.h"

#include <cstdint>

namespace rockets::sim {

ExpectedState ExpectedState::fromSends(const std::vector<Message>& sends) {
    std::map<std::string, std::map<std::int64_t, const Message*>> byChannel;
    ExpectedState state;
    for (const Message& message : sends) {
        auto [it, inserted] = byChannel[message.channel].emplace(message.number, &message);
        if (inserted)
            ++state.distinct_;
        else if (!it->second->samePayload(message))
            ++state.conflicts_;
    }
    for (const auto& [channel, messages] : byChannel) {
        Rocket rocket;
        rocket.channel = channel;
        for (const auto& [number, message] : messages) {
            if (number != rocket.lastMessageNumber + 1) break;
            apply(rocket, *message);
        }
        if (rocket.visible()) state.rockets_.emplace(channel, std::move(rocket));
    }
    return state;
}

}  // namespace rockets::sim
