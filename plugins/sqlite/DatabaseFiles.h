#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rockets::sqlite {

/// The database file and SQLite's working files beside it (`-wal`, `-shm`): which
/// files on disk the backend writes to, whether they are still the ones at their
/// paths, and what is wrong with them when a write fails.
///
/// SQLite does not notice a file deleted or replaced under an open connection: it
/// goes on committing into the unlinked inode, and everything acknowledged after
/// the delete is gone at the next start. The writer therefore compares, after every
/// commit, the database file and the WAL it writes with the ones at the paths (two
/// stat calls; the -shm holds no data), and
/// from the first mismatch on the backend is "lost": nothing is acknowledged any
/// more, no connection is opened (it would create an empty file), until a restart.
/// Thread-safe.
class DatabaseFiles {
public:
    /// `path` is the database file; the working files are `path-wal` and `path-shm`.
    explicit DatabaseFiles(std::string path);

    const std::string& path() const { return paths_[0]; }

    /// Notes the database file at the path now (at open, right after it was opened).
    void remember();
    /// Stops watching the working files: call before the writer's connection closes
    /// (when every connection has closed, another process may legitimately delete
    /// them, and the next connection creates new ones).
    void forgetWorkingFiles();

    /// Compares the remembered files with the ones at the paths. Returns the reason
    /// when one of them is gone or replaced, and from then on the backend is lost.
    std::optional<std::string> check();
    /// check() right after the writer committed: first notes the working files it does
    /// not watch yet (they are the writer's own: it has just written through them).
    std::optional<std::string> checkAfterCommit();

    /// Whether a check found the files gone or replaced (sticky until restart).
    bool lost() const { return lost_.load(std::memory_order_acquire); }
    /// Why the backend is lost ("" while it is not).
    std::string lostReason() const;

    /// SQLite creates `-wal` and `-shm` with the database file's mode. A database
    /// started read-only therefore leaves read-only working files behind, which keep
    /// the database unwritable after the operator has made the database file writable
    /// again (also across restarts). When the database file is writable for this
    /// process and a working file is not, gives the working file the database file's
    /// mode. Returns one line per file it changed (for the log); never throws.
    std::vector<std::string> repairWorkingFiles() const;

    /// What stands in the way of writing, for the message of a failed write: files
    /// that are not writable for this process (naming the file and the reason), a
    /// folder where the working files cannot be created, a full volume. "" when
    /// nothing is found.
    std::string diagnose() const;

private:
    /// check(), with mutex_ held.
    std::optional<std::string> compare();

    struct Identity {
        dev_t device = 0;
        ino_t inode = 0;
    };

    /// The database file, `-wal`, `-shm`; the first kWatched are watched.
    std::array<std::string, 3> paths_;
    static constexpr std::size_t kWatched = 2;
    mutable std::mutex mutex_;
    std::array<std::optional<Identity>, kWatched> remembered_;  ///< guarded by mutex_
    std::string lostReason_;                             ///< guarded by mutex_
    std::atomic<bool> lost_{false};
};

}  // namespace rockets::sqlite
