#pragma once

#include "rockets/Export.h"
#include "rockets/StoreBackend.h"

#include <memory>
#include <string>
#include <vector>

namespace rockets {

/// Loads store plugins: a name such as "sqlite" resolves to
/// `<directory>/rockets-store-sqlite.so`, which exports one StoreBackend through a
/// Poco::ClassLoader manifest named "StoreBackend". Objects it creates must be
/// destroyed before the loader (the loader unloads the libraries in its destructor).
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

    /// A new, unopened backend from plugin `name`. Throws Poco::NotFoundException
    /// naming the path tried and the plugins found when it cannot be loaded.
    std::unique_ptr<StoreBackend> createBackend(const std::string& name);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rockets
