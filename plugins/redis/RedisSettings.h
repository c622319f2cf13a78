#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <string>

namespace rockets::redis {

/// Every `rockets.redis.*` key with its default (DESIGN §5), read in one place.
struct RedisSettings {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string socket;  ///< unix socket path; when set it wins over host/port
    int db = 0;
    std::string password;
    std::string keyPrefix = "rockets:";
    std::chrono::milliseconds timeout{2000};  ///< connect and per-call budget
    /// After this long without a rocket written by this process, a background thread
    /// brings the list indexes up to date (0: only list() does).
    std::chrono::milliseconds reindexQuiet{200};

    static RedisSettings fromConfig(const Poco::Util::AbstractConfiguration& config);

    /// "unix:/path" or "host:port", for error messages.
    std::string endpoint() const;
};

}  // namespace rockets::redis
