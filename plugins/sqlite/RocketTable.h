#pragma once

#include "Connection.h"

#include "rockets/RocketStore.h"

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

/// RocketStore::list, the total and the page from one snapshot.
RocketPage list(Connection& connection, const RocketQuery& query);

/// Every stored channel and its version.
std::vector<std::pair<std::string, std::int64_t>> versions(Connection& connection);

}  // namespace RocketTable

}  // namespace rockets::sqlite
