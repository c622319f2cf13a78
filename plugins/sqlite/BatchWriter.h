#pragma once

#include "SessionFactory.h"

#include "rockets/EventStore.h"

#include <Poco/Logger.h>

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rockets::sqlite {

/// Group commit for EventStore::append. One writer thread owns the write session;
/// callers queue their message and sleep until the transaction holding it has
/// committed (fsynced under synchronous=FULL). The writer takes everything queued,
/// up to kMaxBatch, the moment it is free: it never lingers, because messages that
/// arrive while one batch is being fsynced already form the next one.
/// A batch that fails because the file is read-only advances the file's
/// ConnectionGeneration; the writer closes its connection whenever the generation
/// moves on, even while idle, so every connection of the process can close.
class BatchWriter {
public:
    /// `connection` is an open writer connection on a database whose schema is in place.
    BatchWriter(const SessionFactory& sessions, std::unique_ptr<Connection> connection);
    /// Commits what is still queued, then stops the writer thread.
    ~BatchWriter();
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    /// Stores `message` unless its key exists; returns once its batch committed.
    /// Exact under batching: a second copy of a key in the same batch sees the
    /// first. Throws StoreUnavailableException (StoreCorruptException for a corrupt
    /// file) when the batch could not be committed; nothing of it is stored then.
    AppendResult append(const Message& message);

    static constexpr std::size_t kMaxBatch = 512;

private:
    struct Request {
        Request(const Message& m, std::string t, std::string p)
            : message(m), type(std::move(t)), payload(std::move(p)) {}
        const Message& message;
        std::string type;
        std::string payload;
        AppendResult result = AppendResult::Stored;
        std::exception_ptr error;
        bool done = false;
    };

    void run();
    /// Writer thread: one transaction for the whole batch; fills result or error.
    void commit(const std::vector<Request*>& batch);
    AppendResult insert(Request& request);
    void rollbackAndClose() noexcept;
    /// Writer thread: the connection belongs to an older ConnectionGeneration.
    bool connectionOutdated() const;

    const SessionFactory& sessions_;
    std::unique_ptr<Connection> connection_;  ///< writer thread only; null after a failure
    Poco::Logger& logger_;

    std::mutex mutex_;
    std::condition_variable queued_;     ///< the writer waits for work
    std::condition_variable committed_;  ///< callers wait for their request's batch
    std::vector<Request*> queue_;
    bool stopping_ = false;
    std::thread thread_;
    GenerationListener listener_;  ///< wakes the writer to close an outdated connection
};

}  // namespace rockets::sqlite
