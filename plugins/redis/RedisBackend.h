#pragma once

#include "AppendPipeline.h"
#include "ReadAhead.h"
#include "RedisConnectionPool.h"
#include "RedisEventStore.h"
#include "RedisHealth.h"
#include "RedisKeys.h"
#include "RedisRocketStore.h"
#include "RedisSettings.h"

#include "rockets/StoreBackend.h"

#include <memory>
#include <string>

namespace rockets::redis {

/// The Redis plugin's backend: one Redis server (db and key prefix) serving both
/// stores. It owns what they share: the settings, the one connection pool, the
/// append pipeline, the read-ahead and the write health; the stores are views onto them.
class RedisBackend final : public StoreBackend {
public:
    RedisBackend();
    ~RedisBackend() override;

    /// Reads `rockets.redis.*`, connects (failing early with the address and the
    /// cause), checks the key layout under the prefix and notes Redis' persistence
    /// settings for describe().
    void open(const Poco::Util::AbstractConfiguration& config) override;
    EventStore& events() override;
    RocketStore& rockets() override;
    /// PING; while writes are failing, a probe write instead, which clears the
    /// failure when it succeeds (so an idle backend can become healthy again).
    StoreHealth health() override;
    /// Address, db, key prefix, timeout and Redis' persistence; never the password.
    std::string describe() const override;

private:
    void checkLayout();
    void readServerSettings();

    RedisSettings settings_;
    std::string server_;  ///< "Redis 7.0.15, appendonly yes, appendfsync everysec", as far as known
    std::unique_ptr<RedisKeys> keys_;
    std::unique_ptr<RedisConnectionPool> pool_;
    std::unique_ptr<RedisHealth> health_;
    std::unique_ptr<AppendPipeline> appends_;
    ReadAhead readAhead_;
    std::unique_ptr<RedisEventStore> events_;
    std::unique_ptr<RedisRocketStore> rockets_;
};

}  // namespace rockets::redis
