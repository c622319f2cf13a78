#pragma once

#include "DatabaseFiles.h"
#include "ReaderPool.h"
#include "SessionFactory.h"
#include "SqliteEventStore.h"
#include "SqliteRocketStore.h"
#include "SqliteSettings.h"
#include "Writer.h"

#include "rockets/StoreBackend.h"

#include <memory>

namespace rockets::sqlite {

/// The SQLite plugin's backend: one database file serving both stores, and the one
/// owner of everything they share — the settings, the sessions, the database's
/// files, the reader connections and the one writer. Nothing of it is process-global:
/// two backends in one process are independent (except for what SQLite itself shares
/// per file, see SessionFactory).
class SqliteBackend final : public StoreBackend {
public:
    ~SqliteBackend() override;

    void open(const Poco::Util::AbstractConfiguration& config) override;
    EventStore& events() override { return *events_; }
    RocketStore& rockets() override { return *rockets_; }
    /// Not ok when the database file was deleted or replaced under the server, when
    /// the last write failed (retried by a small probe write, so a cleared fault shows
    /// without traffic), or when the database cannot be read; the detail names the file
    /// and the cause.
    StoreHealth health() override;
    std::string describe() const override;

private:
    SqliteSettings settings_;
    std::unique_ptr<SessionFactory> sessions_;
    std::unique_ptr<DatabaseFiles> files_;
    std::unique_ptr<ReaderPool> readers_;
    std::unique_ptr<Writer> writer_;  ///< after readers_: it commits what is queued before they go
    std::unique_ptr<SqliteEventStore> events_;
    std::unique_ptr<SqliteRocketStore> rockets_;
};

}  // namespace rockets::sqlite
