#pragma once

#include "Connection.h"

#include "rockets/RocketStore.h"

#include <atomic>
#include <chrono>
#include <cstdint>
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

/// The number of visible rockets as last counted, for list()'s choice between reading
/// a filtered page through the filter's index or along the sort's. The choice needs
/// only its order of magnitude, and a count costs ~4 ms at 100,000 rockets, so it is
/// counted again only when older than kMaxAge. Shared by the threads of one store.
class VisibleCount {
public:
    static constexpr std::chrono::milliseconds kMaxAge{1000};

    /// The count, counted on `session` (in its transaction) when the last is too old.
    std::int64_t get(Poco::Data::Session& session);
    /// A count a list made anyway: the total of an unfiltered query.
    void note(std::int64_t count);

private:
    std::atomic<std::int64_t> count_{-1};     ///< -1: never counted
    std::atomic<std::int64_t> countedAt_{0};  ///< steady_clock ns
};

/// RocketStore::list, the total and the page from one snapshot.
RocketPage list(Connection& connection, const RocketQuery& query, VisibleCount& visible);

/// Every stored channel and its version.
std::vector<std::pair<std::string, std::int64_t>> versions(Connection& connection);

}  // namespace RocketTable

}  // namespace rockets::sqlite
