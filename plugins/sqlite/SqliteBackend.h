#pragma once

#include "SqliteEventStore.h"
#include "SqliteRocketStore.h"
#include "SqliteSettings.h"

#include "rockets/StoreBackend.h"

namespace rockets::sqlite {

/// The SQLite plugin's backend: one database file serving both stores.
class SqliteBackend final : public StoreBackend {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    EventStore& events() override { return events_; }
    RocketStore& rockets() override { return rockets_; }
    StoreHealth health() override;
    std::string describe() const override;

private:
    SqliteSettings settings_;
    SqliteEventStore events_;
    SqliteRocketStore rockets_;
};

}  // namespace rockets::sqlite
