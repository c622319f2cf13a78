#pragma once

#include <Poco/Data/Session.h>

#include <string>

namespace rockets::sqlite {

/// The database layout and its version. A rockets database carries our
/// application_id and `PRAGMA user_version = Schema::kVersion`; later layouts bump
/// the version and migrate from the ones they know.
class Schema {
public:
    static constexpr int kVersion = 1;
    /// "ROCK" in the database header: tells our files from any other SQLite file.
    static constexpr int kApplicationId = 0x524F434B;

    /// Creates the schema in an empty database, or checks that an existing one is
    /// ours and of a version this build knows; then switches the file to WAL.
    /// Throws StoreCorruptException for a foreign or corrupt file or an unknown
    /// version, without writing to it; StoreUnavailableException when the file
    /// cannot be read or locked. `path` is only used in messages.
    static void ensure(Poco::Data::Session& session, const std::string& path);
};

}  // namespace rockets::sqlite
