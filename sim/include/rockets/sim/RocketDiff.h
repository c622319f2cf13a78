#pragma once

#include "rockets/Rocket.h"

#include <string>
#include <vector>

namespace rockets::sim {

/// One field whose served value differs from the expected one; values are rendered
/// as JSON literals (strings quoted, null for no reason).
struct FieldDiff {
    std::string field;  ///< API name, e.g. "speed", "lastMessageNumber"
    std::string expected;
    std::string actual;
};

/// Every API field of `actual` that differs from `expected`, in API order
/// (channel, type, speed, mission, status, reason, launchedAt, updatedAt,
/// lastMessageNumber); empty when they are equal.
std::vector<FieldDiff> diffRockets(const Rocket& expected, const Rocket& actual);

}  // namespace rockets::sim
