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
    Poco::ClassLoader<StoreBackend> backends;
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
const std::string kManifest = "StoreBackend";
}  // namespace

std::unique_ptr<StoreBackend> PluginLoader::createBackend(const std::string& name) {
    const std::string path = pathFor(name);
    Poco::ClassLoader<StoreBackend>& loader = impl_->backends;
    auto fail = [&](const std::string& why) {
        std::string found;
        for (const auto& plugin : available()) found += (found.empty() ? "" : ", ") + plugin;
        throw Poco::NotFoundException("cannot load store plugin '" + name + "' from " + path + ": " +
                                      why + " (plugins found: " + (found.empty() ? "none" : found) + ")");
    };
    if (name.empty() || name.find('/') != std::string::npos) fail("invalid plugin name");
    if (!Poco::File(path).exists()) fail("no such file");
    try {
        if (!loader.isLibraryLoaded(path)) loader.loadLibrary(path, kManifest);
    } catch (const Poco::Exception& e) {
        fail(e.displayText());
    }
    const auto* classes = loader.findManifest(path);
    if (classes == nullptr || classes->begin() == classes->end()) fail("no " + kManifest + " in its manifest");
    return std::unique_ptr<StoreBackend>(classes->begin()->create());
}

}  // namespace rockets
