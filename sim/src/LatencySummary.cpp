#include "rockets/sim/LatencySummary.h"

#include <algorithm>
#include <cmath>

namespace rockets::sim {

namespace {

std::chrono::nanoseconds rank(const std::vector<std::chrono::nanoseconds>& sorted, double percentile) {
    const auto index = static_cast<std::size_t>(std::ceil(percentile / 100 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(index, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary LatencySummary::of(std::vector<std::chrono::nanoseconds>& samples) {
    LatencySummary summary;
    if (samples.empty()) return summary;
    std::sort(samples.begin(), samples.end());
    summary.p50 = rank(samples, 50);
    summary.p90 = rank(samples, 90);
    summary.p99 = rank(samples, 99);
    summary.max = samples.back();
    return summary;
}

}  // namespace rockets::sim
