#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace rockets::server {

/// Where the log goes, for a daemon and for logrotate.
class LogFiles {
public:
    /// When every logger that writes to the console would write to /dev/null after
    /// detaching (the shipped configuration, or none), points them at `path` instead,
    /// with the console's pattern. Returns whether it did.
    static bool redirectConsoleTo(const std::string& path);

    /// Whether the root logger writes to the console (stderr), where an error printed
    /// on stderr would show twice.
    static bool rootWritesToConsole();

    /// Closes every file channel the loggers or the `logging.channels.*` keys of
    /// `config` use; each reopens its path with its next message. After logrotate
    /// moved a file away, the log continues in a new file under the old name (SIGHUP).
    static void reopen(const Poco::Util::AbstractConfiguration& config);
};

}  // namespace rockets::server
