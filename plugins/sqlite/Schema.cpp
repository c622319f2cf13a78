#include "Schema.h"

#include "SqliteErrors.h"

#include "rockets/StoreErrors.h"

#include <Poco/Data/SQLite/SQLiteException.h>

#include <array>
#include <random>
#include <vector>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

// Both data tables are clustered on their key (WITHOUT ROWID): events are read by
// (channel, number) ranges, rockets by channel.
constexpr const char* kEvents =
    "CREATE TABLE events ("
    " channel TEXT NOT NULL,"
    " number INTEGER NOT NULL,"
    " type TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " time TEXT NOT NULL,"
    " PRIMARY KEY (channel, number)) WITHOUT ROWID";
constexpr const char* kRockets =
    "CREATE TABLE rockets ("
    " channel TEXT NOT NULL PRIMARY KEY,"
    " type TEXT NOT NULL,"
    " speed INTEGER NOT NULL,"
    " mission TEXT NOT NULL,"
    " status INTEGER NOT NULL,"  // 0 unlaunched, 1 ACTIVE, 2 EXPLODED (the API's sort order)
    " reason TEXT,"
    " launchedAt TEXT NOT NULL,"
    " updatedAt TEXT NOT NULL,"
    " lastMessageNumber INTEGER NOT NULL) WITHOUT ROWID";

// The projection's indexes: every sort field of GET /rockets has one ending in
// channel, the tie-break, so an ascending page is an index walk and a descending one
// sorts only ties (or, for type, mission and status, walks each run of equal values
// forwards: RocketTable's DescendingRuns); the type, mission and status indexes also
// serve the filters.
constexpr std::array<const char*, 7> kRocketIndexes = {
    "CREATE INDEX rockets_by_type ON rockets (type, channel)",
    "CREATE INDEX rockets_by_mission ON rockets (mission, channel)",
    "CREATE INDEX rockets_by_speed ON rockets (speed, channel)",
    "CREATE INDEX rockets_by_status ON rockets (status, channel)",
    "CREATE INDEX rockets_by_launchedAt ON rockets (launchedAt, channel)",
    "CREATE INDEX rockets_by_updatedAt ON rockets (updatedAt, channel)",
    "CREATE INDEX rockets_by_lastMessageNumber ON rockets (lastMessageNumber, channel)",
};

// Added by version 2: the per-channel summary of the event log, maintained in the
// append transaction (seq: the sequence number of the last transaction that stored
// a message of the channel), and the database's epoch.
constexpr std::array<const char*, 3> kVersion2 = {
    "CREATE TABLE channels ("
    " channel TEXT NOT NULL PRIMARY KEY,"
    " head INTEGER NOT NULL,"
    " count INTEGER NOT NULL,"
    " seq INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE INDEX channels_by_seq ON channels (seq)",
    "CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
};

constexpr const char* kSummarise =
    "INSERT INTO channels (channel, head, count, seq)"
    " SELECT channel, max(number), count(*), 1 FROM events GROUP BY channel";

constexpr std::array<const char*, 4> kTables = {"events", "rockets", "channels", "meta"};

struct Header {
    Poco::Int64 applicationId = 0;
    Poco::Int64 version = 0;
    Poco::Int64 objects = 0;

    bool empty() const { return applicationId == 0 && version == 0 && objects == 0; }
};

Header readHeader(Poco::Data::Session& session) {
    Header header;
    session << "PRAGMA application_id", into(header.applicationId), now;
    session << "PRAGMA user_version", into(header.version), now;
    session << "SELECT count(*) FROM sqlite_master", into(header.objects), now;
    return header;
}

/// Throws unless `header` is a rockets database of a version this build can open
/// (the current one, or with `migratable` one it migrates).
void checkHeader(const Header& header, const std::string& path, bool migratable) {
    if (header.applicationId != Schema::kApplicationId) {
        throw StoreCorruptException(path + " is not a rockets database (application_id " +
                                    std::to_string(header.applicationId) + ", " + std::to_string(header.objects) +
                                    " schema objects); refusing to use or change it");
    }
    if (header.version == Schema::kVersion || (migratable && header.version == 1)) return;
    throw StoreCorruptException(path + " has schema version " + std::to_string(header.version) +
                                ", this build knows versions 1 and " + std::to_string(Schema::kVersion) +
                                "; refusing to use or change it");
}

