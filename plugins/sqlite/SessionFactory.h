#pragma once

#include "Connection.h"
#include "SqliteSettings.h"
#include "WalWriteVfs.h"

#include <Poco/Data/Session.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace rockets::sqlite {

/// What a connection is used for; decides its pragmas.
enum class SessionRole {
    Writer,        ///< the backend's one writer: synchronous per transaction (see Writer), no auto-checkpoint
    Checkpointer,  ///< copies the WAL back into the database, off the writer's thread
    Reader,        ///< query_only; in WAL mode it never waits for the writer
};

/// Opens the backend's Poco::Data SQLite sessions on the configured file with the
/// pragmas of their role, and keeps the age ("generation") of its connections.
///
/// Why a generation: SQLite's unix VFS shares per-file state among all connections of
/// a process (the WAL-index mapping, opened read-only if the first connection met a
/// read-only -shm). So a connection opened while the file was read-only keeps every
/// later one read-only until all of them have closed. When the writer meets a
/// read-only file it advances the generation and closes what it can reach; every
/// holder drops a connection of an older generation instead of reusing it.
/// Registers the SQLite connector for its lifetime (reference-counted by Poco), and
/// WalWriteVfs, through which every session opens the file.
class SessionFactory {
public:
    explicit SessionFactory(SqliteSettings settings);
    ~SessionFactory();
    SessionFactory(const SessionFactory&) = delete;
    SessionFactory& operator=(const SessionFactory&) = delete;

    /// A new session on the existing database file: it never creates one, so a
    /// database deleted under the server is not re-created behind its back (SQLite
    /// would, at any connection opened by path). Throws Poco::Data exceptions
    /// (callers classify them with SqliteErrors.h); then, when `codes` is given, it
    /// holds the errorCodes() of the failure.
    std::unique_ptr<Poco::Data::Session> open(SessionRole role, std::string* codes = nullptr) const;

    /// open() wrapped in a Connection of the generation current before it opened
    /// (a connection opened across an advance counts as the older generation).
    std::unique_ptr<Connection> connect(SessionRole role, std::string* codes = nullptr) const;

    /// The writer connection at start-up: the one connection that creates the
    /// database file, and its folder, when they are missing.
    std::unique_ptr<Connection> create() const;

    const SqliteSettings& settings() const { return settings_; }

    /// The current generation; a connection opened now belongs to it.
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    /// Starts a new generation: every connection opened before is outdated.
    void advanceGeneration() { generation_.fetch_add(1, std::memory_order_acq_rel); }

private:
    std::unique_ptr<Poco::Data::Session> open(const std::string& name, SessionRole role, std::string* codes) const;
    /// The pragmas of `role` on a new session.
    void configure(Poco::Data::Session& session, SessionRole role) const;

    WalWriteVfs vfs_;  ///< registered while any session may use it
    SqliteSettings settings_;
    /// settings_.path as a URI that opens the file read-write without creating it.
    std::string existingFile_;
    /// settings_.path as a URI that creates the file when it is missing.
    std::string newFile_;
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace rockets::sqlite
