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
constexpr const char* kLastSeq = "SELECT coalesce(max(seq), 0) FROM channels";
constexpr const char* kRecord =
    "INSERT INTO channels (channel, head, count, seq) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (channel) DO UPDATE SET head = max(head, excluded.head), count = count + excluded.count,"
    " seq = excluded.seq";
constexpr const char* kRead =
    "SELECT number, type, payload, time FROM events WHERE channel = ? AND number >= ? ORDER BY number LIMIT ?";
constexpr const char* kChanged = "SELECT channel, head, count, seq FROM channels WHERE seq > ? ORDER BY seq";

constexpr int kSeqBits = 48;
constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;

std::int64_t lastSeq(Connection& connection) {
    auto last = connection.prepared(kLastSeq).run();
    last.step();
    return last.int64(0);
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

void recordStored(Connection& connection, const std::vector<Stored>& stored) {
    if (stored.empty()) return;
    // The writer holds the write lock, so no other transaction (of any process) can
    // commit between this read and our commit: sequence numbers grow with commits.
    const Poco::Int64 seq = lastSeq(connection) + 1;
    PreparedStatement& record = connection.prepared(kRecord);
    for (const Stored& s : stored) {
        auto execution = record.run();
        execution.bind(1, s.channel).bind(2, Poco::Int64{s.highest}).bind(3, Poco::Int64{s.count}).bind(4, seq);
        execution.step();
    }
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
    auto from = static_cast<std::int64_t>(cursor & kSeqMask);
    // Another database's cursor, or one beyond this file's history: every channel.
    if ((cursor & ~kSeqMask) != ours || from > lastSeq(connection)) from = 0;
    ChangedChannels changed;
    std::int64_t last = from;
    auto select = connection.prepared(kChanged).run();
    select.bind(1, Poco::Int64{from});
    while (select.step()) {
        changed.channels.push_back(ChannelHead{select.text(0), select.int64(1), select.int64(2)});
        last = select.int64(3);
    }
    changed.cursor = ours | static_cast<std::uint64_t>(last);
    return changed;
}

}  // namespace rockets::sqlite::EventTable
