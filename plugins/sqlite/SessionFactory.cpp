#include "SessionFactory.h"

#include "SqliteErrors.h"
#include "Writer.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <sqlite3.h>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

/// When the WAL starts over it is truncated to this size, and to 0 at the last close.
/// It is above the largest size the WAL reaches before the writer restarts it
/// (Writer::kWalLimitFrames pages and their frame headers, 132 MB with 4 KiB pages,
/// plus one transaction), so while the server runs the WAL is written over in place:
/// - with FULL, a commit's fdatasync over blocks already in the file costs about half
///   of one that also records the file's growth in the file system's journal
///   (docs/decisions/2026-11-27-sqlite-one-writer.md, tenth session);
/// - with NORMAL, a write over pages the file and the page cache already have skips
///   ext4's block allocation; cutting the WAL back to 64 MiB at every restart made
///   half of scenario 4's WAL writes allocating ones (the same record, fifteenth session).
constexpr int kJournalSizeLimit = 160 << 20;
static_assert(kJournalSizeLimit > std::int64_t{Writer::kWalLimitFrames} * (4096 + 24),
              "the WAL must not be truncated below the size it reaches before the writer restarts it");

// No memory map (mmap_size stays 0): a map made list reads faster at 100k rockets
// (p50 8 -> 2.4 ms), but every connection remaps as the file grows, and in the test
// program's profile the munmap/TLB shootdowns cost 150 us of CPU per message and 1.3x
// of the ack rate (docs/decisions/2026-11-27-sqlite-one-writer.md).

/// The writer's page cache (KiB): its own commits do not empty it, so with many
/// channels the pages it keeps touching stay here instead of being read again.
constexpr int kWriterCacheKiB = 64 << 10;

/// `path` as an SQLite URI filename opened through WalWriteVfs (Debian's SQLite is
/// built with URI filenames enabled); with `existing`, `mode=rw`: read-write, never
/// created. '%', '?' and '#' would be read as URI syntax, so they are escaped.
std::string fileUri(const std::string& path, bool existing) {
    std::string uri = "file:";
    for (const char c : path) {
        if (c == '%') uri += "%25";
        else if (c == '?') uri += "%3f";
        else if (c == '#') uri += "%23";
        else uri += c;
    }
    return uri + "?vfs=" + WalWriteVfs::kName + (existing ? "&mode=rw" : "");
}

}  // namespace

SessionFactory::SessionFactory(SqliteSettings settings)
    : settings_(std::move(settings)),
      existingFile_(fileUri(settings_.path, true)),
      newFile_(fileUri(settings_.path, false)) {
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
    return std::make_unique<Connection>(open(newFile_, SessionRole::Writer, nullptr), generation);
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
        session << "PRAGMA cache_size = -" + std::to_string(kWriterCacheKiB), now;
        break;
    case SessionRole::Checkpointer:
        session << "PRAGMA synchronous = " + settings_.synchronous, now;
        break;
    case SessionRole::Reader:
        session << "PRAGMA query_only = 1", now;
        break;
    }
}

std::unique_ptr<Connection> SessionFactory::connect(SessionRole role, std::string* codes) const {
    const std::uint64_t generation = this->generation();
    return std::make_unique<Connection>(open(role, codes), generation);
}

}  // namespace rockets::sqlite
