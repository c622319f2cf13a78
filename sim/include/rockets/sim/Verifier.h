#pragma once

#include "rockets/Rocket.h"
#include "rockets/sim/Target.h"
#include "rockets/sim/VerifyResult.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace rockets::sim {

struct VerifierSettings {
    /// How long the server may take to apply everything before a rocket counts as wrong.
    std::chrono::nanoseconds timeout = std::chrono::seconds(30);
    /// Pause between two rounds of polling the rockets that do not match yet.
    std::chrono::nanoseconds pollInterval = std::chrono::milliseconds(5);
    /// Page size for GET /rockets.
    std::size_t pageSize = 1000;
    /// Accept rockets in GET /rockets that this run did not send (a server shared
    /// with other runs); ours must still be listed and equal.
    bool allowOtherRockets = false;
    std::chrono::nanoseconds requestTimeout = std::chrono::seconds(10);
};

/// Checks a server against the expected state: polls GET /rockets/{channel} for
/// every expected rocket until all are equal or the timeout passes, then pages
/// through GET /rockets and checks it lists exactly the expected rockets (with equal
/// state) and that X-Total-Count agrees.
class Verifier {
public:
    Verifier(Target target, VerifierSettings settings);

    /// `expected` holds the visible rockets by channel. Never throws for server
    /// behaviour: every problem becomes a mismatch or an error in the result.
    VerifyResult verify(const std::map<std::string, Rocket>& expected) const;

private:
    void checkListing(const std::map<std::string, Rocket>& expected, VerifyResult& result) const;

    Target target_;
    VerifierSettings settings_;
};

}  // namespace rockets::sim
