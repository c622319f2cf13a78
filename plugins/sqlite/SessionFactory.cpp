#include "SessionFactory.h"

#include "SqliteErrors.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <sqlite3.h>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

/// After a reset the WAL is truncated to this size (and to 0 at the last close), so a
/// burst does not keep its disk space.
constexpr int kJournalSizeLimit = 64 << 20;

/// Reads of the database file go through a memory map instead of a pread per page:
/// a reader's page cache is emptied by every commit, and with 100k rockets a list
/// request or the consumer's reads re-read pages all the time (measured: list p50
/// 8 -> 2.4 ms, 100k-channel ack rate x1.5 together with the writer's cache below).
/// Address space only; the pages are the kernel's page cache. The map is why the
/// database must not be truncated by another process while the server runs (VACUUM
/// in place): see docs/sqlite.md.
constexpr long long kMmapBytes = 1ll << 30;

/// The writer's page cache (KiB): its own commits do not empty it, so with many
/// channels the pages it keeps touching stay here instead of being read again.
constexpr int kWriterCacheKiB = 64 << 10;

/// `path` as an SQLite URI filename with `mode=rw`: read-write, never created
/// (Debian's SQLite is built with URI filenames enabled). '%', '?' and '#' would be
/// read as URI syntax, so they are escaped.
std::string existingFileUri(const std::string& path) {
    std::string uri = "file:";
    for (const char c : path) {
        if (c == '%') uri += "%25";
        else if (c == '?') uri += "%3f";
        else if (c == '#') uri += "%23";
        else uri += c;
    }
    return uri + "?mode=rw";
}

}  // namespace

SessionFactory::SessionFactory(SqliteSettings settings)
    : settings_(std::move(settings)), existingFile_(existingFileUri(settings_.path)) {
    Poco::Data::SQLite::Connector::registerConnector();
}

SessionFactory::~SessionFactory() { Poco::Data::SQLite::Connector::unregisterConnector(); }

std::unique_ptr<Poco::Data::Session> SessionFactory::open(SessionRole role, std::string* codes) const {
    return open(existingFile_, role, codes);
}

std::unique_ptr<Connection> SessionFactory::create() const {
    Poco::Path parent = Poco::Path(settings_.path).parent();
    if (!parent.toString().empty()) Poco::File(parent).createDirectories();
    const std::uint64_t generation = this->generation();
    return std::make_unique<Connection>(open(settings_.path, SessionRole::Writer, nullptr), generation);
}

std::unique_ptr<Poco::Data::Session> SessionFactory::open(const std::string& name, SessionRole role,
                                                          std::string* codes) const {
    auto session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, name);
    try {
        configure(*session, role);
    } catch (const Poco::Exception&) {
        if (codes) *codes = errorCodes(Poco::Data::SQLite::Utility::dbHandle(*session));
        throw;
    }
    return session;
}

void SessionFactory::configure(Poco::Data::Session& session, SessionRole role) const {
    // Poco sets its own (long) busy timeout at open; ours is short so a database
    // locked by another process turns into a prompt 503 rather than a hung request.
    session << "PRAGMA busy_timeout = " + std::to_string(settings_.busyTimeout.count()), now;
    // The last connection to close would delete -wal and -shm *by path*: if the
    // database was deleted under us and another server created a new one there, that
    // would delete the other server's files. Persistent, they are only truncated.
    int persist = 1;
    sqlite3_file_control(Poco::Data::SQLite::Utility::dbHandle(session), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    session << "PRAGMA journal_size_limit = " + std::to_string(kJournalSizeLimit), now;
    switch (role) {
    case SessionRole::Writer:
        // The writer sets synchronous per transaction; this is the level of appends.
        session << "PRAGMA synchronous = " + settings_.synchronous, now;
        session << "PRAGMA mmap_size = " + std::to_string(kMmapBytes), now;
        session << "PRAGMA cache_size = -" + std::to_string(kWriterCacheKiB), now;
        break;
    case SessionRole::Checkpointer:
        session << "PRAGMA synchronous = " + settings_.synchronous, now;
        break;
    case SessionRole::Reader:
        session << "PRAGMA query_only = 1", now;
        session << "PRAGMA mmap_size = " + std::to_string(kMmapBytes), now;
        break;
    }
}

std::unique_ptr<Connection> SessionFactory::connect(SessionRole role, std::string* codes) const {
    const std::uint64_t generation = this->generation();
    return std::make_unique<Connection>(open(role, codes), generation);
}

}  // namespace rockets::sqlite
