#pragma once

#include "Connection.h"

#include "rockets/RocketStore.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rockets::sqlite {

/// The SQL of the projection (the `rockets` table) on a connection the caller owns;
/// every call runs in the caller's transaction, if any. Throws Poco::Data SQLite
/// exceptions (callers classify them) and StoreCorruptException for a row it cannot
/// decode.
namespace RocketTable {

/// The stored projection of `channel`; nullopt when there is none.
std::optional<Rocket> get(Connection& connection, const std::string& channel);

/// Writes `rocket` only if the stored version (0 when absent) is `expectedVersion`;
/// one statement, so the check and the write are atomic even against other processes.
bool writeIfVersion(Connection& connection, const Rocket& rocket, std::int64_t expectedVersion);

/// How many rockets have each status, as last counted, for list()'s choices of plan:
/// read a filtered page through the filter's index or along the sort's, and count a
/// type or mission filter's total row by row or from its index alone. The choices need
/// only orders of magnitude, and counting costs ~8 ms at 100,000 rockets, so it is
/// counted again only when older than kMaxAge. Shared by the threads of one store.
class StatusCounts {
public:
    static constexpr std::chrono::milliseconds kMaxAge{1000};

    /// Rockets per status code (0 unlaunched, 1 ACTIVE, 2 EXPLODED), counted on
    /// `session` (in its transaction) when the last count is too old.
    std::array<std::int64_t, 3> get(Poco::Data::Session& session);

private:
    std::mutex mutex_;
    std::array<std::int64_t, 3> counts_{};                   ///< guarded by mutex_
    std::optional<std::chrono::steady_clock::time_point> countedAt_;  ///< guarded by mutex_; never counted: nullopt
};

/// RocketStore::list, the total and the page from one snapshot.
RocketPage list(Connection& connection, const RocketQuery& query, StatusCounts& statuses);

/// Every stored channel and its version.
std::vector<std::pair<std::string, std::int64_t>> versions(Connection& connection);

}  // namespace RocketTable

}  // namespace rockets::sqlite
