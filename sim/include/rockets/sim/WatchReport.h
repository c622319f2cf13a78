#pragma once

#include "rockets/sim/SseCounter.h"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace rockets::sim {

/// How one stream of a `watch` went.
struct WatchedStream {
    SseCounts counts;
    bool opened = false;  ///< it answered 200 with text/event-stream
    bool closed = false;  ///< the server ended it before the watch ended (not a failure)
    std::string error;    ///< why it failed; empty when it did not
};

/// The outcome of one `watch`: the summary line for humans and the `--report` JSON
/// (the same numbers, for benchmarks).
struct WatchReport {
    std::string url;
    std::vector<WatchedStream> streams;
    std::chrono::nanoseconds elapsed{0};  ///< from the first connect to the end

    /// The counts of every stream added up.
    SseCounts total() const;

    /// "stream <n>: <error>" for each failed stream (numbered from 1).
    std::vector<std::string> errors() const;

    /// Every stream opened and none failed.
    bool succeeded() const;

    /// One line: "rockets-sim watch: 20 streams, 1234 events (rocket 1230, resync 4),
    /// 12 heartbeats, 345678 bytes", then how many streams closed or failed, if any.
    void writeText(std::ostream& out) const;

    /// The same as a JSON object, with each stream's counts under "perStream".
    std::string toJson() const;
};

}  // namespace rockets::sim
