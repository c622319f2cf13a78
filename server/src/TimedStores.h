#pragma once

#include "Metrics.h"

#include "rockets/EventStore.h"
#include "rockets/RocketStore.h"

#include <string>

namespace rockets::server {

/// An EventStore that forwards every call to the real one and records its duration
/// (and whether it threw) in rockets_store_operation_duration_seconds, labelled
/// store="events", the backend plugin and the operation.
class TimedEventStore final : public EventStore {
public:
    TimedEventStore(EventStore& inner, Metrics& metrics, const std::string& backend);

    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    std::vector<std::vector<Message>> readMany(const std::vector<EventRange>& ranges) override;
    ChangedChannels changedSince(std::uint64_t cursor) override;

private:
    EventStore& inner_;
    StoreOperationMetrics append_, read_, readMany_, changedSince_;
};

/// A RocketStore that forwards every call to the real one and records its duration,
/// labelled store="rockets", as TimedEventStore does.
class TimedRocketStore final : public RocketStore {
public:
    TimedRocketStore(RocketStore& inner, Metrics& metrics, const std::string& backend);

    std::optional<Rocket> get(const std::string& channel) override;
    std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;
    bool subscribe(CommittedChangeListener listener) override;

private:
    RocketStore& inner_;
    StoreOperationMetrics get_, getMany_, list_, compareAndSet_, compareAndSetMany_, versions_;
};

}  // namespace rockets::server
