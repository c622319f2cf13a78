#include "Backends.h"

#if ROCKETS_TEST_WITH_REDIS
#include "RedisServer.h"
#endif

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Path.h>

#include <algorithm>

namespace rockets::test {

std::vector<std::string> builtPlugins() {
    std::vector<std::string> plugins;
    std::string list = ROCKETS_TEST_PLUGINS;
    for (std::size_t from = 0; from <= list.size();) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        if (comma > from) plugins.push_back(list.substr(from, comma - from));
        from = comma + 1;
    }
    return plugins;
}

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

std::map<std::string, std::string> backendDefines(const std::string& plugin, const TempDir& dir) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    configureBackend(plugin, dir, *config);
    std::map<std::string, std::string> defines;
    std::vector<std::string> pending{"rockets"};
    for (std::size_t i = 0; i < pending.size(); ++i) {
        Poco::Util::AbstractConfiguration::Keys children;
        config->keys(pending[i], children);
        if (children.empty()) defines[pending[i]] = config->getString(pending[i]);
        for (const auto& child : children) pending.push_back(pending[i] + "." + child);
    }
    return defines;
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
