#pragma once

#include "rockets/EventStore.h"
#include "rockets/Export.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rockets {

/// What this process knows of each channel's stored and applied messages: it feeds
/// the `rockets_unapplied_messages` gauge and the admission limits, and tells the
/// consumer which channels cannot have changed since it last found them stuck.
///
/// Stored counts come from three sources: the store's own heads (start-up pass and
/// sweep; they include other processes' appends), this process's appends (+1 each,
/// which may count a message the sweep already saw), and the consumer's complete reads
/// (exact at the time of the read). Every append is followed by a pass of the consumer
/// over its channel, which makes the count exact again. Applied versions only grow.
/// Thread-safe; channels are spread over independently locked shards.
class ROCKETS_CORE_API Backlog {
public:
    /// One channel's numbers.
    struct Entry {
        std::int64_t storedCount = 0;  ///< messages stored, as far as known
        std::int64_t applied = 0;      ///< the projection's version, as far as known
        std::int64_t stuckAt = -1;     ///< storedCount when the consumer last found no progress possible
        std::int64_t appends = 0;      ///< this process's appends so far (see appendMark)
        std::int64_t unapplied() const { return storedCount > applied ? storedCount - applied : 0; }
    };

    /// This process stored a new message of `channel`.
    void stored(const std::string& channel);

    /// The store reports `head` of a channel that changed since it was last asked
    /// (another process's appends included): a stuck channel gets looked at again.
    void observed(const ChannelHead& head);

    /// The projection of `channel` is at `version` (only ever raises it).
    void applied(const std::string& channel, std::int64_t version);

    /// This process's appends of `channel` so far: taken before a read whose count is
    /// passed to counted(), so appends that raced with the read are not lost.
    std::int64_t appendMark(const std::string& channel) const;

    /// The consumer read every stored message of `channel` above its version, after
    /// taking `mark`: the channel held `storedCount` messages at the read, plus the
    /// appends since `mark` that the read may not have seen (counting one twice errs
    /// on the safe side of the limits, and the pass that append triggers recounts).
    void counted(const std::string& channel, std::int64_t storedCount, std::int64_t mark);

    /// The consumer cannot advance `channel` until another message arrives.
    void stuck(const std::string& channel);

    /// True when `channel` has unapplied messages and changed since it was last stuck.
    bool needsWork(const std::string& channel) const;

    /// The channel's numbers (zeros when unknown).
    Entry entry(const std::string& channel) const;

    /// Stored but unapplied messages over every channel.
    std::int64_t unapplied() const { return unapplied_.load(std::memory_order_relaxed); }

    /// Channels known.
    std::size_t channels() const;

private:
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Entry> entries;
    };

    Shard& shardFor(const std::string& channel) const;
    /// Runs `change` on the channel's entry under its lock and keeps unapplied_ in step.
    template <class Change>
    void update(const std::string& channel, Change&& change);

    mutable std::array<Shard, 64> shards_;
    std::atomic<std::int64_t> unapplied_{0};
};

}  // namespace rockets
