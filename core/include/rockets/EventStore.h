#pragma once

#include "rockets/Export.h"
#include "rockets/Message.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rockets {

/// Outcome of EventStore::append for a well-formed message.
enum class AppendResult {
    Stored,     ///< new key; durable when append returns
    Duplicate,  ///< key present with the same type and payload (time may differ)
    Conflict,   ///< key present with a different type or payload; the first is kept
};

/// The highest message number stored for a channel (not necessarily contiguous).
struct ChannelHead {
    std::string channel;
    std::int64_t highestNumber = 0;
};

/// Port: the append-only message log keyed by (channel, messageNumber).
/// Implementations are thread-safe: every method may be called from many threads.
class ROCKETS_CORE_API EventStore {
public:
    virtual ~EventStore() = default;

    /// Connects to / opens the backing store using the `rockets.*` keys of `config`
    /// (relative paths have already been resolved by the caller). Called once,
    /// before any other method. Throws StoreCorruptException for unusable data and
    /// StoreUnavailableException when the backend cannot be reached.
    virtual void open(const Poco::Util::AbstractConfiguration& config) = 0;

    /// Stores `message` unless its key exists. When it returns Stored or Duplicate
    /// the message is durable (as durable as the backend is configured to be).
    /// Throws StoreUnavailableException when nothing could be stored.
    virtual AppendResult append(const Message& message) = 0;

    /// Stored messages of `channel` with number >= fromNumber, ascending, at most
    /// `max` of them (gaps are possible: the caller checks contiguity).
    virtual std::vector<Message> read(const std::string& channel, std::int64_t fromNumber,
                                      std::size_t max) = 0;

    /// Every channel with at least one stored message and its highest number; used
    /// by the consumer's start-up pass and sweep to find unapplied work.
    virtual std::vector<ChannelHead> heads() = 0;
};

}  // namespace rockets
