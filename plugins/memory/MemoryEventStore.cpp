#include "MemoryEventStore.h"

namespace rockets::memory {

MemoryEventStore::Shard& MemoryEventStore::shardFor(const std::string& channel) {
    return shards_[std::hash<std::string>{}(channel) % shards_.size()];
}

AppendResult MemoryEventStore::append(const Message& message) {
    Shard& shard = shardFor(message.channel);
    std::lock_guard lock(shard.mutex);
    Channel& channel = shard.channels[message.channel];
    auto [it, inserted] = channel.log.try_emplace(message.number, message);
    if (inserted) {
        // Taken under the shard lock, so a changedSince() that sees this sequence sees the message.
        channel.lastSequence = sequence_.fetch_add(1, std::memory_order_relaxed) + 1;
        return AppendResult::Stored;
    }
    return it->second.samePayload(message) ? AppendResult::Duplicate : AppendResult::Conflict;
}

std::vector<Message> MemoryEventStore::read(const std::string& channel, std::int64_t fromNumber,
                                            std::size_t max) {
    std::vector<Message> result;
    Shard& shard = shardFor(channel);
    std::lock_guard lock(shard.mutex);
    auto found = shard.channels.find(channel);
    if (found == shard.channels.end()) return result;
    const auto& log = found->second.log;
    for (auto it = log.lower_bound(fromNumber); it != log.end() && result.size() < max; ++it) {
        result.push_back(it->second.toMessage(channel, it->first));
    }
    return result;
}

ChangedChannels MemoryEventStore::changedSince(std::uint64_t cursor) {
    ChangedChannels changed;
    // Read before the scan: an append racing with it is either seen now or has a
    // larger sequence than the returned cursor and is seen next time.
    changed.cursor = sequence_.load(std::memory_order_relaxed);
    for (Shard& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        for (const auto& [name, channel] : shard.channels) {
            if (channel.lastSequence <= cursor || channel.log.empty()) continue;
            changed.channels.push_back(ChannelHead{name, channel.log.rbegin()->first,
                                                   static_cast<std::int64_t>(channel.log.size())});
        }
    }
    return changed;
}

}  // namespace rockets::memory
