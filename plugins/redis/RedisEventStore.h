#pragma once

#include "RedisConnectionPool.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/EventStore.h"

#include <memory>
#include <optional>

namespace rockets::redis {

/// EventStore on Redis. Each channel's log is one sorted set scored by
/// messageNumber whose members are `<number>\n<type>\n<payload JSON>\n<time>`
/// (payload in the canonical encodePayload form); append is one Lua script that
/// finds an existing key, compares type and payload by string equality, and
/// otherwise adds the message and raises the channel's head, atomically.
class RedisEventStore final : public EventStore {
public:
    RedisEventStore();
    ~RedisEventStore() override;

    void open(const Poco::Util::AbstractConfiguration& config) override;
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    std::vector<ChannelHead> heads() override;

private:
    RedisConnectionPool& pool();

    std::unique_ptr<RedisConnectionPool> pool_;
    std::optional<RedisKeys> keys_;
    RedisScript appendScript_;
};

}  // namespace rockets::redis
