#include "PluginStores.h"

namespace rockets::test {

PluginStores::PluginStores(std::string plugin)
    : plugin_(std::move(plugin)), config_(new Poco::Util::MapConfiguration), loader_(ROCKETS_PLUGIN_DIR) {}

PluginStores::~PluginStores() { close(); }

void PluginStores::open() {
    events_ = loader_.createEventStore(plugin_);
    events_->open(*config_);
    rockets_ = loader_.createRocketStore(plugin_);
    rockets_->open(*config_);
}

void PluginStores::close() {
    events_.reset();
    rockets_.reset();
}

}  // namespace rockets::test
