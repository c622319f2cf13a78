#pragma once

#include "RedisConnection.h"

#include <Poco/Logger.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

namespace rockets::redis {

/// Whether the backend's writes work: a failing write (Redis down, MISCONF, OOM,
/// READONLY, a timeout) makes it failing until a write succeeds again. Logs the two
/// transitions, not every failed call, so an outage costs two log lines.
/// Thread-safe; a success while healthy costs one atomic load.
class RedisHealth {
public:
    explicit RedisHealth(std::string endpoint);

    void writeSucceeded();
    void writeFailed(const std::string& cause);

    /// The cause of the last failed write while writes are failing.
    std::optional<std::string> writeFailure() const;

private:
    std::string endpoint_;
    Poco::Logger& logger_;
    std::atomic<bool> failing_{false};
    mutable std::mutex mutex_;
    std::string cause_;
    Clock::time_point since_;
    std::size_t failures_ = 0;
};

}  // namespace rockets::redis
