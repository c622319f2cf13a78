#pragma once

#include "rockets/sim/LaunchOptions.h"

#include <string>
#include <vector>

namespace rockets::sim {

/// The command line of `rockets-sim launch`: one URL argument (comma-separated
/// URLs allowed) and flags written `--flag=value` or `--flag value` (a single
/// leading dash works too, as with Go's flag package). Boolean flags take no value
/// or an explicit `=true` / `=false`.
class LaunchOptionParser {
public:
    /// Parses the arguments after `launch`; throws UsageError with a precise message.
    static LaunchOptions parse(const std::vector<std::string>& args);

    /// The text of `rockets-sim launch --help`: every flag with its default.
    static std::string help();
};

}  // namespace rockets::sim
