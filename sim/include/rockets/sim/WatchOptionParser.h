#pragma once

#include "rockets/sim/WatchOptions.h"

#include <string>
#include <vector>

namespace rockets::sim {

/// The command line of `rockets-sim watch`: one http:// URL and the flags
/// --streams, --seconds, --report and --help, written as for launch (FlagParser).
class WatchOptionParser {
public:
    /// Parses the arguments after `watch`; throws UsageError with a precise message.
    static WatchOptions parse(const std::vector<std::string>& args);

    /// The text of `rockets-sim watch --help`: every flag with its default.
    static std::string help();
};

}  // namespace rockets::sim
