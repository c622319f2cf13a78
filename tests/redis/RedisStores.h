#pragma once

#include "PluginStores.h"
#include "RedisServer.h"

#include <atomic>
#include <chrono>
#include <string>

namespace rockets::test {

/// One instance of the redis plugin's stores (what one rockets-server holds),
/// loaded through the production PluginLoader and opened on `server`.
class RedisStores {
public:
    RedisStores(const RedisServer& server, const std::string& keyPrefix,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
        : stores_("redis") {
        stores_.config().setString("rockets.redis.socket", server.socketPath());
        stores_.config().setString("rockets.redis.keyPrefix", keyPrefix);
        stores_.config().setInt("rockets.redis.timeoutMs", static_cast<int>(timeout.count()));
    }

    /// Overrides a rockets.redis.* key before open().
    void set(const std::string& key, const std::string& value) { stores_.config().setString(key, value); }

    void open() { stores_.open(); }

    EventStore& events() { return stores_.events(); }
    RocketStore& rockets() { return stores_.rockets(); }
    StoreBackend& backend() { return stores_.backend(); }

    /// A key prefix no other test in this process uses.
    static std::string uniquePrefix(const std::string& name) {
        static std::atomic<int> counter{0};
        return "t:" + name + ":" + std::to_string(++counter) + ":";
    }

private:
    PluginStores stores_;
};

}  // namespace rockets::test
