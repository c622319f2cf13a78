#include "Backends.h"

#include "RedisServer.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

namespace rockets::test {

void configureBackend(const std::string& plugin, const TempDir& dir, Poco::Util::AbstractConfiguration& config) {
    config.setString("rockets.store.events", plugin);
    config.setString("rockets.store.rockets", plugin);
    if (plugin == "memory") return;
    if (plugin == "sqlite") {
        config.setString("rockets.sqlite.path", dir.file("rockets.db"));
        return;
    }
    if (plugin == "redis") {
        // One redis-server per test binary; a key prefix per store keeps every
        // BackendUnderTest fresh, and reopen() reuses the prefix.
        config.setString("rockets.redis.socket", RedisServer::shared().socketPath());
        config.setString("rockets.redis.keyPrefix", "test:" + Poco::Path(dir.path()).getFileName() + ":");
        return;
    }
    throw Poco::NotImplementedException("no test set-up for backend " + plugin);
}

BackendUnderTest::BackendUnderTest(const std::string& plugin)
    : plugin_(plugin), config_(new Poco::Util::MapConfiguration), loader_(ROCKETS_PLUGIN_DIR) {
    configureBackend(plugin_, dir_, *config_);
    open();
}

BackendUnderTest::~BackendUnderTest() {
    events_.reset();
    rockets_.reset();
}

void BackendUnderTest::open() {
    events_ = loader_.createEventStore(plugin_);
    events_->open(*config_);
    rockets_ = loader_.createRocketStore(plugin_);
    rockets_->open(*config_);
}

void BackendUnderTest::reopen() {
    events_.reset();
    rockets_.reset();
    open();
}

}  // namespace rockets::test
