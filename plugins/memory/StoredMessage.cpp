#include "StoredMessage.h"

#include <algorithm>

namespace rockets::memory {

namespace {

/// How many payload strings a message of `type` carries.
std::size_t payloadTexts(MessageType type) {
    switch (type) {
    case MessageType::Launched: return 2;
    case MessageType::Exploded:
    case MessageType::MissionChanged: return 1;
    case MessageType::SpeedIncreased:
    case MessageType::SpeedDecreased: break;
    }
    return 0;
}

}  // namespace

StoredMessage::StoredMessage(const Message& message) : type_(message.type()) {
    const bool inlineTime = message.time.size() <= kInlineTime;
    const std::size_t texts = payloadTexts(type_) + (inlineTime ? 0 : 1);
    if (texts > 0) text_ = std::make_unique<std::string[]>(texts);
    std::visit(
        [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, RocketLaunched>) {
                amount_ = p.launchSpeed;
                text_[0] = p.type;
                text_[1] = p.mission;
            } else if constexpr (std::is_same_v<T, RocketSpeedIncreased> || std::is_same_v<T, RocketSpeedDecreased>) {
                amount_ = p.by;
            } else if constexpr (std::is_same_v<T, RocketExploded>) {
                text_[0] = p.reason;
            } else {
                text_[0] = p.newMission;
            }
        },
        message.payload);
    if (inlineTime) {
        timeLength_ = static_cast<std::uint8_t>(message.time.size());
        std::copy(message.time.begin(), message.time.end(), time_.begin());
    } else {
        timeLength_ = kTimeOutOfLine;
        text_[texts - 1] = message.time;
    }
}

std::size_t StoredMessage::textCount() const {
    return payloadTexts(type_) + (timeLength_ == kTimeOutOfLine ? 1 : 0);
}

Payload StoredMessage::payload() const {
    switch (type_) {
    case MessageType::Launched: return RocketLaunched{text_[0], amount_, text_[1]};
    case MessageType::SpeedIncreased: return RocketSpeedIncreased{amount_};
    case MessageType::SpeedDecreased: return RocketSpeedDecreased{amount_};
    case MessageType::Exploded: return RocketExploded{text_[0]};
    case MessageType::MissionChanged: return RocketMissionChanged{text_[0]};
    }
    return RocketSpeedIncreased{amount_};
}

Message StoredMessage::toMessage(const std::string& channel, std::int64_t number) const {
    std::string time = timeLength_ == kTimeOutOfLine ? text_[textCount() - 1]
                                                     : std::string(time_.data(), timeLength_);
    return Message{channel, number, std::move(time), payload()};
}

bool StoredMessage::samePayload(const Message& message) const {
    return message.type() == type_ && message.payload == payload();
}

}  // namespace rockets::memory
