#include "PluginStores.h"

namespace rockets::test {

PluginStores::PluginStores(std::string plugin)
    : plugin_(std::move(plugin)), config_(new Poco::Util::MapConfiguration), loader_(ROCKETS_PLUGIN_DIR) {}

PluginStores::~PluginStores() { close(); }

void PluginStores::open() {
    auto stores = std::make_unique<Stores>(loader_, plugin_, plugin_);
    stores->open(*config_);
    stores_ = std::move(stores);
}

void PluginStores::close() { stores_.reset(); }

}  // namespace rockets::test
