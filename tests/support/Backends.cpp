#include "Backends.h"

#include <Poco/Exception.h>

namespace rockets::test {

void configureBackend(const std::string& plugin, const TempDir& dir, Poco::Util::AbstractConfiguration& config) {
    config.setString("rockets.store.events", plugin);
    config.setString("rockets.store.rockets", plugin);
    if (plugin == "memory") return;
    if (plugin == "sqlite") {
        config.setString("rockets.sqlite.path", dir.file("rockets.db"));
        return;
    }
    throw Poco::NotImplementedException("no test set-up for backend " + plugin);
}

BackendUnderTest::BackendUnderTest(const std::string& plugin)
    : plugin_(plugin), config_(new Poco::Util::MapConfiguration), loader_(ROCKETS_PLUGIN_DIR) {
    configureBackend(plugin_, dir_, *config_);
    open();
}

BackendUnderTest::~BackendUnderTest() {
    events_.reset();
    rockets_.reset();
}

void BackendUnderTest::open() {
    events_ = loader_.createEventStore(plugin_);
    events_->open(*config_);
    rockets_ = loader_.createRocketStore(plugin_);
    rockets_->open(*config_);
}

void BackendUnderTest::reopen() {
    events_.reset();
    rockets_.reset();
    open();
}

}  // namespace rockets::test
