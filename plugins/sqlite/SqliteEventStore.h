#pragma once

#include "BatchWriter.h"
#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/EventStore.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <memory>

namespace rockets::sqlite {

/// EventStore in a SQLite file (WAL). Appends go through group commit (BatchWriter):
/// durable when append returns; reads use their own sessions and never wait for it.
class SqliteEventStore final : public EventStore {
public:
    ~SqliteEventStore() override;

    /// Opens the store with the backend's keys (see StoreBackend::open).
    void open(const Poco::Util::AbstractConfiguration& config);
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    ChangedChannels changedSince(std::uint64_t cursor) override;

private:
    std::unique_ptr<SessionFactory> sessions_;
    std::unique_ptr<ReaderPool> readers_;
    std::unique_ptr<BatchWriter> writer_;
};

}  // namespace rockets::sqlite
