#pragma once

#include "RedisConnectionPool.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/RocketStore.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <optional>

namespace rockets::redis {

/// RocketStore on Redis. A rocket is a hash `<prefix>{<channel>}:rocket` holding
/// its fields, its version `v`, and the members it owns in the list indexes
/// (`ix:<index>`) and filter sets (`fx:<field>`). compareAndSet is one Lua script
/// that checks `v`, swaps the index and filter entries and writes the hash.
/// list() is one Lua script over those indexes (docs/decisions/2026-11-26-redis-list-indexes.md).
class RedisRocketStore final : public RocketStore {
public:
    RedisRocketStore();
    ~RedisRocketStore() override;

    /// Opens the store with the backend's keys (see StoreBackend::open).
    void open(const Poco::Util::AbstractConfiguration& config);
    std::optional<Rocket> get(const std::string& channel) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    RedisConnectionPool& pool();

    std::unique_ptr<RedisConnectionPool> pool_;
    std::optional<RedisKeys> keys_;
    RedisScript casScript_;
    RedisScript listScript_;
};

}  // namespace rockets::redis
