#pragma once

#include "PluginStores.h"
#include "TempDir.h"

#include <map>
#include <string>
#include <vector>

namespace rockets::test {

/// A fresh, empty store of one backend, loaded through the production PluginLoader.
/// reopen() destroys the store objects and creates new ones on the same data
/// (same sqlite file, same Redis key prefix), for persistence checks.
class BackendUnderTest {
public:
    explicit BackendUnderTest(const std::string& plugin);

    EventStore& events() { return stores_.events(); }
    RocketStore& rockets() { return stores_.rockets(); }
    StoreBackend& backend() { return stores_.backend(); }
    /// Both stores as a server holds them.
    Stores& stores() { return stores_.stores(); }
    const std::string& plugin() const { return stores_.plugin(); }

    /// The configuration the stores were opened with (rockets.* keys).
    Poco::Util::AbstractConfiguration& config() { return stores_.config(); }

    /// Closes and reopens both stores on the same backing data.
    void reopen();

private:
    TempDir dir_;  ///< declared first: outlives the stores that use it
    PluginStores stores_;
};

/// The plugins this build has (ROCKETS_PLUGINS), for suites that run on every backend.
std::vector<std::string> builtPlugins();

/// Writes the backend-specific keys for a fresh store of `plugin` into `config`,
/// using `dir` for files. The one place that knows each backend's test set-up.
void configureBackend(const std::string& plugin, const TempDir& dir, Poco::Util::AbstractConfiguration& config);

/// The keys configureBackend writes, as `-D key=value` pairs for a server process.
std::map<std::string, std::string> backendDefines(const std::string& plugin, const TempDir& dir);

}  // namespace rockets::test
