#pragma once

#include "RedisChangeFeed.h"
#include "ReadAhead.h"
#include "RedisConnectionPool.h"
#include "RedisHealth.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/RocketStore.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rockets::redis {

/// RocketStore on Redis. Each rocket is one field of the records HASH (its
/// RocketRecord) and one of the versions HASH; a per-channel `entries` HASH
/// remembers its members in the list indexes and the filter sets holding it.
/// compareAndSet is one Lua script that checks the version, swaps the index and
/// filter entries, writes record and version and publishes the rocket on the change
/// feed; list() is one Lua script over the indexes
/// (docs/decisions/2026-11-26-redis-list-indexes.md). Every call goes through the
/// backend's pool; the batch methods are one round trip each.
class RedisRocketStore final : public RocketStore {
public:
    RedisRocketStore(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health, ReadAhead& readAhead);
    ~RedisRocketStore() override;

    std::optional<Rocket> get(const std::string& channel) override;
    /// HMGET on the records, in slices of 1000 channels, all in one pipeline.
    std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    /// One pipeline of compare-and-set scripts (a second one for the writes whose
    /// rocket leaves a filter set it was in), with the log page after each written
    /// version read in the same round trip for the consumer's next readMany (ReadAhead).
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;
    /// Subscribes to the feed every compareAndSet publishes to (RedisChangeFeed).
    bool subscribe(CommittedChangeListener listener) override;

private:
    struct PreparedWrite;
    /// One round of compareAndSetMany for `pending` (indexes into `prepared`): fills
    /// `written`, appends read-ahead pages, returns the writes to send again with the
    /// filter sets the script asked for.
    std::vector<std::size_t> writeRound(std::vector<PreparedWrite>& prepared, const std::vector<std::size_t>& pending,
                                        std::vector<bool>& written, std::vector<ReadAhead::Page>& pages);

    RedisConnectionPool& pool_;
    const RedisKeys& keys_;
    RedisHealth& health_;
    ReadAhead& readAhead_;
    const RedisScript casScript_;
    const RedisScript listScript_;
    const std::string recordsKey_;
    const std::string versionsKey_;
    const std::string feedChannel_;
    std::vector<std::string> indexKeys_;  ///< the 15 sort indexes, in kIndexes order

    std::mutex feedMutex_;
    std::unique_ptr<RedisChangeFeed> feed_;
};

}  // namespace rockets::redis
