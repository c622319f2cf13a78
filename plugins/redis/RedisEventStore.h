#pragma once

#include "RedisConnectionPool.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/EventStore.h"

#include <Poco/Util/AbstractConfiguration.h>

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

    /// Opens the store with the backend's keys (see StoreBackend::open).
    void open(const Poco::Util::AbstractConfiguration& config);
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    ChangedChannels changedSince(std::uint64_t cursor) override;

private:
    RedisConnectionPool& pool();

    std::unique_ptr<RedisConnectionPool> pool_;
    std::optional<RedisKeys> keys_;
    RedisScript appendScript_;
};

}  // namespace rockets::redis
