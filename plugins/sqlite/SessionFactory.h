#pragma once

#include "Connection.h"
#include "ConnectionGeneration.h"
#include "SqliteSettings.h"

#include <Poco/Data/Session.h>

#include <memory>
#include <mutex>

namespace rockets::sqlite {

/// What a connection is used for; decides its pragmas.
enum class SessionRole {
    Writer,            ///< the event log's writer: synchronous per settings (FULL = fsync per commit)
    ProjectionWriter,  ///< the projection's writer: synchronous NORMAL, see SessionFactory.cpp
    Reader,            ///< query_only; in WAL mode it never waits for a writer
};

/// Opens Poco::Data SQLite sessions on the configured file with the pragmas of
/// their role. Registers the SQLite connector for its lifetime (the registration is
/// reference-counted by Poco, so several factories may coexist).
class SessionFactory {
public:
    explicit SessionFactory(SqliteSettings settings);
    ~SessionFactory();
    SessionFactory(const SessionFactory&) = delete;
    SessionFactory& operator=(const SessionFactory&) = delete;

    /// A new session; creates the database's folder when it is missing. Throws
    /// Poco::Data exceptions (callers classify them with SqliteErrors.h).
    std::unique_ptr<Poco::Data::Session> open(SessionRole role) const;

    /// open() wrapped in a Connection of the generation current before it opened
    /// (a connection opened across an advance counts as the older generation).
    std::unique_ptr<Connection> connect(SessionRole role) const;

    const SqliteSettings& settings() const { return settings_; }

    /// Serialises this process's write transactions on the database file (shared by
    /// every factory of the same path). SQLite's busy handler sleeps with back-off,
    /// so one busy writer can starve another for longer than the busy timeout (seen:
    /// the consumer's compare-and-sets starving group commit with 100k channels);
    /// writers of one process take turns here, and the busy timeout only arbitrates
    /// between processes.
    std::mutex& writeLock() const { return *writeLock_; }

    /// The age of this process's connections to the file (shared by every factory
    /// of the same path); see ConnectionGeneration.
    ConnectionGeneration& generation() const { return *generation_; }
    const std::shared_ptr<ConnectionGeneration>& sharedGeneration() const { return generation_; }

private:
    SqliteSettings settings_;
    std::shared_ptr<std::mutex> writeLock_;
    std::shared_ptr<ConnectionGeneration> generation_;
};

}  // namespace rockets::sqlite
