#pragma once

#include "Connection.h"

#include "rockets/EventStore.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rockets::sqlite {

/// The SQL of the event log: the `events` table and the change log `changes` (a row
/// per channel and write transaction that stored messages of it, in commit order), on
/// a connection the caller owns. The writer inserts, readers read; every call runs in
/// the caller's transaction, if any.
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

/// Appends a change row for each of `channels` (the distinct channels the transaction
/// stored messages of). Call once per transaction, inside it, after the inserts.
/// Returns the last row's sequence number, 0 for no channels.
std::int64_t recordStored(Connection& connection, const std::vector<std::string_view>& channels);

/// Deletes the change rows older than the newest `kept` of those up to `lastSeq`. A
/// cursor from before them then gets every channel (changedSince).
void pruneChanges(Connection& connection, std::int64_t lastSeq, std::int64_t kept);

/// Stored messages of `channel` with number >= fromNumber, ascending, at most `max`.
/// Throws StoreCorruptException for a row it cannot decode.
std::vector<Message> read(Connection& connection, const std::string& channel, std::int64_t fromNumber,
                          std::size_t max);

/// Channels stored to after `cursor` (EventStore::changedSince), each with its head
/// and count. A cursor carries the database's `epoch` in its top 16 bits and a
/// sequence number below; cursor 0, a cursor of another database, one from beyond this
/// one's history (an older copy of the file) or one older than the pruned change log
/// lists every channel, from the events (a scan of the whole log).
ChangedChannels changedSince(Connection& connection, std::uint64_t cursor, std::uint16_t epoch);

}  // namespace EventTable

}  // namespace rockets::sqlite
