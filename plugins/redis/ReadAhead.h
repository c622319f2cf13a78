#pragma once

#include "rockets/EventStore.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rockets::redis {

/// Log pages the consumer is about to read, known before it asks. The consumer
/// reads a channel twice per pass: from its version (after stored() queued the
/// channel) and, after writing, from the new version. Two places see those pages
/// first: an append that stored the channel's highest message knows the log from
/// that number holds just that message; a compare-and-set reads the log after the
/// version it wrote in the same round trip. With both, a pass of the consumer costs
/// one round trip (the compare-and-set) instead of three.
///
/// A page is a snapshot of the log: complete (every message stored from its first
/// number when it was taken) or holding only its first messages. Serving it is the
/// same as a read that happened a moment earlier, with one guard: a page is never
/// served after an append of its channel that this process acknowledged later than
/// the page was taken (read-your-writes). Appends of other processes re-queue the
/// channel through the sweep, exactly as after a real read. Each channel keeps its
/// newest page, served once and only to a read from the page's first number.
class ReadAhead {
public:
    struct Page {
        std::int64_t fromNumber = 0;
        std::vector<Message> messages;
        bool complete = false;  ///< holds every message from fromNumber, not just the first ones
    };

    /// Which appends of a channel a page has seen; taken before its read is sent.
    struct Mark {
        std::uint64_t epoch = 0;
        std::uint64_t appends = 0;
    };

    /// Messages read ahead per written rocket.
    static constexpr std::size_t kLimit = 64;

    /// Read-ahead pays only when this backend's event store is read; until then
    /// (events on another backend) nothing is kept or read extra.
    bool wanted() const { return wanted_.load(std::memory_order_relaxed); }
    void want() { wanted_.store(true, std::memory_order_relaxed); }

    /// The mark of a page of `channel` whose read is sent now.
    Mark mark(const std::string& channel);
    /// An append stored a message of `channel`; called before its caller is answered.
    /// Drops the channel's page.
    void appended(const std::string& channel);
    /// Keeps `page` as the channel's newest, unless an append of the channel was
    /// stored since `mark` was taken.
    void put(const std::string& channel, Page page, Mark mark);
    /// The messages of `range` from the channel's page, which is used up either way;
    /// nullopt when there is none or it does not answer the range.
    std::optional<std::vector<Message>> take(const EventRange& range);

private:
    struct Entry {
        std::uint64_t appends = 0;
        std::optional<Page> page;
    };

    /// Channels tracked before the map is cleared (a new epoch invalidates every
    /// mark taken before it).
    static constexpr std::size_t kMaxChannels = 16384;

    Entry& entry(const std::string& channel);

    std::atomic<bool> wanted_{false};
    std::mutex mutex_;
    std::uint64_t epoch_ = 0;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rockets::redis
