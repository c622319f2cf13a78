#include "rockets/Stores.h"

namespace rockets {

Stores::Stores(PluginLoader& loader, const std::string& eventsPlugin, const std::string& rocketsPlugin)
    : Stores(loader.createBackend(eventsPlugin), eventsPlugin,
             rocketsPlugin == eventsPlugin ? nullptr : loader.createBackend(rocketsPlugin), rocketsPlugin) {}

Stores::Stores(std::unique_ptr<StoreBackend> eventsBackend, std::string eventsPlugin,
               std::unique_ptr<StoreBackend> rocketsBackend, std::string rocketsPlugin)
    : eventsBackend_(std::move(eventsBackend)),
      ownRocketsBackend_(std::move(rocketsBackend)),
      rocketsBackend_(ownRocketsBackend_ ? ownRocketsBackend_.get() : eventsBackend_.get()),
      eventsPlugin_(std::move(eventsPlugin)),
      rocketsPlugin_(std::move(rocketsPlugin)) {}

Stores::~Stores() = default;

void Stores::open(const Poco::Util::AbstractConfiguration& config) {
    eventsBackend_->open(config);
    if (ownRocketsBackend_) ownRocketsBackend_->open(config);
}

std::vector<Stores::Member> Stores::members() const {
    if (!ownRocketsBackend_) return {Member{"events+rockets", eventsPlugin_, eventsBackend_.get()}};
    return {Member{"events", eventsPlugin_, eventsBackend_.get()},
            Member{"rockets", rocketsPlugin_, ownRocketsBackend_.get()}};
}

}  // namespace rockets
