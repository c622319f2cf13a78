#pragma once

#include "RedisConnection.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rockets::redis {

/// Log pages read in the same round trip as a successful compare-and-set, for the
/// next readMany of the same thread. The consumer writes a batch of rockets and then
/// reads on from each new version; with read-ahead that read is already there, and
/// a consumer pass costs two round trips instead of three.
///
/// A page is a snapshot of the log taken right after the write committed, so serving
/// it is the same as a readMany that happened a moment earlier: an append after it
/// re-queues the channel (this process calls stored(), other processes are found by
/// the sweep), exactly as an append right after a real read does. Pages live until
/// the thread's next readMany or compareAndSetMany, whichever comes first, and are
/// served only for the very range they answer.
class ReadAhead {
public:
    struct Page {
        std::string channel;
        std::int64_t fromNumber = 0;
        std::size_t limit = 0;  ///< the read's LIMIT: a page shorter than it is complete
        ReplyPtr reply{nullptr, &freeReplyObject};
    };

    /// Messages read ahead per written rocket.
    static constexpr std::size_t kLimit = 64;

    /// Read-ahead pays only when this backend's event store is read; until then
    /// (events on another backend) compareAndSetMany reads nothing extra.
    bool wanted() const { return wanted_.load(std::memory_order_relaxed); }
    void want() { wanted_.store(true, std::memory_order_relaxed); }

    /// Keeps `pages` for this thread, replacing what it had.
    void put(std::vector<Page> pages);
    /// This thread's pages, removed.
    std::vector<Page> take();

private:
    /// Bounds the map when threads that wrote never read (they leave pages behind).
    static constexpr std::size_t kMaxThreads = 256;

    std::atomic<bool> wanted_{false};
    std::mutex mutex_;
    std::unordered_map<std::thread::id, std::vector<Page>> pages_;
};

}  // namespace rockets::redis
