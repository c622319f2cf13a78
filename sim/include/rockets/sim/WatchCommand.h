#pragma once

#include "rockets/sim/WatchOptions.h"
#include "rockets/sim/WatchReport.h"

#include <ostream>

namespace rockets::sim {

/// `rockets-sim watch`: opens the streams, reads every one of them from this one
/// thread with poll(2) on non-blocking sockets, and counts what arrives until
/// SIGINT/SIGTERM, --seconds, or the server closed them all; then prints the
/// summary and writes the JSON report.
class WatchCommand {
public:
    /// `out` gets "N streams open" and the summary, `err` each stream's failure as it happens.
    WatchCommand(WatchOptions options, std::ostream& out, std::ostream& err);

    /// Runs everything; the exit status (0 every stream opened and none failed, 1
    /// otherwise). Throws Poco::Exception when the host does not resolve or the
    /// report cannot be written.
    int run();

    /// The report of the last run().
    const WatchReport& report() const { return report_; }

private:
    WatchOptions options_;
    std::ostream& out_;
    std::ostream& err_;
    WatchReport report_;
};

}  // namespace rockets::sim
