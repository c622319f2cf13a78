#pragma once

#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/RocketStore.h"

#include <memory>
#include <mutex>

namespace rockets::sqlite {

/// RocketStore in a SQLite file (WAL). compareAndSet is one conditional statement
/// on a writer session, so it is atomic across processes sharing the file; reads
/// use their own sessions and never wait for it.
class SqliteRocketStore final : public RocketStore {
public:
    void open(const Poco::Util::AbstractConfiguration& config) override;
    std::optional<Rocket> get(const std::string& channel) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    std::unique_ptr<SessionFactory> sessions_;
    std::unique_ptr<ReaderPool> readers_;
    std::mutex writerMutex_;
    std::unique_ptr<Poco::Data::Session> writer_;  ///< guarded by writerMutex_; null after a failure
};

}  // namespace rockets::sqlite
