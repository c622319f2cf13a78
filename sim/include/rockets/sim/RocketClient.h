#pragma once

#include "rockets/Rocket.h"
#include "rockets/sim/Target.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rockets::sim {

/// One page of GET /rockets and its X-Total-Count.
struct RocketListPage {
    std::vector<Rocket> rockets;
    std::optional<std::size_t> totalCount;  ///< nullopt when the header is missing or not a number
};

/// Reads the REST API of one server (a fresh connection per request).
class RocketClient {
public:
    RocketClient(Target target, std::chrono::nanoseconds timeout);

    /// GET /rockets/{channel} (percent-encoded). nullopt on 404; throws
    /// Poco::Exception on any other status, an undecodable body or a network error.
    std::optional<Rocket> get(const std::string& channel) const;

    /// GET /rockets?limit=..&offset=..; throws like get().
    RocketListPage list(std::size_t limit, std::size_t offset) const;

    /// The path of a rocket, e.g. /rockets/a%2Fb for channel "a/b".
    std::string rocketPath(const std::string& channel) const;

private:
    /// Status and body of a GET.
    std::pair<int, std::string> fetch(const std::string& path, std::optional<std::size_t>* totalCount) const;

    Target target_;
    std::chrono::nanoseconds timeout_;
};

}  // namespace rockets::sim
