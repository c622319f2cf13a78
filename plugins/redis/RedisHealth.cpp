#include "RedisHealth.h"

#include <Poco/Format.h>

namespace rockets::redis {

RedisHealth::RedisHealth(std::string endpoint)
    : endpoint_(std::move(endpoint)), logger_(Poco::Logger::get("rockets.redis")) {}

void RedisHealth::writeSucceeded() {
    if (!failing_.load(std::memory_order_relaxed)) return;
    std::unique_lock lock(mutex_);
    if (!failing_.load(std::memory_order_relaxed)) return;
    failing_.store(false, std::memory_order_relaxed);
    const auto seconds = std::chrono::duration<double>(Clock::now() - since_).count();
    const std::size_t failures = failures_;
    lock.unlock();
    logger_.information(Poco::format("redis writes on %s succeed again after %.1f s (%z failed calls meanwhile)",
                                     endpoint_, seconds, failures));
}

void RedisHealth::writeFailed(const std::string& cause) {
    std::unique_lock lock(mutex_);
    cause_ = cause;
    if (failing_.load(std::memory_order_relaxed)) {
        ++failures_;
        return;
    }
    failing_.store(true, std::memory_order_relaxed);
    since_ = Clock::now();
    failures_ = 1;
    lock.unlock();
    logger_.warning("redis writes on " + endpoint_ + " fail, the backend reports unhealthy until one succeeds: " +
                    cause);
}

std::optional<std::string> RedisHealth::writeFailure() const {
    if (!failing_.load(std::memory_order_relaxed)) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (!failing_.load(std::memory_order_relaxed)) return std::nullopt;
    return cause_;
}

}  // namespace rockets::redis
