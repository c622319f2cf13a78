#include "SqliteEventStore.h"

#include "EventTable.h"
#include "ReadTransaction.h"

namespace rockets::sqlite {

SqliteEventStore::SqliteEventStore(Writer& writer, ReaderPool& readers, std::string path, std::uint16_t epoch)
    : writer_(writer), readers_(readers), path_(std::move(path)), epoch_(epoch) {}

AppendResult SqliteEventStore::append(const Message& message) { return writer_.append(message); }

std::vector<Message> SqliteEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    return readers_.run("reading events of " + path_, [&](Connection& connection) {
        return EventTable::read(connection, channel, fromNumber, max);
    });
}

std::vector<std::vector<Message>> SqliteEventStore::readMany(const std::vector<EventRange>& ranges) {
    if (ranges.empty()) return {};
    return readers_.run("reading events of " + path_, [&](Connection& connection) {
        ReadTransaction transaction(connection);
        std::vector<std::vector<Message>> pages;
        pages.reserve(ranges.size());
        for (const EventRange& range : ranges) {
            pages.push_back(EventTable::read(connection, range.channel, range.fromNumber, range.max));
        }
        transaction.commit();
        return pages;
    });
}

ChangedChannels SqliteEventStore::changedSince(std::uint64_t cursor) {
    return readers_.run("listing changed channels of " + path_, [&](Connection& connection) {
        ReadTransaction transaction(connection);
        ChangedChannels changed = EventTable::changedSince(connection, cursor, epoch_);
        transaction.commit();
        return changed;
    });
}

}  // namespace rockets::sqlite
