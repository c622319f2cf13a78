#pragma once

#include "AppendPipeline.h"
#include "RedisConnectionPool.h"
#include "RedisKeys.h"
#include "ReadAhead.h"
#include "RedisScript.h"

#include "rockets/EventStore.h"

namespace rockets::redis {

/// EventStore on Redis. Each channel's log is one sorted set scored by
/// messageNumber whose members are `<number>\n<type>\n<payload JSON>\n<time>`
/// (payload in the canonical encodePayload form); append is one Lua script that
/// finds an existing key, compares type and payload by string equality, and
/// otherwise adds the message, raises the channel's head and records the channel in
/// the change feed, atomically (scripts/append.lua).
/// Appends go through the backend's AppendPipeline, reads through its pool.
class RedisEventStore final : public EventStore {
public:
    RedisEventStore(RedisConnectionPool& pool, const RedisKeys& keys, AppendPipeline& appends, ReadAhead& readAhead);

    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    /// One pipeline of ZRANGEBYSCORE calls: one round trip for every range, none for
    /// the ranges known ahead (ReadAhead).
    std::vector<std::vector<Message>> readMany(const std::vector<EventRange>& ranges) override;
    /// One script call when nothing changed; otherwise pages of 1000 channels, each
    /// one script call (or ZRANGEBYSCORE) and one pipeline for their heads and counts.
    ChangedChannels changedSince(std::uint64_t cursor) override;

    /// Channels per changedSince page.
    static constexpr std::size_t kChangesPage = 1000;

private:
    RedisConnectionPool& pool_;
    const RedisKeys& keys_;
    AppendPipeline& appends_;
    ReadAhead& readAhead_;
    const RedisScript changesScript_;
};

}  // namespace rockets::redis
