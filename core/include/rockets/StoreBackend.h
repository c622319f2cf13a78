#pragma once

#include "rockets/EventStore.h"
#include "rockets/Export.h"
#include "rockets/RocketStore.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace rockets {

/// A backend's readiness as last observed.
struct StoreHealth {
    bool ok = true;
    /// "ok", or the cause naming the file or address and what failed
    /// ("/var/lib/rockets/rockets.db: database or disk is full").
    std::string detail = "ok";
};

/// The one owner of a plugin's backend: its connections or pool, its writer threads,
/// its settings and its health. Both stores of the plugin are handed out from it, so
/// whatever they share lives here and nowhere else (no process-global state).
/// Each plugin exports exactly one StoreBackend through its ClassLoader manifest.
class ROCKETS_CORE_API StoreBackend {
public:
    virtual ~StoreBackend() = default;

    /// Opens the backend with the `rockets.*` keys of `config` (relative paths have
    /// already been resolved by the caller). Called once, before any other method.
    /// Throws Poco::InvalidArgumentException naming the key for a bad value,
    /// StoreCorruptException for unusable data and StoreUnavailableException when the
    /// backend cannot be reached.
    virtual void open(const Poco::Util::AbstractConfiguration& config) = 0;

    /// The event log; valid while the backend lives, after open().
    virtual EventStore& events() = 0;

    /// The projection; valid while the backend lives, after open().
    virtual RocketStore& rockets() = 0;

    /// Readiness: ok only when the backend can be reached now and its last write did
    /// not fail (a failing write makes it unhealthy until a write succeeds again).
    /// Bounded by the backend's own timeout; never throws.
    virtual StoreHealth health() = 0;

    /// One line for the start-up log: what was opened and how
    /// ("sqlite /var/lib/rockets/rockets.db, synchronous=FULL").
    virtual std::string describe() const = 0;
};

}  // namespace rockets
