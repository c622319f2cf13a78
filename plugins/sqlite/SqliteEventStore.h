#pragma once

#include "ReaderPool.h"
#include "Writer.h"

#include "rockets/EventStore.h"

#include <cstdint>
#include <string>

namespace rockets::sqlite {

/// EventStore over the backend's writer and readers (see SqliteBackend). Appends go
/// through the writer's group commit: durable when append returns; reads borrow
/// reader connections and never wait for the writer.
class SqliteEventStore final : public EventStore {
public:
    /// `epoch` is the database's (Schema::ensure); `path` is used in messages.
    SqliteEventStore(Writer& writer, ReaderPool& readers, std::string path, std::uint16_t epoch);

    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    /// Every range from one read transaction (one snapshot) on one connection.
    std::vector<std::vector<Message>> readMany(const std::vector<EventRange>& ranges) override;
    /// One index range scan of the channel summary: nothing to read when nothing changed.
    ChangedChannels changedSince(std::uint64_t cursor) override;

private:
    Writer& writer_;
    ReaderPool& readers_;
    std::string path_;
    std::uint16_t epoch_;
};

}  // namespace rockets::sqlite
