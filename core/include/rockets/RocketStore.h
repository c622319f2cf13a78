#pragma once

#include "rockets/Export.h"
#include "rockets/Rocket.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
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

/// One conditional write of RocketStore::compareAndSetMany.
struct RocketWrite {
    Rocket rocket;
    std::int64_t expectedVersion = 0;
};

/// Receives the changes committed to a shared projection by every process using it.
struct CommittedChangeListener {
    /// A compareAndSet committed `rocket` (in commit order per channel). Runs on the
    /// backend's own thread: keep it short and do not throw.
    std::function<void(const Rocket& rocket)> changed;
    /// Changes may have been missed (the feed was interrupted); a consumer of the feed
    /// must reload what it shows.
    std::function<void()> lost;
};

/// Port: the projection (current state per channel), versioned by lastMessageNumber.
/// Implementations are thread-safe. Methods throw StoreUnavailableException when the
/// backend cannot serve them.
class ROCKETS_CORE_API RocketStore {
public:
    virtual ~RocketStore() = default;

    /// The stored projection of `channel`, including unlaunched ones (callers decide
    /// visibility); nullopt when nothing was ever written for it.
    virtual std::optional<Rocket> get(const std::string& channel) = 0;

    /// get() for several channels; result[i] answers channels[i]. The default calls get().
    virtual std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels);

    /// Visible (launched) rockets matching `query`'s filters, sorted by its field with
    /// ties broken by channel ascending, then paged; `total` counts all matches.
    virtual RocketPage list(const RocketQuery& query) = 0;

    /// Writes `rocket` only if the stored version (lastMessageNumber, 0 when absent)
    /// equals `expectedVersion`; returns whether it wrote. Atomic with respect to
    /// every other writer, including other processes sharing the backend.
    virtual bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) = 0;

    /// compareAndSet for several distinct channels, in one transaction or round trip
    /// where the backend can; each write succeeds or fails on its own version, and
    /// result[i] tells whether writes[i] happened. Throws StoreUnavailableException
    /// when the batch could not be attempted (then none of it happened, or, for a
    /// backend without transactions, the caller finds out by reloading).
    /// The default calls compareAndSet().
    virtual std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes);

    /// Every stored channel and its version, for the consumer's start-up pass.
    virtual std::vector<std::pair<std::string, std::int64_t>> versions() = 0;

    /// Subscribes `listener` to every change committed by any process sharing the
    /// store (this one included); returns false when the backend has no shared feed
    /// (then only this process's consumer observes changes). One listener per store: a
    /// new call replaces the previous one, and a call with an empty listener
    /// unsubscribes. Either returns only once the previous listener is no longer
    /// running, so its owner may be destroyed afterwards.
    virtual bool subscribe(CommittedChangeListener listener);
};

/// Strict weak order of list(): by `field` (reversed when `descending`), ties by
/// channel ascending. Shared so every backend and the tests agree on one definition.
ROCKETS_CORE_API bool rocketLess(const Rocket& a, const Rocket& b, SortField field, bool descending);

/// True when `rocket` is visible and passes every filter of `query`.
ROCKETS_CORE_API bool matchesFilters(const Rocket& rocket, const RocketQuery& query);

/// True when a filter of `query` is on its sort field (`sort=type&type=X`): every match
/// has the one value, so the page is in channel order, ascending, in both directions.
ROCKETS_CORE_API bool filterFixesSort(const RocketQuery& query);

/// Cuts `query`'s page out of `matches`, pointers to every rocket matching its filters
/// in any order (a backend that gathered them through a filter's own index): sorts them
/// by rocketLess only as far as the page reaches, and returns the page's positions
/// [first, second) in `matches`.
template <class RocketPointer>
std::pair<std::size_t, std::size_t> sortPage(std::vector<RocketPointer>& matches, const RocketQuery& query) {
    const std::size_t from = std::min(query.offset, matches.size());
    const std::size_t to = from + std::min(query.limit, matches.size() - from);
    std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(to), matches.end(),
                      [&](const auto& a, const auto& b) { return rocketLess(*a, *b, query.sort, query.descending); });
    return {from, to};
}

/// Wire names of sort fields: "channel", "speed", ...
ROCKETS_CORE_API std::string_view toString(SortField field);
ROCKETS_CORE_API std::optional<SortField> sortFieldFromString(std::string_view name);

}  // namespace rockets
