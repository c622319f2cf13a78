#pragma once

#include "rockets/Export.h"
#include "rockets/Rocket.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockets {

/// Sort keys of GET /rockets; ties are always broken by channel ascending.
enum class SortField { Channel, Type, Mission, Speed, Status, LaunchedAt, UpdatedAt, LastMessageNumber };

/// A validated GET /rockets query. Filters are exact matches; unset means "any".
struct RocketQuery {
    SortField sort = SortField::Channel;
    bool descending = false;
    std::optional<RocketStatus> status;  ///< Active or Exploded only
    std::optional<std::string> type;
    std::optional<std::string> mission;
    std::size_t limit = 1000;
    std::size_t offset = 0;
};

/// One page of rockets and the number of rockets matching the filters.
struct RocketPage {
    std::vector<Rocket> rockets;
    std::size_t total = 0;
};

/// Port: the projection (current state per channel), versioned by lastMessageNumber.
/// Implementations are thread-safe.
class ROCKETS_CORE_API RocketStore {
public:
    virtual ~RocketStore() = default;

    /// Connects to / opens the backing store; see EventStore::open.
    virtual void open(const Poco::Util::AbstractConfiguration& config) = 0;

    /// The stored projection of `channel`, including unlaunched ones (callers decide
    /// visibility); nullopt when nothing was ever written for it.
    virtual std::optional<Rocket> get(const std::string& channel) = 0;

    /// Visible (launched) rockets matching `query`'s filters, sorted by its field with
    /// ties broken by channel ascending, then paged; `total` counts all matches.
    virtual RocketPage list(const RocketQuery& query) = 0;

    /// Writes `rocket` only if the stored version (lastMessageNumber, 0 when absent)
    /// equals `expectedVersion`; returns whether it wrote. Atomic with respect to
    /// every other writer, including other processes sharing the backend.
    virtual bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) = 0;

    /// Every stored channel and its version, for the consumer's sweep.
    virtual std::vector<std::pair<std::string, std::int64_t>> versions() = 0;
};

/// Strict weak order of list(): by `field` (reversed when `descending`), ties by
/// channel ascending. Shared so every backend and the tests agree on one definition.
ROCKETS_CORE_API bool rocketLess(const Rocket& a, const Rocket& b, SortField field, bool descending);

/// True when `rocket` is visible and passes every filter of `query`.
ROCKETS_CORE_API bool matchesFilters(const Rocket& rocket, const RocketQuery& query);

/// Wire names of sort fields: "channel", "speed", ...
ROCKETS_CORE_API std::string_view toString(SortField field);
ROCKETS_CORE_API std::optional<SortField> sortFieldFromString(std::string_view name);

}  // namespace rockets
