#pragma once

#include "rockets/sim/LaunchOptions.h"
#include "rockets/sim/Report.h"

#include <ostream>

namespace rockets::sim {

/// `rockets-sim launch`: build the stream (generate or replay), optionally dump it,
/// send it, optionally verify, print the summary and write the JSON report.
class LaunchCommand {
public:
    /// `out` gets the summary, `err` progress and diagnostics.
    LaunchCommand(LaunchOptions options, std::ostream& out, std::ostream& err);

    /// Runs everything; the exit status (0 success, 1 failure). Throws
    /// Poco::Exception when the stream or report file cannot be read or written.
    int run();

    /// The report of the last run().
    const Report& report() const { return report_; }

private:
    LaunchOptions options_;
    std::ostream& out_;
    std::ostream& err_;
    Report report_;
};

}  // namespace rockets::sim
