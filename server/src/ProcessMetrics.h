#pragma once

#include <optional>

namespace rockets::server {

/// What /proc/self says about this process, for the standard process_* metrics.
struct ProcessSample {
    double cpuSeconds = 0;        ///< user + system CPU time
    double residentBytes = 0;     ///< resident set size
    double virtualBytes = 0;      ///< virtual memory size
    double openFds = 0;           ///< open file descriptors
    double maxFds = 0;            ///< the soft limit on open file descriptors
    double threads = 0;           ///< threads of the process
    double startTimeSeconds = 0;  ///< start time, seconds since the Unix epoch
};

/// Reads /proc/self/stat, /proc/self/fd and /proc/stat; nullopt where there is no
/// /proc (the metrics are then left out, never made up).
std::optional<ProcessSample> sampleProcess();

}  // namespace rockets::server
