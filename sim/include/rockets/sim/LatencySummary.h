#pragma once

#include <chrono>
#include <vector>

namespace rockets::sim {

/// Percentiles of request latency (nearest-rank); all zero for no samples.
struct LatencySummary {
    std::chrono::nanoseconds p50{0};
    std::chrono::nanoseconds p90{0};
    std::chrono::nanoseconds p99{0};
    std::chrono::nanoseconds max{0};

    /// Summarises `samples` (sorted in place).
    static LatencySummary of(std::vector<std::chrono::nanoseconds>& samples);
};

}  // namespace rockets::sim
