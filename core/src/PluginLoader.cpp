#include "rockets/PluginLoader.h"

#include <Poco/ClassLoader.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>

namespace rockets {

namespace {
const std::string kPrefix = "rockets-store-";
const std::string kSuffix = ".so";
}  // namespace

struct PluginLoader::Impl {
    std::string directory;
    Poco::ClassLoader<EventStore> eventLoaders;
    Poco::ClassLoader<RocketStore> rocketLoaders;
};

PluginLoader::PluginLoader(const std::string& directory) : impl_(std::make_unique<Impl>()) {
    impl_->directory = Poco::Path(directory).absolute().makeDirectory().toString();
}

PluginLoader::~PluginLoader() = default;

std::string PluginLoader::pathFor(const std::string& name) const {
    return impl_->directory + kPrefix + name + kSuffix;
}

std::vector<std::string> PluginLoader::available() const {
    std::vector<std::string> names;
    try {
        for (Poco::DirectoryIterator it(impl_->directory), end; it != end; ++it) {
            const std::string& file = it.name();
            if (file.size() > kPrefix.size() + kSuffix.size() && file.starts_with(kPrefix) &&
                file.ends_with(kSuffix)) {
                names.push_back(file.substr(kPrefix.size(), file.size() - kPrefix.size() - kSuffix.size()));
            }
        }
    } catch (const Poco::Exception&) {
        // A missing directory simply has no plugins; the caller's error names the path.
    }
    std::sort(names.begin(), names.end());
    return names;
}

namespace {

template <typename Base>
std::unique_ptr<Base> createFrom(Poco::ClassLoader<Base>& loader, const PluginLoader& self,
                                 const std::string& name, const std::string& manifest) {
    const std::string path = self.pathFor(name);
    auto fail = [&](const std::string& why) {
        std::string found;
        for (const auto& plugin : self.available()) found += (found.empty() ? "" : ", ") + plugin;
        throw Poco::NotFoundException("cannot load store plugin '" + name + "' from " + path + ": " +
                                      why + " (plugins found: " + (found.empty() ? "none" : found) + ")");
    };
    if (name.empty() || name.find('/') != std::string::npos) fail("invalid plugin name");
    if (!Poco::File(path).exists()) fail("no such file");
    try {
        if (!loader.isLibraryLoaded(path)) loader.loadLibrary(path, manifest);
    } catch (const Poco::Exception& e) {
        fail(e.displayText());
    }
    const auto* classes = loader.findManifest(path);
    if (classes == nullptr || classes->begin() == classes->end()) fail("no " + manifest + " in its manifest");
    return std::unique_ptr<Base>(classes->begin()->create());
}

}  // namespace

std::unique_ptr<EventStore> PluginLoader::createEventStore(const std::string& name) {
    return createFrom(impl_->eventLoaders, *this, name, "EventStore");
}

std::unique_ptr<RocketStore> PluginLoader::createRocketStore(const std::string& name) {
    return createFrom(impl_->rocketLoaders, *this, name, "RocketStore");
}

}  // namespace rockets
