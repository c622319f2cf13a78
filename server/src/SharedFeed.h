#pragma once

#include "StreamHub.h"

#include "rockets/RocketStore.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace rockets::server {

/// Keeps the store's shared change feed (Redis pub/sub: the changes every instance
/// applies) subscribed only while GET /changes streams may need it.
///
/// Listening costs something on every applied change, watched or not: Redis copies
/// each published rocket to the subscriber, and the feed thread decodes it into the
/// stream hub's ring (6 % of the server's CPU at 100,000 channels, bench/PROFILE.md).
/// So an instance no client watches stops listening once `linger` has passed since
/// its last stream closed, and listens again when the next one opens:
/// - hold() (StreamHub::Options::onReserve, before the new stream's handler takes its
///   position) subscribes when the feed is not subscribed and returns once it is, so
///   the stream misses nothing committed after that.
/// - idle() (StreamHub::Options::onIdle, the last stream closed) ends the
///   subscription `linger` later unless a stream is open by then, and tells the hub
///   the feed was lost: the ring lacks what nobody listened to, so a Last-Event-ID
///   from before is answered with a resync. Clients that reconnect within the linger
///   (a reloaded dashboard, a dropped connection) resume without one.
///
/// start() subscribes once, to learn whether the store has a feed, and the
/// subscription ends right after unless a stream opened meanwhile: no stream can
/// resume across a restart (its ids carry the process's epoch).
class SharedFeed {
public:
    SharedFeed(RocketStore& store, StreamHub& hub, std::chrono::milliseconds linger);
    /// stop().
    ~SharedFeed();
    SharedFeed(const SharedFeed&) = delete;
    SharedFeed& operator=(const SharedFeed&) = delete;

    /// Subscribes the hub to the store's feed. False when the store has none (each
    /// process's consumer then publishes its own changes to its hub).
    bool start();
    /// A stream is opening: returns once the feed is subscribed. No-op without a feed.
    void hold();
    /// No stream is open any more.
    void idle();
    /// Ends the subscription for good; hold() does nothing afterwards.
    void stop();

    /// Whether the feed is subscribed now (for tests and logs).
    bool subscribed() const;

private:
    using Clock = std::chrono::steady_clock;
    /// Subscribes (subscriptionMutex_ held); false when the store refused.
    bool subscribe();
    /// The linger thread: ends the subscription once it has been idle for `linger_`.
    void run();

    RocketStore& store_;
    StreamHub& hub_;
    const std::chrono::milliseconds linger_;

    /// Held while subscribing and unsubscribing, so that hold() waits for an
    /// unsubscription under way and then subscribes anew. Order: this, then the hub's
    /// lock (hub_.lost()). Guards the three below.
    mutable std::mutex subscriptionMutex_;
    /// Written once by start(), before any stream can open.
    bool shared_ = false;  ///< the store has a feed
    bool subscribed_ = false;
    bool heldForStreams_ = false;  ///< a stream has held the feed (then unsubscribing is logged)

    /// Guards the linger's state, never held while subscribing: idle() runs on the hub's
    /// writer thread, which must not wait for Redis.
    std::mutex mutex_;
    std::condition_variable wake_;
    /// When the streams were last all closed (idle(); start() sets it a linger back);
    /// unset once the linger thread has looked.
    std::optional<Clock::time_point> idleSince_;
    /// Set by stop() under mutex_; read under either lock.
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace rockets::server
