#pragma once

#include "RedisConnection.h"
#include "RedisSettings.h"

#include "rockets/StoreErrors.h"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace rockets::redis {

/// The backend's one pool of RedisConnections, shared by both stores and every
/// thread. Each call gets one timeout in total (connect included); broken
/// connections are dropped, so the next call reconnects by itself when Redis is back.
class RedisConnectionPool {
public:
    explicit RedisConnectionPool(RedisSettings settings);

    const RedisSettings& settings() const { return settings_; }

    /// Runs `fn(connection, deadline)` on one connection and returns its result.
    /// When a reused connection turns out to be dead (Redis restarted; not a
    /// timeout), all idle connections are dropped and `fn` runs once more on a new
    /// one within the same deadline, so callers' `fn` must be safe to repeat (every
    /// write here is a script whose repetition is detected: Duplicate / stale CAS).
    template <class Fn>
    auto run(Fn&& fn) {
        return run(Clock::now() + settings_.timeout, std::forward<Fn>(fn));
    }

    /// run() within a deadline the caller chose.
    template <class Fn>
    auto run(Clock::time_point deadline, Fn&& fn) {
        for (int attempt = 0;; ++attempt) {
            bool reused = false;
            std::unique_ptr<RedisConnection> connection = take(deadline, reused);
            try {
                auto result = fn(*connection, deadline);
                give(std::move(connection));
                return result;
            } catch (const StoreUnavailableException&) {
                if (!connection->broken()) {
                    give(std::move(connection));  // an error reply: the stream is intact
                    throw;
                }
                discardIdle();
                if (reused && !connection->timedOut() && attempt == 0) continue;
                throw;
            }
        }
    }

    /// Drops every idle connection (they are likely as dead as the one that failed).
    void discardIdle();

    /// Every field and value of the hash at `key`, read with HSCAN in steps of about
    /// 1000 so a large hash never blocks Redis (HGETALL of 100k fields stalled every
    /// other client for tens of ms: the sweep's heads/versions made list p99 118 ms).
    /// Each step gets its own timeout; fields HSCAN repeats are returned once.
    std::vector<std::pair<std::string, std::string>> scanHash(const std::string& key);

private:
    std::unique_ptr<RedisConnection> take(Clock::time_point deadline, bool& reused);
    void give(std::unique_ptr<RedisConnection> connection);

    static constexpr std::size_t kMaxIdle = 64;

    RedisSettings settings_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<RedisConnection>> idle_;
};

}  // namespace rockets::redis
