#pragma once

#include "AppendPipeline.h"
#include "ReadAhead.h"
#include "RedisChangeFeed.h"
#include "RedisConnectionPool.h"
#include "RedisHealth.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/LogThrottle.h"
#include "rockets/RocketStore.h"

#include <memory>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rockets::redis {

/// RocketStore on Redis. Each rocket is one field of the records HASH (its
/// RocketRecord) and one of the versions HASH. compareAndSet is one Lua script that
/// checks the version, writes record and version, marks the rocket stale for the
/// list indexes and publishes it on the change feed.
///
/// The list indexes (docs/decisions/2026-11-26-redis-list-indexes.md) are brought up
/// to date when rockets are listed, for the rockets written since the last list:
/// a rocket written a hundred times between two lists costs one index update, and a
/// write costs no index work at all (docs/decisions/2026-11-27-redis-pipelining.md).
/// A per-channel `entries` HASH remembers each rocket's members in the indexes and
/// the filter sets holding it. Every call goes through the backend's pool; the batch
/// methods are one round trip each.
///
/// So that a burst of writes is not followed by stale lists until someone lists long
/// enough, a background thread does the same once this process has written nothing
/// for `rockets.redis.reindexQuietMs` (default 200 ms): in slices of
/// kBackgroundSlice, giving way to any list() that wants to reindex, and never
/// while writes keep coming (they would pay for it).
class RedisRocketStore final : public RocketStore {
public:
    RedisRocketStore(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health, ReadAhead& readAhead,
                     AppendPipeline& appends);
    ~RedisRocketStore() override;

    std::optional<Rocket> get(const std::string& channel) override;
    /// HMGET on the records, in slices of 1000 channels, all in one pipeline.
    std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels) override;
    /// One script call when no rocket was written since the last list; otherwise
    /// the stale rockets are reindexed first (pages of 1000: an SSCAN, an HMGET and
    /// pipelines of 25 reindex scripts). Every write committed before list() began
    /// is in its page, unless more rockets were written since the last list than can
    /// be indexed within the timeout (the rest is left to the next list), or Redis
    /// refuses writes: then the page comes from the indexes as they are.
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    /// One pipeline of compare-and-set scripts, with the log page after each written
    /// version read in the same round trip for the consumer's next readMany (ReadAhead).
    /// While appends flow one by one, the pipeline rides in the next batch of appends
    /// (AppendPipeline::ride).
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;
    /// Subscribes to the feed every compareAndSet publishes to (RedisChangeFeed): one
    /// subscriber connection and thread per store, replaced by each call (an empty
    /// listener only stops it). Must not be called from the listener itself: it joins
    /// the thread that runs it.
    bool subscribe(CommittedChangeListener listener) override;

    /// Rockets per reindex page (one SSCAN and one HMGET).
    static constexpr std::size_t kReindexPage = 1000;
    /// Reindex scripts per pipeline.
    static constexpr std::size_t kReindexBatch = 25;
    /// The most one turn of the background reindex takes (a list() waits for the
    /// turn to end at most this long, plus one pipeline).
    static constexpr std::chrono::milliseconds kBackgroundSlice{100};

private:
    struct PreparedWrite;
    struct PreparedIndex;

    /// list()'s turn at reindexing: waits for a turn under way (until `budget`), then
    /// reindexStale(budget).
    bool reindex(Clock::time_point budget);
    /// Updates the index entries of every rocket written since they were last
    /// indexed (the stale set as of the call, at least); false when `budget` passed
    /// first. Only by the holder of the turn (reindexing_).
    bool reindexStale(Clock::time_point budget);
    /// Ends a turn: frees reindexing_ and wakes who waits for it.
    void endReindexTurn();
    /// Notes that this process wrote rockets (for the background reindex).
    void noteWritten();
    /// The background reindex thread (see the class comment).
    void reindexWhenQuiet();
    /// Runs reindex.lua for `prepared`, declaring the filter sets it asks for;
    /// false when `budget` passed first.
    bool reindexPage(std::vector<PreparedIndex>& prepared, Clock::time_point budget);
    /// Keeps the log pages read after each written version for the consumer's next read.
    void keepReadAhead(const std::vector<RocketWrite>& writes, const std::vector<bool>& written,
                       const std::vector<ReplyPtr>& replies, const std::vector<ReadAhead::Mark>& marks);
    /// Runs list.lua; nullopt when `checkStale` and rockets are stale.
    std::optional<RocketPage> listPage(const RocketQuery& requested, bool checkStale);

    RedisConnectionPool& pool_;
    const RedisKeys& keys_;
    RedisHealth& health_;
    ReadAhead& readAhead_;
    AppendPipeline& appends_;
    const RedisScript casScript_;
    const RedisScript listScript_;
    const RedisScript reindexScript_;
    const std::string recordsKey_;
    const std::string versionsKey_;
    const std::string staleKey_;
    const std::string feedChannel_;
    std::vector<std::string> indexKeys_;  ///< the 15 sort indexes, in kIndexes order
    LogThrottle throttle_;
    const std::chrono::milliseconds reindexQuiet_;
    std::mutex reindexMutex_;  ///< guards the members down to stopping_
    std::condition_variable reindexIdle_;  ///< the turn was freed (for list())
    std::condition_variable quietWake_;    ///< for the background thread
    bool reindexing_ = false;   ///< someone holds the turn
    int listsWaiting_ = 0;      ///< list() calls waiting for the turn: they go first
    bool written_ = false;      ///< rockets written the background thread has not indexed
    Clock::time_point lastWrite_;
    bool stopping_ = false;
    std::thread quietThread_;  ///< reindexWhenQuiet; only when reindexQuiet_ > 0

    std::mutex feedMutex_;
    std::unique_ptr<RedisChangeFeed> feed_;
};

}  // namespace rockets::redis
