#pragma once

#include "rockets/sim/LaunchOptions.h"
#include "rockets/sim/SendStats.h"
#include "rockets/sim/VerifyResult.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rockets::sim {

/// The outcome of one `launch`: the final summary for humans and the `--report`
/// JSON (which carries the same numbers, for benchmarks).
struct Report {
    std::vector<std::string> targets;
    std::uint64_t seed = 0;
    std::size_t rockets = 0;            ///< channels in the stream
    std::size_t distinctMessages = 0;
    std::size_t injectedDuplicates = 0;
    unsigned concurrency = 0;
    bool keepAlive = false;
    SendStats send;
    bool verified = false;              ///< --verify ran
    std::vector<VerifyResult> verification;
    /// From the last ack until every rocket matched on every verified server.
    std::optional<std::chrono::nanoseconds> consistencyTime;

    /// Everything acked and, when verified, every server passed.
    bool succeeded() const;

    /// The summary; mismatches beyond `maxMismatches` per server are counted, not listed.
    void writeText(std::ostream& out, std::size_t maxMismatches = 50) const;

    /// The same as a JSON object (every mismatch listed).
    std::string toJson() const;
};

}  // namespace rockets::sim
