#pragma once

#include "rockets/Export.h"
#include "rockets/PluginLoader.h"
#include "rockets/StoreBackend.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <string>
#include <vector>

namespace rockets {

/// The stores one server runs on: the backend named by `rockets.store.events` serves
/// the event log and the one named by `rockets.store.rockets` the projection; when
/// both name the same plugin they are one backend object. Owns the backends; the
/// loader must outlive it.
class ROCKETS_CORE_API Stores {
public:
    /// One backend's part in this set, for health reports and the start-up log.
    struct Member {
        std::string role;    ///< "events", "rockets" or "events+rockets"
        std::string plugin;  ///< plugin name
        StoreBackend* backend = nullptr;
    };

    /// Creates (does not open) the backends. Throws what PluginLoader::createBackend throws.
    Stores(PluginLoader& loader, const std::string& eventsPlugin, const std::string& rocketsPlugin);

    /// Takes backends created elsewhere (tests wrap one to inject faults); a null
    /// `rocketsBackend` means `eventsBackend` serves both.
    Stores(std::unique_ptr<StoreBackend> eventsBackend, std::string eventsPlugin,
           std::unique_ptr<StoreBackend> rocketsBackend, std::string rocketsPlugin);
    ~Stores();
    Stores(const Stores&) = delete;
    Stores& operator=(const Stores&) = delete;

    /// Opens every backend (the events backend first); throws what StoreBackend::open throws.
    void open(const Poco::Util::AbstractConfiguration& config);

    EventStore& events() { return eventsBackend_->events(); }
    RocketStore& rockets() { return rocketsBackend_->rockets(); }

    /// Each distinct backend once, events first.
    std::vector<Member> members() const;

private:
    std::unique_ptr<StoreBackend> eventsBackend_;
    std::unique_ptr<StoreBackend> ownRocketsBackend_;  ///< null when the events backend serves both
    StoreBackend* rocketsBackend_ = nullptr;
    std::string eventsPlugin_;
    std::string rocketsPlugin_;
};

}  // namespace rockets
