#pragma once

#include "RedisEventStore.h"
#include "RedisRocketStore.h"
#include "RedisSettings.h"

#include "rockets/StoreBackend.h"

namespace rockets::redis {

/// The Redis plugin's backend: one Redis server (and key prefix) serving both stores.
class RedisBackend final : public StoreBackend {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    EventStore& events() override { return events_; }
    RocketStore& rockets() override { return rockets_; }
    StoreHealth health() override;
    std::string describe() const override;

private:
    RedisSettings settings_;
    RedisEventStore events_;
    RedisRocketStore rockets_;
};

}  // namespace rockets::redis
