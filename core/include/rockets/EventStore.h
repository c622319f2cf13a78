#pragma once

#include "rockets/Export.h"
#include "rockets/Message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rockets {

/// Outcome of EventStore::append for a well-formed message.
enum class AppendResult {
    Stored,     ///< new key; durable when append returns
    Duplicate,  ///< key present with the same type and payload (time may differ)
    Conflict,   ///< key present with a different type or payload; the first is kept
};

/// What the log holds for one channel. Stored numbers only grow, so both fields are
/// monotonic; because messages 1..v must all be stored before version v can be applied,
/// `storedCount - v` is exactly the number of stored but unapplied messages.
struct ChannelHead {
    std::string channel;
    std::int64_t highestNumber = 0;  ///< highest stored messageNumber (gaps possible below it)
    std::int64_t storedCount = 0;    ///< number of stored messages of the channel
    bool operator==(const ChannelHead&) const = default;
};

/// Channels appended to after a cursor, and the cursor that follows them.
struct ChangedChannels {
    std::vector<ChannelHead> channels;
    std::uint64_t cursor = 0;  ///< pass to the next changedSince call
};

/// One channel's range for EventStore::readMany.
struct EventRange {
    std::string channel;
    std::int64_t fromNumber = 1;
    std::size_t max = 0;
};

/// Port: the append-only message log keyed by (channel, messageNumber).
/// Implementations are thread-safe: every method may be called from many threads.
/// Methods throw StoreUnavailableException when the backend cannot serve them and
/// StoreCorruptException when stored data cannot be decoded.
class ROCKETS_CORE_API EventStore {
public:
    virtual ~EventStore() = default;

    /// Stores `message` unless its key exists. When it returns Stored or Duplicate
    /// the message is durable (as durable as the backend is configured to be).
    /// Throws StoreUnavailableException when nothing could be stored.
    virtual AppendResult append(const Message& message) = 0;

    /// Stored messages of `channel` with number >= fromNumber, ascending, at most
    /// `max` of them (gaps are possible: the caller checks contiguity).
    virtual std::vector<Message> read(const std::string& channel, std::int64_t fromNumber,
                                      std::size_t max) = 0;

    /// read() for several channels; result[i] answers ranges[i]. Backends with a
    /// network round trip override it to serve every range in one; the default calls read().
    virtual std::vector<std::vector<Message>> readMany(const std::vector<EventRange>& ranges);

    /// Every channel that received an append after `cursor`, from any process sharing
    /// the store, with its current head, and the cursor for the next call. Cursor 0
    /// means "from the beginning": every channel with a stored message (the consumer's
    /// start-up pass). When the store's history does not reach back to `cursor` (it was
    /// emptied or replaced), every channel is returned. Called by the consumer's sweep
    /// every interval, so it must cost next to nothing when nothing changed.
    virtual ChangedChannels changedSince(std::uint64_t cursor) = 0;
};

}  // namespace rockets
