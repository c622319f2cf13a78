#include "LogMember.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <algorithm>

namespace rockets::redis {

std::string LogMember::identity(const Message& message, const std::string& number) {
    std::string identity = number;
    identity += '\n';
    identity += toString(message.type());
    identity += '\n';
    identity += encodePayload(message.payload);
    identity += '\n';
    return identity;
}

Message LogMember::decode(const std::string& channel, std::string_view member) {
    const auto first = member.find('\n');
    const auto second = first == std::string_view::npos ? first : member.find('\n', first + 1);
    const auto third = second == std::string_view::npos ? second : member.find('\n', second + 1);
    if (third == std::string_view::npos) throw StoreCorruptException("redis: malformed message in log of " + channel);
    Message message;
    message.channel = channel;
    message.number = parseInteger(member.substr(0, first), "message log");
    auto type = messageTypeFromString(member.substr(first + 1, second - first - 1));
    if (!type) throw StoreCorruptException("redis: unknown message type in log of " + channel);
    auto payload = decodePayload(*type, member.substr(second + 1, third - second - 1));
    if (!payload) throw StoreCorruptException("redis: undecodable payload in log of " + channel);
    message.payload = std::move(*payload);
    message.time = std::string(member.substr(third + 1));
    return message;
}

std::vector<Message> LogMember::decodeAll(const std::string& channel, const redisReply& reply,
                                          std::string_view endpoint, std::size_t max) {
    expectReply(reply, REDIS_REPLY_ARRAY, "ZRANGEBYSCORE", endpoint);
    std::vector<Message> messages;
    const std::size_t count = std::min(max, reply.elements);
    messages.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const redisReply& member = *reply.element[i];
        expectReply(member, REDIS_REPLY_STRING, "ZRANGEBYSCORE member", endpoint);
        messages.push_back(decode(channel, replyView(member)));
    }
    return messages;
}

}  // namespace rockets::redis
