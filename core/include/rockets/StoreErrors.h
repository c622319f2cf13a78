#pragma once

#include "rockets/Export.h"

#include <Poco/Exception.h>

namespace rockets {

/// Thrown by a store when its backing infrastructure cannot serve the call (database
/// locked or unwritable, disk full, Redis down or timed out). Nothing was changed
/// when it is thrown from append or compareAndSet; the HTTP layer answers 503.
POCO_DECLARE_EXCEPTION(ROCKETS_CORE_API, StoreUnavailableException, Poco::IOException)

/// Thrown when a store's data cannot be trusted (corrupt or foreign database file,
/// unknown schema version). Start-up fails with its message.
POCO_DECLARE_EXCEPTION(ROCKETS_CORE_API, StoreCorruptException, Poco::DataException)

}  // namespace rockets
