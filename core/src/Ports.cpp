// Default implementations of the ports' batch methods: one call per item. Backends
// with a network round trip or a transaction per call override them.
#include "rockets/EventStore.h"
#include "rockets/RocketStore.h"

namespace rockets {

std::vector<std::vector<Message>> EventStore::readMany(const std::vector<EventRange>& ranges) {
    std::vector<std::vector<Message>> result;
    result.reserve(ranges.size());
    for (const EventRange& range : ranges) result.push_back(read(range.channel, range.fromNumber, range.max));
    return result;
}

std::vector<std::optional<Rocket>> RocketStore::getMany(const std::vector<std::string>& channels) {
    std::vector<std::optional<Rocket>> result;
    result.reserve(channels.size());
    for (const std::string& channel : channels) result.push_back(get(channel));
    return result;
}

std::vector<bool> RocketStore::compareAndSetMany(const std::vector<RocketWrite>& writes) {
    std::vector<bool> result;
    result.reserve(writes.size());
    for (const RocketWrite& write : writes) result.push_back(compareAndSet(write.rocket, write.expectedVersion));
    return result;
}

bool RocketStore::subscribe(CommittedChangeListener) { return false; }

}  // namespace rockets
