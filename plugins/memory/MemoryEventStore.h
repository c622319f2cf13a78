#pragma once

#include "StoredMessage.h"

#include "rockets/EventStore.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rockets::memory {

/// EventStore in process memory: fast, and gone when the process exits.
/// Channels are spread over independently locked shards so concurrent appends to
/// different channels rarely contend. Every append takes the next number of one
/// process-wide sequence, which is the cursor of changedSince().
class MemoryEventStore final : public EventStore {
public:
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    ChangedChannels changedSince(std::uint64_t cursor) override;

private:
    struct Channel {
        std::map<std::int64_t, StoredMessage> log;
        std::uint64_t lastSequence = 0;  ///< sequence of the channel's latest append
    };

    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Channel> channels;
    };

    Shard& shardFor(const std::string& channel);

    std::array<Shard, 64> shards_;
    std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace rockets::memory
