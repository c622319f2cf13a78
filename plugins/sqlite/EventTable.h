#pragma once

#include "Connection.h"

#include "rockets/EventStore.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rockets::sqlite {

/// The SQL of the event log: the `events` table and its per-channel summary
/// `channels` (head, count and the sequence number of the last transaction that
/// stored a message of the channel), on a connection the caller owns. The writer
/// inserts, readers read; every call runs in the caller's transaction, if any.
/// Throws Poco::Data SQLite exceptions (callers classify them).
namespace EventTable {

/// A message ready to insert: the type and canonical payload already encoded.
struct Row {
    const Message& message;
    std::string type;
    std::string payload;
};

/// Stores `row` unless its key exists; Duplicate / Conflict against the stored copy
/// otherwise (a copy inserted earlier in the same transaction included).
AppendResult insert(Connection& connection, const Row& row);

/// What one write transaction stored of one channel.
struct Stored {
    std::string channel;
    std::int64_t highest = 0;
    std::int64_t count = 0;
};

/// Adds `stored` to the channels' summaries, all under the transaction's next
/// sequence number. Call once per transaction, inside it, after the inserts.
void recordStored(Connection& connection, const std::vector<Stored>& stored);

/// Stored messages of `channel` with number >= fromNumber, ascending, at most `max`.
/// Throws StoreCorruptException for a row it cannot decode.
std::vector<Message> read(Connection& connection, const std::string& channel, std::int64_t fromNumber,
                          std::size_t max);

/// Channels whose summary changed after `cursor` (EventStore::changedSince). A cursor
/// carries the database's `epoch` in its top 16 bits and a sequence number below;
/// a cursor of another database, or one from beyond this one's history (an older
/// copy of the file), starts over from every channel.
ChangedChannels changedSince(Connection& connection, std::uint64_t cursor, std::uint16_t epoch);

}  // namespace EventTable

}  // namespace rockets::sqlite