void checkTables(Poco::Data::Session& session, const std::string& path, Poco::Int64 version) {
    Poco::Int64 tables = 0;
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'rockets', "
               "'channels', 'meta')",
        into(tables), now;
    const Poco::Int64 expected = version == 1 ? 2 : static_cast<Poco::Int64>(kTables.size());
    if (tables != expected) {
        throw StoreCorruptException(path + " claims rockets schema version " + std::to_string(version) +
                                    " but lacks its tables");
    }
}

void execute(Poco::Data::Session& session, const char* sql) { session << sql, now; }

void writeEpoch(Poco::Data::Session& session) {
    std::random_device seed;
    Poco::Int64 epoch = std::uniform_int_distribution<int>(1, 0xFFFF)(seed);
    session << "INSERT INTO meta (key, value) VALUES ('epoch', ?)", use(epoch), now;
}

void create(Poco::Data::Session& session) {
    execute(session, kEvents);
    execute(session, kRockets);
    for (const char* statement : kRocketIndexes) execute(session, statement);
    for (const char* statement : kVersion2) execute(session, statement);
    writeEpoch(session);
    execute(session, ("PRAGMA application_id = " + std::to_string(Schema::kApplicationId)).c_str());
    execute(session, ("PRAGMA user_version = " + std::to_string(Schema::kVersion)).c_str());
}

/// Version 1 to 2: the summary is built from the events in one pass.
void migrateFrom1(Poco::Data::Session& session) {
    for (const char* statement : kVersion2) execute(session, statement);
    execute(session, kSummarise);
    writeEpoch(session);
    execute(session, ("PRAGMA user_version = " + std::to_string(Schema::kVersion)).c_str());
}

/// Creates or migrates in one IMMEDIATE transaction: two servers opening a new or
/// old file at once take turns, and the second finds the work done.
void createOrMigrate(Poco::Data::Session& session, const std::string& path) {
    session << "BEGIN IMMEDIATE", now;
    try {
        const Header header = readHeader(session);
        if (header.empty()) {
            create(session);
        } else {
            checkHeader(header, path, true);
            checkTables(session, path, header.version);
            if (header.version == 1) migrateFrom1(session);
        }
        session << "COMMIT", now;
    } catch (...) {
        try {
            session << "ROLLBACK", now;
        } catch (const Poco::Exception&) {
            // The original failure is the one worth reporting.
        }
        throw;
    }
}

}  // namespace

std::uint16_t Schema::ensure(Poco::Data::Session& session, const std::string& path) {
    try {
        // Read-only checks first: a file we do not recognise is never written to.
        const Header header = readHeader(session);
        if (header.empty() || header.version != kVersion) {
            if (!header.empty()) checkHeader(header, path, true);
            createOrMigrate(session, path);
        } else {
            checkHeader(header, path, false);
        }
        checkTables(session, path, kVersion);

        std::string mode;
        session << "PRAGMA journal_mode = WAL", into(mode), now;
        if (mode != "wal") {
            throw StoreUnavailableException(path + ": cannot switch to WAL journal mode (it stays \"" + mode + "\")");
        }
        Poco::Int64 epoch = 0;
        session << "SELECT value FROM meta WHERE key = 'epoch'", into(epoch), now;
        if (epoch < 1 || epoch > 0xFFFF) throw StoreCorruptException(path + " has no valid epoch in its meta table");
        return static_cast<std::uint16_t>(epoch);
    } catch (const Poco::Data::SQLite::InvalidSQLStatementException& e) {
        // "file is not a database" surfaces here, at the first statement.
        throw StoreCorruptException(path + " is not a SQLite database", e.displayText());
    } catch (const Poco::Data::SQLite::CorruptImageException& e) {
        throw StoreCorruptException(path + " is corrupt", e.displayText());
    } catch (...) {
        rethrowAsStoreError("opening " + path);
    }
}

}  // namespace rockets::sqlite
