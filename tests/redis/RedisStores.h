#pragma once

#include "RedisServer.h"

#include "rockets/PluginLoader.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace rockets::test {

/// One instance of the redis plugin's stores (what one rockets-server holds),
/// loaded through the production PluginLoader and opened on `server`.
class RedisStores {
public:
    RedisStores(const RedisServer& server, const std::string& keyPrefix,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
        : config_(new Poco::Util::MapConfiguration), loader_(ROCKETS_PLUGIN_DIR) {
        config_->setString("rockets.redis.socket", server.socketPath());
        config_->setString("rockets.redis.keyPrefix", keyPrefix);
        config_->setInt("rockets.redis.timeoutMs", static_cast<int>(timeout.count()));
    }

    /// Overrides a rockets.redis.* key before open().
    void set(const std::string& key, const std::string& value) { config_->setString(key, value); }

    void open() {
        events_ = loader_.createEventStore("redis");
        events_->open(*config_);
        rockets_ = loader_.createRocketStore("redis");
        rockets_->open(*config_);
    }

    ~RedisStores() {
        events_.reset();
        rockets_.reset();
    }

    EventStore& events() { return *events_; }
    RocketStore& rockets() { return *rockets_; }

    /// A key prefix no other test in this process uses.
    static std::string uniquePrefix(const std::string& name) {
        static std::atomic<int> counter{0};
        return "t:" + name + ":" + std::to_string(++counter) + ":";
    }

private:
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    PluginLoader loader_;
    std::unique_ptr<EventStore> events_;
    std::unique_ptr<RocketStore> rockets_;
};

}  // namespace rockets::test
