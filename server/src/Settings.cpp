#include "Settings.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>

namespace rockets::server {

namespace {

int intInRange(const Poco::Util::AbstractConfiguration& config, const std::string& key, int fallback, int min,
               int max) {
    int value = 0;
    try {
        value = config.getInt(key, fallback);
    } catch (const Poco::SyntaxException&) {
        throw Poco::InvalidArgumentException(key + " must be an integer, got '" + config.getString(key) + "'");
    }
    if (value < min || value > max) {
        throw Poco::InvalidArgumentException(key + " must be between " + std::to_string(min) + " and " +
                                             std::to_string(max) + ", got " + std::to_string(value));
    }
    return value;
}

/// "*", or a comma-separated list of origins (scheme://host[:port], as browsers send
/// them in the Origin header); blanks around commas are ignored.
std::vector<std::string> parseCorsOrigins(const std::string& text) {
    std::vector<std::string> origins;
    Poco::StringTokenizer tokens(text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const std::string& origin : tokens) {
        if (origin != "*" && (origin.find("://") == std::string::npos || origin.back() == '/')) {
            throw Poco::InvalidArgumentException("rockets.http.corsOrigins must be '*' or a comma-separated list of "
                                                 "origins like https://dashboard.example:8443, got '" + origin + "'");
        }
        origins.push_back(origin);
    }
    if (origins.size() > 1 && std::find(origins.begin(), origins.end(), "*") != origins.end()) {
        throw Poco::InvalidArgumentException("rockets.http.corsOrigins: '*' stands alone, got '" + text + "'");
    }
    return origins;
}

}  // namespace

Settings Settings::fromConfig(const Poco::Util::AbstractConfiguration& config, const std::string& defaultPluginsDir) {
    Settings s;
    s.host = config.getString("rockets.http.host", s.host);
    s.port = intInRange(config, "rockets.http.port", s.port, 0, 65535);
    s.maxThreads = intInRange(config, "rockets.http.maxThreads", s.maxThreads, 1, 4096);
    s.maxQueued = intInRange(config, "rockets.http.maxQueued", s.maxQueued, 1, 1 << 20);
    s.timeout = std::chrono::milliseconds(
        intInRange(config, "rockets.http.timeoutMs", static_cast<int>(s.timeout.count()), 1, 3600 * 1000));
    s.requestTimeout = std::chrono::milliseconds(intInRange(config, "rockets.http.requestTimeoutMs",
                                                            static_cast<int>(s.requestTimeout.count()), 1, 3600 * 1000));
    s.idleTimeout = std::chrono::milliseconds(
        intInRange(config, "rockets.http.idleTimeoutMs", static_cast<int>(s.idleTimeout.count()), 1, 3600 * 1000));
    s.maxConnections = intInRange(config, "rockets.http.maxConnections", s.maxConnections, 1, 1 << 20);
    s.maxStreams = intInRange(config, "rockets.http.maxStreams", s.maxStreams, 0, 1 << 16);
    s.streamHeartbeat = std::chrono::milliseconds(intInRange(
        config, "rockets.http.streamHeartbeatMs", static_cast<int>(s.streamHeartbeat.count()), 10, 3600 * 1000));
    s.streamFeedLinger = std::chrono::milliseconds(intInRange(
        config, "rockets.http.streamFeedLingerMs", static_cast<int>(s.streamFeedLinger.count()), 0, 24 * 3600 * 1000));
    s.maxBodyBytes = static_cast<std::size_t>(
        intInRange(config, "rockets.http.maxBodyBytes", static_cast<int>(s.maxBodyBytes), 1, 64 << 20));
    s.webhookToken = config.getString("rockets.http.webhookToken", "");
    s.corsOrigins = parseCorsOrigins(config.getString("rockets.http.corsOrigins", ""));
    s.eventStore = config.getString("rockets.store.events", s.eventStore);
    s.rocketStore = config.getString("rockets.store.rockets", s.rocketStore);
    s.pluginsDir = Poco::Path(config.getString("rockets.plugins.dir", defaultPluginsDir)).absolute().toString();
    s.consumerWorkers =
        static_cast<unsigned>(intInRange(config, "rockets.consumer.workers", static_cast<int>(s.consumerWorkers), 1, 256));
    s.sweepInterval = std::chrono::milliseconds(intInRange(config, "rockets.consumer.sweepIntervalMs",
                                                           static_cast<int>(s.sweepInterval.count()), 10, 3600 * 1000));
    s.maxUnappliedPerChannel = intInRange(config, "rockets.limits.maxUnappliedPerChannel",
                                          static_cast<int>(s.maxUnappliedPerChannel), 1, 1 << 30);
    s.maxUnappliedTotal = intInRange(config, "rockets.limits.maxUnappliedTotal", static_cast<int>(s.maxUnappliedTotal),
                                     1, 1 << 30);
    return s;
}

}  // namespace rockets::server
