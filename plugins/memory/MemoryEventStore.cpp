#include "MemoryEventStore.h"

namespace rockets::memory {

void MemoryEventStore::open(const Poco::Util::AbstractConfiguration&) {}

MemoryEventStore::Shard& MemoryEventStore::shardFor(const std::string& channel) {
    return shards_[std::hash<std::string>{}(channel) % shards_.size()];
}

AppendResult MemoryEventStore::append(const Message& message) {
    Shard& shard = shardFor(message.channel);
    std::lock_guard lock(shard.mutex);
    Log& log = shard.channels[message.channel];
    auto [it, inserted] = log.try_emplace(message.number, message);
    if (inserted) return AppendResult::Stored;
    return it->second.samePayload(message) ? AppendResult::Duplicate : AppendResult::Conflict;
}

std::vector<Message> MemoryEventStore::read(const std::string& channel, std::int64_t fromNumber,
                                            std::size_t max) {
    std::vector<Message> result;
    Shard& shard = shardFor(channel);
    std::lock_guard lock(shard.mutex);
    auto found = shard.channels.find(channel);
    if (found == shard.channels.end()) return result;
    for (auto it = found->second.lower_bound(fromNumber); it != found->second.end() && result.size() < max; ++it) {
        result.push_back(it->second.toMessage(channel, it->first));
    }
    return result;
}

std::vector<ChannelHead> MemoryEventStore::heads() {
    std::vector<ChannelHead> result;
    for (Shard& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        for (const auto& [channel, log] : shard.channels) {
            if (!log.empty()) result.push_back(ChannelHead{channel, log.rbegin()->first});
        }
    }
    return result;
}

}  // namespace rockets::memory
