#pragma once

#include "StoredMessage.h"

#include "rockets/EventStore.h"

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rockets::memory {

/// EventStore in process memory: fast, and gone when the process exits.
/// Channels are spread over independently locked shards so concurrent appends to
/// different channels rarely contend.
class MemoryEventStore final : public EventStore {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    std::vector<ChannelHead> heads() override;

private:
    using Log = std::map<std::int64_t, StoredMessage>;

    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Log> channels;
    };

    Shard& shardFor(const std::string& channel);

    std::array<Shard, 64> shards_;
};

}  // namespace rockets::memory
