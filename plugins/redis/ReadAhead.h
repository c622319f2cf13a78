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
/// number at the moment it was taken) or holding only its first messages. Serving
/// it is the same as a read that happened a moment earlier: an append after it
/// re-queues the channel (this process calls stored(), other processes are found by
/// the sweep), exactly as an append right after a real read does. Each channel keeps
/// its newest page, served once and only to a read from the page's first number.
class ReadAhead {
public:
    struct Page {
        std::int64_t fromNumber = 0;
        std::vector<Message> messages;
        bool complete = false;  ///< holds every message from fromNumber, not just the first ones
    };

    /// Messages read ahead per written rocket.
    static constexpr std::size_t kLimit = 64;

    /// Read-ahead pays only when this backend's event store is read; until then
    /// (events on another backend) nothing is kept or read extra.
    bool wanted() const { return wanted_.load(std::memory_order_relaxed); }
    void want() { wanted_.store(true, std::memory_order_relaxed); }

    /// Keeps `page` as the channel's newest, replacing an older one.
    void put(const std::string& channel, Page page);
    /// The messages of `range` from the channel's page, which is used up either way;
    /// nullopt when there is none or it does not answer the range.
    std::optional<std::vector<Message>> take(const EventRange& range);

private:
    /// Pages of channels the consumer never read (another process applied them, or
    /// the consumer's version had moved on) are dropped when this many pile up.
    static constexpr std::size_t kMaxPages = 16384;

    std::atomic<bool> wanted_{false};
    std::mutex mutex_;
    std::unordered_map<std::string, Page> pages_;
};

}  // namespace rockets::redis
