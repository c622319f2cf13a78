#pragma once

#include "TempDir.h"

#include "rockets/EventStore.h"
#include "rockets/PluginLoader.h"
#include "rockets/RocketStore.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <memory>
#include <string>

namespace rockets::test {

/// A fresh, empty store of one backend, loaded through the production PluginLoader.
/// reopen() destroys the store objects and creates new ones on the same data
/// (same sqlite file, same Redis key prefix), for persistence checks.
class BackendUnderTest {
public:
    explicit BackendUnderTest(const std::string& plugin);
    ~BackendUnderTest();

    EventStore& events() { return *events_; }
    RocketStore& rockets() { return *rockets_; }
    const std::string& plugin() const { return plugin_; }

    /// The configuration the stores were opened with (rockets.* keys).
    Poco::Util::AbstractConfiguration& config() { return *config_; }

    /// Closes and reopens both stores on the same backing data.
    void reopen();

    /// True for backends whose data outlives the store objects.
    bool persistent() const { return plugin_ != "memory"; }

private:
    void open();

    std::string plugin_;
    TempDir dir_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    PluginLoader loader_;
    std::unique_ptr<EventStore> events_;
    std::unique_ptr<RocketStore> rockets_;
};

/// Writes the backend-specific keys for a fresh store of `plugin` into `config`,
/// using `dir` for files. The one place that knows each backend's test set-up.
void configureBackend(const std::string& plugin, const TempDir& dir, Poco::Util::AbstractConfiguration& config);

}  // namespace rockets::test
