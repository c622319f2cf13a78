#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace rockets::sim {

/// Everything `rockets-sim watch` was asked to do.
struct WatchOptions {
    std::string url;            ///< as given, e.g. http://127.0.0.1:8088/changes?status=ACTIVE
    std::string host;
    std::uint16_t port = 80;
    std::string path = "/";     ///< path and query to GET, e.g. /changes?status=ACTIVE
    unsigned streams = 1;       ///< streams to open on `url`
    /// How long to watch; none: until SIGINT/SIGTERM or until every stream ended.
    std::optional<std::chrono::seconds> duration;
    std::string report;         ///< write the JSON report here
    bool help = false;          ///< --help: print the watch help and do nothing else
};

}  // namespace rockets::sim
