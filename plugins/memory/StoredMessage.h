#pragma once

#include "rockets/Message.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace rockets::memory {

/// One message as the memory event log keeps it: without its channel and number
/// (the log's keys), the time inline and strings out of line only when the
/// payload has any. Most messages are speed changes, whose payload is a single
/// integer; a plain Message (two std::strings and a variant sized for
/// RocketLaunched) took about twice the memory (bench: peak RSS 2.05x the raw
/// message bytes at 1M messages).
class StoredMessage {
public:
    explicit StoredMessage(const Message& message);

    /// The message back, with its key.
    Message toMessage(const std::string& channel, std::int64_t number) const;

    /// Same type and payload as `message` (messageTime is not compared).
    bool samePayload(const Message& message) const;

private:
    /// RFC 3339 with nanoseconds and an offset is 35 bytes; validated input never exceeds it.
    static constexpr std::size_t kInlineTime = 35;
    static constexpr std::uint8_t kTimeOutOfLine = 0xFF;

    std::size_t textCount() const;
    Payload payload() const;

    std::int64_t amount_ = 0;  ///< launchSpeed or by
    MessageType type_;
    std::uint8_t timeLength_ = 0;  ///< kTimeOutOfLine: the time is the last text
    std::array<char, kInlineTime> time_{};
    /// Launched: type, mission; Exploded: reason; MissionChanged: newMission; then
    /// the time when it did not fit inline. Null for speed changes.
    std::unique_ptr<std::string[]> text_;
};

}  // namespace rockets::memory
