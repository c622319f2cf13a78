#pragma once

#include "rockets/EventStore.h"
#include "rockets/PluginLoader.h"
#include "rockets/RocketStore.h"
#include "rockets/Stores.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <memory>
#include <string>

namespace rockets::test {

/// The backend of one plugin — what one rockets-server holds — loaded through the
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

    /// Creates and opens the backend; throws what open() throws.
    void open();
    /// Destroys the backend (before the loader can unload the plugin).
    void close();

    EventStore& events() { return stores_->events(); }
    RocketStore& rockets() { return stores_->rockets(); }
    /// The plugin's one backend object.
    StoreBackend& backend() { return *stores_->members().front().backend; }
    /// Both stores as the server holds them.
    Stores& stores() { return *stores_; }
    PluginLoader& loader() { return loader_; }

private:
    std::string plugin_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    PluginLoader loader_;
    std::unique_ptr<Stores> stores_;
};

}  // namespace rockets::test
