#pragma once

#include "rockets/sim/LatencySummary.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace rockets::sim {

/// What sending a plan did.
struct SendStats {
    std::size_t planned = 0;           ///< sends in the plan
    std::size_t acked = 0;             ///< answered 2xx
    std::size_t failed = 0;            ///< given up after --retry-for
    std::size_t unsent = 0;            ///< never attempted because an earlier send failed
    std::size_t retries = 0;           ///< attempts answered non-2xx or failing on the connection
    std::size_t serverDuplicates = 0;  ///< 200 {"status":"duplicate"}
    std::size_t serverConflicts = 0;   ///< 200 {"status":"conflict"}
    /// Every attempt by outcome: the HTTP status ("202", "503", ...), or
    /// "connection_error" / "timeout" when no response came.
    std::map<std::string, std::size_t> outcomes;
    /// Latency of the successful attempt of each acked send.
    LatencySummary latency;
    std::chrono::nanoseconds elapsed{0};  ///< first send to last answer
    std::chrono::steady_clock::time_point lastAck{};

    /// Acked sends per second of `elapsed`.
    double throughput() const;
};

}  // namespace rockets::sim
