#pragma once

#include "FaultInjectingBackend.h"
#include "Service.h"

#include "rockets/PluginLoader.h"
#include "rockets/Stores.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <functional>
#include <memory>

namespace rockets::test {

/// A started Service over `stores` on an ephemeral port; `tweak` adjusts the
/// settings first. The api tests' one way to run the server in-process.
inline std::unique_ptr<server::Service> startService(Stores& stores,
                                                     const std::function<void(server::Settings&)>& tweak = {}) {
    server::Settings settings;
    settings.port = 0;
    if (tweak) tweak(settings);
    auto service = std::make_unique<server::Service>(settings, stores);
    service->start();
    return service;
}

/// The memory plugin with a FaultInjectingEventStore in front of its log, opened.
class FaultInjectingMemory {
public:
    FaultInjectingMemory() {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        stores_.open(*config);
    }

    Stores& stores() { return stores_; }
    FaultInjectingEventStore& events() { return faulty_->faults(); }
    HookedRocketStore& rockets() { return faulty_->hookedRockets(); }

private:
    std::unique_ptr<StoreBackend> makeBackend() {
        auto backend = std::make_unique<FaultInjectingBackend>(loader_.createBackend("memory"));
        faulty_ = backend.get();
        return backend;
    }

    PluginLoader loader_{ROCKETS_PLUGIN_DIR};
    FaultInjectingBackend* faulty_ = nullptr;
    Stores stores_{makeBackend(), "memory", nullptr, "memory"};
};

}  // namespace rockets::test
