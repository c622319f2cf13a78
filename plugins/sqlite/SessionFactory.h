#pragma once

#include "SqliteSettings.h"

#include <Poco/Data/Session.h>

#include <memory>

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

    const SqliteSettings& settings() const { return settings_; }

private:
    SqliteSettings settings_;
};

}  // namespace rockets::sqlite
