#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>

namespace rockets::sqlite {

/// The database layout and its version. A rockets database carries our
/// application_id and `PRAGMA user_version = Schema::kVersion`; a newer layout bumps
/// the version and migrates the ones it knows in place.
///
/// Version 2 added the `meta` table (the database's random epoch, which tells its
/// change cursors from another database's) and a per-channel summary of the log.
/// Version 3 replaced that summary with the append-only change log `changes`
/// (EventStore::changedSince reads only what changed; Schema.cpp has why).
class Schema {
public:
    static constexpr int kVersion = 3;
    /// "ROCK" in the database header: tells our files from any other SQLite file.
    static constexpr int kApplicationId = 0x524F434B;

    /// Creates the schema in an empty database, migrates an older version in place
    /// (one transaction), or checks that an existing one is ours and current; then
    /// switches the file to WAL. Returns the database's epoch. Throws
    /// StoreCorruptException for a foreign or corrupt file or an unknown version,
    /// without writing to it; StoreUnavailableException when the file cannot be read
    /// or locked. `path` is only used in messages.
    static std::uint16_t ensure(Poco::Data::Session& session, const std::string& path);
};

}  // namespace rockets::sqlite
