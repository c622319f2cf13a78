#pragma once

#include "rockets/EventStore.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace rockets::server {

/// What became of a POST /messages request, for counting.
enum class Outcome { Accepted, Duplicate, Conflict, Invalid, TooLarge, Unauthorized, Unavailable, OverLimit, Count };

/// Why the HTTP edge closed a connection on its own.
enum class CloseReason { Rejected, RequestTimeout, IdleTimeout, OverCapacity, Count };

/// Request counters and a latency histogram, lock-free; rendered by GET /metrics
/// in the Prometheus text format together with the consumer's counters.
class Metrics {
public:
    void count(Outcome outcome) { outcomes_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t total(Outcome outcome) const { return outcomes_[static_cast<std::size_t>(outcome)].load(); }

    void countClose(CloseReason reason) {
        closes_[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
    }
    std::uint64_t total(CloseReason reason) const { return closes_[static_cast<std::size_t>(reason)].load(); }

    /// Client connections open now (kept by the HTTP edge).
    std::atomic<std::int64_t> openConnections{0};

    /// Records one HTTP request's handling time.
    void observeRequest(std::chrono::nanoseconds elapsed);

    /// Prometheus text exposition of these counters; `extra` is appended verbatim.
    std::string render(const std::string& extra) const;

private:
    static constexpr std::array<double, 12> kBucketsSeconds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                                0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Outcome::Count)> outcomes_{};
    std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> buckets_{};
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(CloseReason::Count)> closes_{};
    std::atomic<std::uint64_t> requestNanos_{0};
};

}  // namespace rockets::server
