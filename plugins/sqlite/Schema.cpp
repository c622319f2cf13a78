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

// The change log (version 3): a row per channel and write transaction that stored
// messages of it, in commit order. `seq` is the rowid; SQLite gives a new row the
// largest rowid plus one, under the write lock, so it grows with commits across every
// process sharing the file, and appending it writes the table's last page only.
// Version 2 kept a per-channel summary (`channels`: head, count, seq) instead, whose
// row and sequence-index entry were two more random pages per message at 100k
// channels; EventTable::changedSince now derives head and count from the events.
constexpr const char* kChanges = "CREATE TABLE changes (seq INTEGER PRIMARY KEY, channel TEXT NOT NULL)";

// The database's random epoch (version 2), which tells its change cursors from those
// of another database, or of this one before a migration renumbered its changes.
constexpr const char* kMeta = "CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID";

/// The tables a version has; checked before a migration and after opening.
std::vector<const char*> tablesOf(Poco::Int64 version) {
    switch (version) {
    case 1: return {"events", "rockets"};
    case 2: return {"events", "rockets", "channels", "meta"};
    default: return {"events", "rockets", "changes", "meta"};
    }
}

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
    if (header.version == Schema::kVersion || (migratable && header.version >= 1 && header.version < Schema::kVersion)) {
        return;
    }
    throw StoreCorruptException(path + " has schema version " + std::to_string(header.version) +
                                ", this build knows versions 1 to " + std::to_string(Schema::kVersion) +
                                "; refusing to use or change it");
}

void checkTables(Poco::Data::Session& session, const std::string& path, Poco::Int64 version) {
    for (const char* table : tablesOf(version)) {
        Poco::Int64 found = 0;
        session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", bind(std::string(table)),
            into(found), now;
        if (found != 1) {
            throw StoreCorruptException(path + " claims rockets schema version " + std::to_string(version) +
                                        " but lacks its table " + table);
        }
    }
}

void execute(Poco::Data::Session& session, const char* sql) { session << sql, now; }

/// A new random epoch, different from `old` (0: none yet): cursors handed out before
/// it no longer match the database's.
void writeEpoch(Poco::Data::Session& session, Poco::Int64 old) {
    std::random_device seed;
    std::uniform_int_distribution<int> draw(1, 0xFFFF);
    Poco::Int64 epoch = draw(seed);
    while (epoch == old) epoch = draw(seed);
    session << "INSERT INTO meta (key, value) VALUES ('epoch', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        use(epoch), now;
}

void setVersion(Poco::Data::Session& session) {
    execute(session, ("PRAGMA user_version = " + std::to_string(Schema::kVersion)).c_str());
}

void create(Poco::Data::Session& session) {
    execute(session, kEvents);
    execute(session, kRockets);
    for (const char* statement : kRocketIndexes) execute(session, statement);
    execute(session, kChanges);
    execute(session, kMeta);
    writeEpoch(session, 0);
    execute(session, ("PRAGMA application_id = " + std::to_string(Schema::kApplicationId)).c_str());
    setVersion(session);
}

/// Versions 1 and 2 to 3. The change log starts empty: a cursor of the old epoch (or
/// cursor 0) makes the next changedSince list every channel from the events.
void migrate(Poco::Data::Session& session, Poco::Int64 from) {
    Poco::Int64 old = 0;
    if (from == 1) {
        execute(session, kMeta);
    } else {
        session << "SELECT value FROM meta WHERE key = 'epoch'", into(old), now;
        execute(session, "DROP TABLE channels");
    }
    execute(session, kChanges);
    writeEpoch(session, old);
    setVersion(session);
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
            if (header.version != Schema::kVersion) migrate(session, header.version);
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
