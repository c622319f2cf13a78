#pragma once

#include "rockets/sim/RocketDiff.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rockets::sim {

/// One rocket the server gets wrong.
struct RocketMismatch {
    std::string channel;
    /// What went wrong, e.g. "GET /rockets/{channel}: differs", "... not found (404)",
    /// "GET /rockets: missing", "GET /rockets: not expected".
    std::string problem;
    std::vector<FieldDiff> diffs;  ///< empty unless the rocket was found but differs
};

/// The outcome of verifying one server.
struct VerifyResult {
    std::string origin;              ///< the server checked
    std::size_t expectedRockets = 0;
    std::size_t matchedRockets = 0;  ///< GET /rockets/{channel} equal before the timeout
    std::size_t listedRockets = 0;   ///< rockets returned by paging through GET /rockets
    std::optional<std::size_t> totalCount;  ///< X-Total-Count of the first page
    std::vector<RocketMismatch> mismatches;
    std::vector<std::string> errors;  ///< problems not tied to one rocket
    /// When every GET /rockets/{channel} matched; unset if that never happened.
    std::optional<std::chrono::steady_clock::time_point> consistentAt;

    bool passed() const { return mismatches.empty() && errors.empty(); }
};

}  // namespace rockets::sim
