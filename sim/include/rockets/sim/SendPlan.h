#pragma once

#include "rockets/Message.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rockets::sim {

/// Chaos the real test program lacks, applied to a generated stream.
struct ChaosSettings {
    std::uint64_t seed = 444;
    /// Probability that a message is sent a second time, 1..kDuplicateDistance
    /// positions later.
    double duplicateRate = 0;
    /// Shuffle consecutive blocks of this many sends (0 or 1: keep the order); no
    /// send moves by this many positions or more.
    std::size_t reorderWindow = 0;
};

/// The exact sequence of POSTs to make: the stream plus injected duplicates, locally
/// shuffled. Reordering on the wire comes on top, from the concurrent workers.
struct SendPlan {
    std::vector<Message> sends;
    std::size_t duplicates = 0;  ///< injected copies included in `sends`

    /// How far after its original (in stream positions) a duplicate is scheduled, at most.
    static constexpr std::int64_t kDuplicateDistance = 1000;

    /// Deterministic for a given stream and settings.
    static SendPlan build(std::vector<Message> stream, const ChaosSettings& chaos);
};

}  // namespace rockets::sim
