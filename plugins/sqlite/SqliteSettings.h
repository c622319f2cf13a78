#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <string>

namespace rockets::sqlite {

/// Every `rockets.sqlite.*` key with its default, read in one place.
struct SqliteSettings {
    /// Database file; the server hands over an absolute path (DESIGN §5).
    std::string path = "rockets.db";
    /// "FULL" (fsync before every acknowledgement) or "NORMAL".
    std::string synchronous = "FULL";
    /// How long a writer waits for another connection's write lock before the
    /// call fails with StoreUnavailableException (HTTP 503).
    std::chrono::milliseconds busyTimeout{1000};

    /// Reads the keys; throws Poco::InvalidArgumentException naming the key for a
    /// value it cannot use (e.g. synchronous=OFF).
    static SqliteSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
};

}  // namespace rockets::sqlite
