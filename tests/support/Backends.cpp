#include "Backends.h"

#if ROCKETS_TEST_WITH_REDIS
#include "RedisServer.h"
#endif

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
#if ROCKETS_TEST_WITH_REDIS  // the redis plugin is built (ROCKETS_PLUGINS)
    if (plugin == "redis") {
        // One redis-server per test binary; a key prefix per store keeps every
        // BackendUnderTest fresh, and reopen() reuses the prefix.
        config.setString("rockets.redis.socket", RedisServer::shared().socketPath());
        config.setString("rockets.redis.keyPrefix", "test:" + Poco::Path(dir.path()).getFileName() + ":");
        return;
    }
#endif
    throw Poco::NotImplementedException("no test set-up for backend " + plugin);
}

BackendUnderTest::BackendUnderTest(const std::string& plugin) : stores_(plugin) {
    configureBackend(plugin, dir_, stores_.config());
    stores_.open();
}

void BackendUnderTest::reopen() {
    stores_.close();
    stores_.open();
}

}  // namespace rockets::test
