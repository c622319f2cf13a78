#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rockets::server {

/// Every `rockets.*` key the server itself reads (DESIGN §5), with its default, in
/// one place. Backend keys (rockets.sqlite.*, rockets.redis.*) are read by the
/// plugins from the same configuration; ConfigKeys.h lists every known key.
struct Settings {
    std::string host = "127.0.0.1";
    int port = 8088;
    int maxThreads = 64;
    int maxQueued = 1024;
    std::chrono::milliseconds timeout{10000};  ///< no progress on a send or a request's receipt
    std::chrono::milliseconds requestTimeout{10000};  ///< a whole request (head and body), and a whole response
    std::chrono::milliseconds idleTimeout{10000};     ///< a keep-alive connection without a request
    int maxConnections = 10000;                       ///< beyond it new connections get 503
    /// How long a worker waits for a kept-alive client's next request while nothing
    /// else needs it (HttpEdge). Not a config key: tuned on the bench; tests lengthen it.
    std::chrono::milliseconds keepAliveWait{20};
    int maxStreams = 100;                             ///< concurrent GET /changes streams; 503 beyond
    std::chrono::milliseconds streamHeartbeat{15000};  ///< comment line on an idle change stream
    /// How long a shared change feed (Redis) stays subscribed after the last change
    /// stream closed (SharedFeed).
    std::chrono::milliseconds streamFeedLinger{30000};
    std::size_t maxBodyBytes = 65536;
    std::string webhookToken;  ///< empty: POST /messages needs no token
    /// Origins whose pages may read the API (CORS): empty = none (CORS off), "*" = any.
    std::vector<std::string> corsOrigins;
    std::string eventStore = "sqlite";
    std::string rocketStore = "sqlite";
    std::string pluginsDir;  ///< absolute after fromConfig()
    unsigned consumerWorkers = 2;
    std::chrono::milliseconds sweepInterval{1000};
    /// POST /messages answers 503 beyond these many stored but unapplied messages
    /// (per channel / in total); a channel's next message is always accepted.
    std::int64_t maxUnappliedPerChannel = 10000;
    std::int64_t maxUnappliedTotal = 1000000;

    /// Reads and validates the keys; `defaultPluginsDir` is used when
    /// rockets.plugins.dir is unset. Throws Poco::InvalidArgumentException naming
    /// the key for values out of range.
    static Settings fromConfig(const Poco::Util::AbstractConfiguration& config, const std::string& defaultPluginsDir);
};

}  // namespace rockets::server
