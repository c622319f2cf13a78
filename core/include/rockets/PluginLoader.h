#pragma once

#include "rockets/EventStore.h"
#include "rockets/Export.h"
#include "rockets/RocketStore.h"

#include <memory>
#include <string>
#include <vector>

namespace rockets {

/// Loads store plugins: a name such as "sqlite" resolves to
/// `<directory>/rockets-store-sqlite.so`, which exports one EventStore and one
/// RocketStore through Poco::ClassLoader manifests named "EventStore" and
/// "RocketStore". Objects it creates must be destroyed before the loader (the
/// loader unloads the libraries in its destructor).
class ROCKETS_CORE_API PluginLoader {
public:
    /// `directory` is made absolute (dlopen needs an absolute path).
    explicit PluginLoader(const std::string& directory);
    ~PluginLoader();

    PluginLoader(const PluginLoader&) = delete;
    PluginLoader& operator=(const PluginLoader&) = delete;

    /// Absolute path of the plugin file for `name`.
    std::string pathFor(const std::string& name) const;

    /// Names of the plugins present in the directory (from `rockets-store-*.so`).
    std::vector<std::string> available() const;

    /// A new, unopened EventStore from plugin `name`. Throws Poco::NotFoundException
    /// naming the path tried and the plugins found when it cannot be loaded.
    std::unique_ptr<EventStore> createEventStore(const std::string& name);

    /// A new, unopened RocketStore from plugin `name`; errors as createEventStore.
    std::unique_ptr<RocketStore> createRocketStore(const std::string& name);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rockets
