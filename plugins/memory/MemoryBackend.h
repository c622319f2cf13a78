#pragma once

#include "MemoryEventStore.h"
#include "MemoryRocketStore.h"

#include "rockets/StoreBackend.h"

namespace rockets::memory {

/// The memory plugin's backend: both stores in this process's memory. Nothing to
/// connect to and nothing that can fail, so it is always healthy; nothing survives
/// the process.
class MemoryBackend final : public StoreBackend {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    EventStore& events() override { return events_; }
    RocketStore& rockets() override { return rockets_; }
    StoreHealth health() override { return {}; }
    std::string describe() const override;

private:
    MemoryEventStore events_;
    MemoryRocketStore rockets_;
};

}  // namespace rockets::memory
