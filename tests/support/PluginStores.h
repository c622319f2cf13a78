#pragma once

#include "rockets/EventStore.h"
#include "rockets/PluginLoader.h"
#include "rockets/RocketStore.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <memory>
#include <string>

namespace rockets::test {

/// Both stores of one plugin — what one rockets-server holds — loaded through the
/// production PluginLoader and opened with config(). Set keys before open();
/// close() and open() again to reopen on the same data.
class PluginStores {
public:
    explicit PluginStores(std::string plugin);
    ~PluginStores();
    PluginStores(const PluginStores&) = delete;
    PluginStores& operator=(const PluginStores&) = delete;

    Poco::Util::AbstractConfiguration& config() { return *config_; }
    const Poco::Util::AbstractConfiguration& config() const { return *config_; }
    const std::string& plugin() const { return plugin_; }

    /// Creates and opens both stores (events first); throws what open() throws.
    void open();
    /// Destroys both stores (before the loader can unload the plugin).
    void close();

    EventStore& events() { return *events_; }
    RocketStore& rockets() { return *rockets_; }

private:
    std::string plugin_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    PluginLoader loader_;
    std::unique_ptr<EventStore> events_;
    std::unique_ptr<RocketStore> rockets_;
};

}  // namespace rockets::test
