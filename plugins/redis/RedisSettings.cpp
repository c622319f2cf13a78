#include "RedisSettings.h"

#include <Poco/Exception.h>

namespace rockets::redis {

RedisSettings RedisSettings::fromConfig(const Poco::Util::AbstractConfiguration& config) {
    RedisSettings s;
    s.host = config.getString("rockets.redis.host", s.host);
    s.port = config.getInt("rockets.redis.port", s.port);
    s.socket = config.getString("rockets.redis.socket", s.socket);
    s.db = config.getInt("rockets.redis.db", s.db);
    s.password = config.getString("rockets.redis.password", s.password);
    s.keyPrefix = config.getString("rockets.redis.keyPrefix", s.keyPrefix);
    s.timeout = std::chrono::milliseconds(config.getInt("rockets.redis.timeoutMs", static_cast<int>(s.timeout.count())));
    if (s.timeout.count() <= 0) throw Poco::InvalidArgumentException("rockets.redis.timeoutMs must be positive");
    s.reindexQuiet = std::chrono::milliseconds(
        config.getInt("rockets.redis.reindexQuietMs", static_cast<int>(s.reindexQuiet.count())));
    if (s.reindexQuiet.count() < 0) throw Poco::InvalidArgumentException("rockets.redis.reindexQuietMs must not be negative");
    if (s.port <= 0 || s.port > 65535) throw Poco::InvalidArgumentException("rockets.redis.port out of range");
    if (s.db < 0) throw Poco::InvalidArgumentException("rockets.redis.db must not be negative");
    return s;
}

std::string RedisSettings::endpoint() const {
    if (!socket.empty()) return "unix:" + socket;
    return host + ":" + std::to_string(port);
}

}  // namespace rockets::redis
