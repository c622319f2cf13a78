#pragma once

#include "ReaderPool.h"
#include "RocketTable.h"
#include "Writer.h"

#include "rockets/RocketStore.h"

#include <string>

namespace rockets::sqlite {

/// RocketStore over the backend's writer and readers (see SqliteBackend).
/// Compare-and-set batches are committed by the writer, in the same transaction
/// order as the appends; each write is one conditional statement, so it is atomic
/// against other processes sharing the file. Reads borrow reader connections and
/// never wait for the writer.
class SqliteRocketStore final : public RocketStore {
public:
    /// `path` is used in messages.
    SqliteRocketStore(Writer& writer, ReaderPool& readers, std::string path);

    std::optional<Rocket> get(const std::string& channel) override;
    /// Every channel from one read transaction on one connection.
    std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    /// One transaction of the writer, shared with whatever else it commits then.
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    Writer& writer_;
    ReaderPool& readers_;
    std::string path_;
    RocketTable::StatusCounts statuses_;
};

}  // namespace rockets::sqlite
