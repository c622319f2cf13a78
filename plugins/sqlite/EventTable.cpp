#include "EventTable.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Data/DataException.h>

#include <limits>

namespace rockets::sqlite::EventTable {

namespace {

constexpr const char* kInsert =
    "INSERT INTO events (channel, number, type, payload, time) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
constexpr const char* kStoredCopy = "SELECT type, payload FROM events WHERE channel = ? AND number = ?";
constexpr const char* kRecord = "INSERT INTO changes (channel) VALUES (?)";
constexpr const char* kPrune = "DELETE FROM changes WHERE seq <= ?";
constexpr const char* kFirstSeq = "SELECT min(seq) FROM changes";
constexpr const char* kLastSeq = "SELECT coalesce(max(seq), 0) FROM changes";
constexpr const char* kRead =
    "SELECT number, type, payload, time FROM events WHERE channel = ? AND number >= ? ORDER BY number LIMIT ?";
// Each channel once, in the order of its first change after the cursor.
constexpr const char* kChanged =
    "SELECT channel FROM changes WHERE seq > ? AND seq <= ? GROUP BY channel ORDER BY min(seq)";
// A channel's head, from its projection's version v: messages 1..v are all stored
// before v can be written (one file, one transaction order), so the count is v plus
// the messages above it, and only those are read.
constexpr const char* kApplied = "SELECT lastMessageNumber FROM rockets WHERE channel = ?";
constexpr const char* kAbove = "SELECT max(number), count(*) FROM events WHERE channel = ? AND number > ?";
// Every channel that has events, in key order, one seek of the primary key each (a
// skip scan) instead of a pass over every event: a channel's history grows without
// bound, the number of channels far less.
constexpr const char* kEveryChannel =
    "WITH RECURSIVE c(channel) AS (SELECT min(channel) FROM events UNION ALL "
    "SELECT (SELECT min(channel) FROM events WHERE channel > c.channel) FROM c WHERE c.channel IS NOT NULL) "
    "SELECT channel FROM c WHERE channel IS NOT NULL";

constexpr int kSeqBits = 48;
constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;

std::int64_t scalar(Connection& connection, const char* sql) {
    auto query = connection.prepared(sql).run();
    query.step();
    return query.isNull(0) ? 0 : query.int64(0);
}

ChannelHead headOf(Connection& connection, std::string channel) {
    std::int64_t applied = 0;
    {
        auto rocket = connection.prepared(kApplied).run();
        rocket.bind(1, channel);
        if (rocket.step()) applied = rocket.int64(0);
    }
    auto above = connection.prepared(kAbove).run();
    above.bind(1, channel).bind(2, Poco::Int64{applied});
    above.step();
    const std::int64_t count = above.int64(1);
    const std::int64_t highest = count > 0 ? above.int64(0) : applied;
    return ChannelHead{std::move(channel), highest, applied + count};
}

}  // namespace

AppendResult insert(Connection& connection, const Row& row) {
    const Message& message = row.message;
    PreparedStatement& insert = connection.prepared(kInsert);
    {
        auto execution = insert.run();
        execution.bind(1, message.channel).bind(2, Poco::Int64{message.number}).bind(3, row.type);
        execution.bind(4, row.payload).bind(5, message.time);
        execution.step();
    }
    if (insert.changes() == 1) return AppendResult::Stored;

    // The key exists, stored earlier or earlier in this very transaction.
    auto stored = connection.prepared(kStoredCopy).run();
    stored.bind(1, message.channel).bind(2, Poco::Int64{message.number});
    if (!stored.step()) throw Poco::Data::DataException("insert ignored but no row for the key");
    return stored.view(0) == row.type && stored.view(1) == row.payload ? AppendResult::Duplicate
                                                                       : AppendResult::Conflict;
}

std::int64_t recordStored(Connection& connection, const std::vector<std::string_view>& channels) {
    PreparedStatement& record = connection.prepared(kRecord);
    for (std::string_view channel : channels) {
        auto execution = record.run();
        execution.bind(1, std::string(channel));
        execution.step();
    }
    return channels.empty() ? 0 : record.lastInsertRowid();
}

void pruneChanges(Connection& connection, std::int64_t lastSeq, std::int64_t kept) {
    if (lastSeq <= kept) return;
    auto prune = connection.prepared(kPrune).run();
    prune.bind(1, Poco::Int64{lastSeq - kept});
    prune.step();
}

std::vector<Message> read(Connection& connection, const std::string& channel, std::int64_t fromNumber,
                          std::size_t max) {
    const Poco::Int64 limit = max > static_cast<std::size_t>(std::numeric_limits<Poco::Int64>::max())
                                  ? std::numeric_limits<Poco::Int64>::max()
                                  : static_cast<Poco::Int64>(max);
    // One range seek on the primary key (channel, number), rows in key order.
    auto select = connection.prepared(kRead).run();
    select.bind(1, channel).bind(2, Poco::Int64{fromNumber}).bind(3, limit);
    std::vector<Message> messages;
    while (select.step()) {
        const Poco::Int64 number = select.int64(0);
        const auto type = messageTypeFromString(select.view(1));
        auto payload = type ? decodePayload(*type, select.view(2)) : std::nullopt;
        if (!payload) {
            throw StoreCorruptException("event " + std::to_string(number) + " of channel " + channel +
                                        " has an unreadable payload");
        }
        messages.push_back(Message{channel, number, select.text(3), std::move(*payload)});
    }
    return messages;
}

ChangedChannels changedSince(Connection& connection, std::uint64_t cursor, std::uint16_t epoch) {
    const std::uint64_t ours = std::uint64_t{epoch} << kSeqBits;
    const auto from = static_cast<std::int64_t>(cursor & kSeqMask);
    const std::int64_t last = scalar(connection, kLastSeq);
    ChangedChannels changed;
    changed.cursor = ours | static_cast<std::uint64_t>(last);
    // Cursor 0, another database's cursor, one beyond this file's history (an older
    // copy of the file), or one whose changes were pruned: every channel. (Our cursor
    // with sequence number 0 is not cursor 0: it follows a pass over every channel
    // while the log was empty, and the log's first row is the next change.)
    const bool everyChannel =
        cursor == 0 || (cursor & ~kSeqMask) != ours || from > last || from + 1 < scalar(connection, kFirstSeq);
    std::vector<std::string> channels;
    {
        auto select = connection.prepared(everyChannel ? kEveryChannel : kChanged).run();
        if (!everyChannel) select.bind(1, Poco::Int64{from}).bind(2, Poco::Int64{last});
        while (select.step()) channels.push_back(select.text(0));
    }
    changed.channels.reserve(channels.size());
    for (std::string& channel : channels) changed.channels.push_back(headOf(connection, std::move(channel)));
    return changed;
}

}  // namespace rockets::sqlite::EventTable
