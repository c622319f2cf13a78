#include "Schema.h"

#include "SqliteErrors.h"

#include "rockets/StoreErrors.h"

#include <Poco/Data/SQLite/SQLiteException.h>

#include <array>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

// Version 1. Both tables are clustered on their key (WITHOUT ROWID): events are
// read by (channel, number) ranges, rockets by channel. Every sort field of
// GET /rockets has an index ending in channel, the tie-break, so an ascending
// page is an index walk and a descending one sorts only ties; the type, mission
// and status indexes also serve the filters.
constexpr std::array<const char*, 9> kCreateV1 = {
    "CREATE TABLE events ("
    " channel TEXT NOT NULL,"
    " number INTEGER NOT NULL,"
    " type TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " time TEXT NOT NULL,"
    " PRIMARY KEY (channel, number)) WITHOUT ROWID",
    "CREATE TABLE rockets ("
    " channel TEXT NOT NULL PRIMARY KEY,"
    " type TEXT NOT NULL,"
    " speed INTEGER NOT NULL,"
    " mission TEXT NOT NULL,"
    " status INTEGER NOT NULL,"  // 0 unlaunched, 1 ACTIVE, 2 EXPLODED (the API's sort order)
    " reason TEXT,"
    " launchedAt TEXT NOT NULL,"
    " updatedAt TEXT NOT NULL,"
    " lastMessageNumber INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE INDEX rockets_by_type ON rockets (type, channel)",
    "CREATE INDEX rockets_by_mission ON rockets (mission, channel)",
    "CREATE INDEX rockets_by_speed ON rockets (speed, channel)",
    "CREATE INDEX rockets_by_status ON rockets (status, channel)",
    "CREATE INDEX rockets_by_launchedAt ON rockets (launchedAt, channel)",
    "CREATE INDEX rockets_by_updatedAt ON rockets (updatedAt, channel)",
    "CREATE INDEX rockets_by_lastMessageNumber ON rockets (lastMessageNumber, channel)",
};

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

void check(Poco::Data::Session& session, const Header& header, const std::string& path) {
    if (header.applicationId != Schema::kApplicationId) {
        throw StoreCorruptException(path + " is not a rockets database (application_id " +
                                    std::to_string(header.applicationId) + ", " + std::to_string(header.objects) +
                                    " schema objects); refusing to use or change it");
    }
    if (header.version != Schema::kVersion) {
        throw StoreCorruptException(path + " has schema version " + std::to_string(header.version) +
                                    ", this build knows version " + std::to_string(Schema::kVersion) +
                                    "; refusing to use or change it");
    }
    Poco::Int64 tables = 0;
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'rockets')",
        into(tables), now;
    if (tables != 2) {
        throw StoreCorruptException(path + " claims rockets schema version " + std::to_string(header.version) +
                                    " but lacks its tables");
    }
}

void create(Poco::Data::Session& session, const std::string& path) {
    // IMMEDIATE: the event and rocket stores (or two servers) may open the same new
    // file at once; the second one waits here and then finds the schema in place.
    session << "BEGIN IMMEDIATE", now;
    try {
        const Header header = readHeader(session);
        if (header.empty()) {
            for (const char* statement : kCreateV1) session << statement, now;
            session << "PRAGMA application_id = " + std::to_string(Schema::kApplicationId), now;
            session << "PRAGMA user_version = " + std::to_string(Schema::kVersion), now;
        } else {
            check(session, header, path);
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

void Schema::ensure(Poco::Data::Session& session, const std::string& path) {
    try {
        // Read-only checks first: a file we do not recognise is never written to.
        const Header header = readHeader(session);
        if (header.empty()) create(session, path);
        else check(session, header, path);

        std::string mode;
        session << "PRAGMA journal_mode = WAL", into(mode), now;
        if (mode != "wal") {
            throw StoreUnavailableException(path + ": cannot switch to WAL journal mode (it stays \"" + mode + "\")");
        }
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
