#pragma once

#include <atomic>
#include <cstddef>

namespace rockets::sim {

/// Counters the sender updates while running and the progress display reads.
struct LiveCounters {
    std::atomic<std::size_t> acked{0};    ///< sends answered 2xx
    std::atomic<std::size_t> retries{0};  ///< attempts that will be (or would have been) repeated
    std::atomic<std::size_t> failed{0};   ///< sends given up after --retry-for
};

}  // namespace rockets::sim
