#include "RedisEventStore.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <charconv>
#include <limits>

namespace rockets::redis {

namespace {

// KEYS: log, heads. ARGV: number, identity (`<number>\n<type>\n<payload>\n`), time,
// channel. Returns 0 Stored, 1 Duplicate, 2 Conflict.
constexpr const char* kAppendScript = R"lua(
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if #found > 0 then
  if string.sub(found[1], 1, #ARGV[2]) == ARGV[2] then return 1 end
  return 2
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2] .. ARGV[3])
local head = redis.call('HGET', KEYS[2], ARGV[4])
if (not head) or tonumber(head) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[1])
end
return 0
)lua";

std::string identityOf(const Message& message) {
    std::string identity = std::to_string(message.number);
    identity += '\n';
    identity += toString(message.type());
    identity += '\n';
    identity += encodePayload(message.payload);
    identity += '\n';
    return identity;
}

Message decodeMember(const std::string& channel, std::string_view member) {
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

}  // namespace

RedisEventStore::RedisEventStore() : appendScript_(kAppendScript) {}

RedisEventStore::~RedisEventStore() = default;

void RedisEventStore::open(const Poco::Util::AbstractConfiguration& config) {
    auto settings = RedisSettings::fromConfig(config);
    keys_.emplace(settings.keyPrefix);
    pool_ = std::make_unique<RedisConnectionPool>(std::move(settings));
    pool_->ping();
}

RedisConnectionPool& RedisEventStore::pool() {
    if (!pool_) throw StoreUnavailableException("redis event store used before open()");
    return *pool_;
}

AppendResult RedisEventStore::append(const Message& message) {
    const std::string log = keys_->log(message.channel);
    const std::string heads = keys_->heads();
    const std::string number = std::to_string(message.number);
    const std::string identity = identityOf(message);
    const auto code = pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto reply = appendScript_.run(connection, {log, heads}, {number, identity, message.time, message.channel},
                                       deadline);
        expectReply(*reply, REDIS_REPLY_INTEGER, "append script");
        return reply->integer;
    });
    switch (code) {
    case 0: return AppendResult::Stored;
    case 1: return AppendResult::Duplicate;
    case 2: return AppendResult::Conflict;
    }
    throw StoreUnavailableException("redis: append script returned " + std::to_string(code));
}

std::vector<Message> RedisEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    std::vector<Message> result;
    if (max == 0) return result;
    const std::string log = keys_->log(channel);
    const std::string from = std::to_string(fromNumber);
    const std::string count = std::to_string(std::min<std::size_t>(max, std::numeric_limits<std::int64_t>::max()));
    auto reply = pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto r = connection.command({"ZRANGEBYSCORE", log, from, "+inf", "LIMIT", "0", count}, deadline);
        expectReply(*r, REDIS_REPLY_ARRAY, "ZRANGEBYSCORE");
        return r;
    });
    result.reserve(reply->elements);
    for (std::size_t i = 0; i < reply->elements; ++i) {
        const redisReply& member = *reply->element[i];
        expectReply(member, REDIS_REPLY_STRING, "ZRANGEBYSCORE member");
        result.push_back(decodeMember(channel, std::string_view(member.str, member.len)));
    }
    return result;
}

ChangedChannels RedisEventStore::changedSince(std::uint64_t) {
    // Interim: every channel, every time, with a ZCARD each (the cursor is not kept yet).
    ChangedChannels changed;
    changed.cursor = 1;
    for (auto& [channel, head] : pool().scanHash(keys_->heads())) {
        const std::string log = keys_->log(channel);
        const auto count = pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
            auto reply = connection.command({"ZCARD", log}, deadline);
            expectReply(*reply, REDIS_REPLY_INTEGER, "ZCARD");
            return reply->integer;
        });
        changed.channels.push_back(ChannelHead{std::move(channel), parseInteger(head, "heads"), count});
    }
    return changed;
}

}  // namespace rockets::redis
