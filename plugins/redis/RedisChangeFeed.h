#pragma once

#include "RedisConnection.h"
#include "RedisSettings.h"

#include "rockets/LogThrottle.h"
#include "rockets/RocketStore.h"

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace rockets::redis {

/// The receiving end of the shared change feed: compare_and_set.lua PUBLISHes every
/// committed visible rocket (its API JSON) on one pub/sub channel, atomically with the
/// write; this subscriber, on its own thread and connection, decodes each one and
/// calls `listener.changed`.
///
/// Interruptions: the connection is watched with a PING after `timeout` of silence;
/// when it drops (Redis restarted, stalled, the subscriber fell so far behind that
/// Redis closed it), `listener.lost()` is called at once, the subscriber reconnects
/// with back-off (100 ms doubling to 5 s), and once it is subscribed again it calls
/// `lost()` a second time: changes committed before that moment may be missing from
/// the feed, and a reload started then misses nothing.
class RedisChangeFeed {
public:
    /// Starts the subscriber thread; the first subscription is made on it.
    RedisChangeFeed(const RedisSettings& settings, std::string channel, CommittedChangeListener listener);
    /// Stops and joins the thread; no listener call runs after it returns.
    ~RedisChangeFeed();
    RedisChangeFeed(const RedisChangeFeed&) = delete;
    RedisChangeFeed& operator=(const RedisChangeFeed&) = delete;

private:
    /// A new connection subscribed to the feed; throws StoreUnavailableException.
    std::unique_ptr<RedisConnection> subscribe();
    /// The thread: listens, and resubscribes after each interruption.
    void run(const std::string& firstFailure);
    /// Delivers the feed until stop is requested (returns) or it drops (throws).
    void listen(RedisConnection& connection);
    void handle(const redisReply& reply);
    /// Waits until `fd` is readable, the timeout passes or stop is requested.
    /// Returns 1 readable, 0 timeout, -1 stopping.
    int wait(int fd, std::chrono::milliseconds timeout);
    void notifyLost();

    const RedisSettings settings_;
    const std::string channel_;
    const CommittedChangeListener listener_;
    Poco::Logger& logger_;
    LogThrottle throttle_;
    int wakeFd_ = -1;  ///< eventfd: signalled to stop
    std::atomic<bool> stopping_{false};
    std::unique_ptr<RedisConnection> connection_;  ///< the first subscription, handed to the thread
    std::thread thread_;
};

}  // namespace rockets::redis
