#pragma once

#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/RocketStore.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <mutex>

namespace rockets::sqlite {

/// RocketStore in a SQLite file (WAL). compareAndSet is one conditional statement
/// on a writer session, so it is atomic across processes sharing the file; reads
/// use their own sessions and never wait for it. A compare-and-set that finds the
/// file read-only advances its ConnectionGeneration (see there).
class SqliteRocketStore final : public RocketStore {
public:
    /// Opens the store with the backend's keys (see StoreBackend::open).
    void open(const Poco::Util::AbstractConfiguration& config);
    std::optional<Rocket> get(const std::string& channel) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    /// The conditional write on writer_ (open; writerMutex_ held).
    bool writeIfVersion(const Rocket& rocket, std::int64_t expectedVersion);

    std::unique_ptr<SessionFactory> sessions_;
    std::unique_ptr<ReaderPool> readers_;
    std::mutex writerMutex_;
    std::unique_ptr<Connection> writer_;  ///< guarded by writerMutex_; null after a failure
    std::unique_ptr<GenerationListener> listener_;  ///< last: closes an outdated idle writer
};

}  // namespace rockets::sqlite
