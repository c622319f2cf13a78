#pragma once

#include "PluginStores.h"
#include "TempDir.h"

#include <string>

struct sqlite3;

namespace rockets::test {

/// Both sqlite stores on a fresh file, loaded through the production PluginLoader;
/// unlike BackendUnderTest the keys can be changed before open() and the stores
/// opened from any thread (their writer threads inherit that thread's credentials).
class SqliteStores {
public:
    SqliteStores();

    Poco::Util::AbstractConfiguration& config() { return stores_.config(); }
    const TempDir& dir() const { return dir_; }
    /// The database file.
    std::string path() const;

    /// Creates and opens both stores (events first); throws what open() throws.
    void open() { stores_.open(); }
    /// Destroys both stores.
    void close() { stores_.close(); }

    EventStore& events() { return stores_.events(); }
    RocketStore& rockets() { return stores_.rockets(); }
    /// The plugin's backend (health, describe).
    StoreBackend& backend() { return stores_.backend(); }

private:
    TempDir dir_;  ///< declared first: outlives the stores that use it
    PluginStores stores_;
};

/// A plain sqlite3 connection to the same file, playing "another process".
class RawConnection {
public:
    explicit RawConnection(const std::string& path);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Runs `sql`; throws std::runtime_error with sqlite's message on failure.
    void exec(const std::string& sql);
    /// The first column of the first row of `sql` as text ("" when no row).
    std::string scalar(const std::string& sql);

private:
    sqlite3* db_ = nullptr;
};

/// Whether this thread may open `path` for writing (judged with its effective
/// credentials, so a thread that dropped its capabilities sees what it really can).
bool writable(const std::string& path);

/// Removes the capabilities that let root ignore file permissions from the calling
/// thread's effective set (Linux capabilities are per thread; threads it starts
/// inherit the reduced set). A no-op for a user without them.
void obeyFilePermissionsInThisThread();

/// The bytes of a file ("" if it does not exist).
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);

}  // namespace rockets::test
