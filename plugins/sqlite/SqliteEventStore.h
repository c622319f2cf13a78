#pragma once

#include "BatchWriter.h"
#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/EventStore.h"

#include <memory>

namespace rockets::sqlite {

/// EventStore in a SQLite file (WAL). Appends go through group commit (BatchWriter):
/// durable when append returns; reads use their own sessions and never wait for it.
class SqliteEventStore final : public EventStore {
public:
    ~SqliteEventStore() override;

    void open(const Poco::Util::AbstractConfiguration& config) override;
    AppendResult append(const Message& message) override;
    std::vector<Message> read(const std::string& channel, std::int64_t fromNumber, std::size_t max) override;
    std::vector<ChannelHead> heads() override;

private:
    std::unique_ptr<SessionFactory> sessions_;
    std::unique_ptr<ReaderPool> readers_;
    std::unique_ptr<BatchWriter> writer_;
};

}  // namespace rockets::sqlite
