#pragma once

#include "RedisConnection.h"

#include "rockets/Message.h"

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace rockets::redis {

/// A message as a member of its channel's log ZSET (scored by messageNumber):
/// `<number>\n<type>\n<payload JSON>\n<messageTime>`, the payload in the canonical
/// encodePayload form. Everything up to the time is the message's identity: two
/// copies with equal identities are duplicates.
struct LogMember {
    /// `<number>\n<type>\n<payload>\n`; `number` is the message number's text.
    static std::string identity(const Message& message, const std::string& number);

    /// The message `member` of `channel`'s log; StoreCorruptException when it is not one.
    static Message decode(const std::string& channel, std::string_view member);

    /// The first `max` messages of a ZRANGEBYSCORE reply on `channel`'s log.
    static std::vector<Message> decodeAll(const std::string& channel, const redisReply& reply, std::string_view endpoint,
                                          std::size_t max = std::numeric_limits<std::size_t>::max());
};

}  // namespace rockets::redis
