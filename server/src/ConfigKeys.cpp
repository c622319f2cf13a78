#include "ConfigKeys.h"

#include <algorithm>
#include <numeric>

namespace rockets::server {

const std::vector<std::string_view>& knownConfigKeys() {
    static const std::vector<std::string_view> keys = {
        // HTTP (Settings)
        "rockets.http.host", "rockets.http.port", "rockets.http.maxThreads", "rockets.http.maxQueued",
        "rockets.http.timeoutMs", "rockets.http.requestTimeoutMs", "rockets.http.idleTimeoutMs",
        "rockets.http.maxConnections", "rockets.http.maxStreams", "rockets.http.streamHeartbeatMs",
        "rockets.http.streamFeedLingerMs", "rockets.http.maxBodyBytes", "rockets.http.webhookToken",
        "rockets.http.corsOrigins",
        // Stores and plugins (Settings)
        "rockets.store.events", "rockets.store.rockets", "rockets.plugins.dir",
        // Consumer and admission limits (Settings)
        "rockets.consumer.workers", "rockets.consumer.sweepIntervalMs", "rockets.limits.maxUnappliedPerChannel",
        "rockets.limits.maxUnappliedTotal",
        // Daemon mode (RocketsServer)
        "rockets.daemon.logFile",
        // plugins/sqlite (SqliteSettings.cpp)
        "rockets.sqlite.path", "rockets.sqlite.synchronous", "rockets.sqlite.busyTimeoutMs",
        // plugins/redis (RedisSettings.cpp)
        "rockets.redis.host", "rockets.redis.port", "rockets.redis.socket", "rockets.redis.db",
        "rockets.redis.password", "rockets.redis.keyPrefix", "rockets.redis.timeoutMs", "rockets.redis.reindexQuietMs",
    };
    return keys;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

namespace {

/// Every leaf key under `prefix` ("rockets"), fully qualified.
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& out) {
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    for (const std::string& child : children) {
        const std::string key = prefix + "." + child;
        Poco::Util::AbstractConfiguration::Keys grandChildren;
        config.keys(key, grandChildren);
        if (grandChildren.empty() || config.hasProperty(key)) out.push_back(key);
        if (!grandChildren.empty()) collectKeys(config, key, out);
    }
}

}  // namespace

std::optional<UnknownKey> findUnknownKey(const Poco::Util::AbstractConfiguration& config) {
    std::vector<std::string> present;
    collectKeys(config, "rockets", present);
    std::sort(present.begin(), present.end());
    const auto& known = knownConfigKeys();
    for (const std::string& key : present) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string_view nearest = known.front();
        std::size_t best = editDistance(key, nearest);
        for (std::string_view candidate : known) {
            const std::size_t distance = editDistance(key, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        return UnknownKey{key, std::string(nearest)};
    }
    return std::nullopt;
}

}  // namespace rockets::server
