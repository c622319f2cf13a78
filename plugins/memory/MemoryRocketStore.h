#pragma once

#include "rockets/RocketStore.h"

#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace rockets::memory {

/// RocketStore in process memory. Reads share one lock; list() sorts pointers to
/// the matching rockets and copies out only the requested page.
class MemoryRocketStore final : public RocketStore {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    std::optional<Rocket> get(const std::string& channel) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    std::shared_mutex mutex_;
    std::unordered_map<std::string, Rocket> rockets_;
};

}  // namespace rockets::memory
