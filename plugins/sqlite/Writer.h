#pragma once

#include "Connection.h"
#include "DatabaseFiles.h"
#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/EventStore.h"
#include "rockets/LogThrottle.h"
#include "rockets/RocketStore.h"

#include <Poco/Logger.h>

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rockets::sqlite {

/// The backend's one writer: a thread that owns the only write connection and
/// commits everything the backend writes — appends and projection batches — in one
/// transaction order. Callers queue a request and sleep until the transaction
/// holding it has committed. The writer takes everything queued (up to kMaxAppends
/// appends and every projection batch) the moment it is free; it never lingers,
/// because requests that arrive while one transaction commits form the next one
/// (group commit: one fsync for many appends under synchronous=FULL).
///
/// Durability: a transaction holding appends commits at the configured synchronous
/// level; one holding only projection writes (derived data, re-applied from the log
/// by the consumer's start-up pass) commits at NORMAL, and is made durable by the
/// next FULL commit, which syncs the whole WAL before it. Results are handed out
/// only after COMMIT returned and the files were found still in place (see
/// DatabaseFiles): nothing is acknowledged into a file that is gone.
///
/// A failed transaction is rolled back and its connection closed (the next one
/// reopens it: that is how a lock, a full disk or an I/O error clears); every
/// request of it gets the error. A read-only failure also advances the connections'
/// generation and closes the idle readers, because SQLite keeps a file read-only for
/// the process while any connection opened during the read-only period lives.
class Writer {
public:
    /// `connection` is an open writer connection on a database whose schema is in place.
    Writer(SessionFactory& sessions, DatabaseFiles& files, ReaderPool& readers,
           std::unique_ptr<Connection> connection);
    /// Commits what is still queued, then stops the writer thread.
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    /// EventStore::append: stores `message` unless its key exists; returns once its
    /// transaction committed. Exact under batching (a second copy of a key in the same
    /// transaction sees the first). Throws StoreUnavailableException
    /// (StoreCorruptException for a corrupt file) when it could not be committed.
    AppendResult append(const Message& message);

    /// RocketStore::compareAndSetMany in one transaction; returns once it committed.
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes);

    /// Why the last transaction failed ("<path>: <cause>"); nullopt when it succeeded
    /// or none was tried since open.
    std::optional<std::string> failure() const;

    /// When the last transaction failed, tries a small write now (it rewrites one row of
    /// the `meta` table, unchanged), so that a fault that has cleared is seen without
    /// waiting for traffic. Returns failure() after it.
    std::optional<std::string> probe();

    static constexpr std::size_t kMaxAppends = 512;

private:
    enum class Kind { Append, Project, Probe };

    /// One caller's request, on the caller's stack; it waits on its own mutex.
    struct Request {
        Kind kind = Kind::Probe;
        const Message* message = nullptr;
        std::string type;
        std::string payload;
        AppendResult result = AppendResult::Stored;
        const std::vector<RocketWrite>* writes = nullptr;
        std::vector<bool> written;
        std::exception_ptr error;
        std::mutex mutex;
        std::condition_variable wake;
        bool done = false;
    };

    /// Queues `request` and waits for its transaction; rethrows its error.
    void submit(Request& request);
    void run();
    /// Writer thread: one transaction for the whole batch; fills results or errors.
    void commit(const std::vector<Request*>& batch);
    void transact(const std::vector<Request*>& batch);
    /// Writer thread: sets synchronous for a transaction with or without appends.
    void useSynchronous(bool appends);
    void connect();
    /// Writer thread: rolls back and closes the connection after a failure.
    void disconnect() noexcept;
    /// Writer thread: the failure being handled as the stores throw it, its message
    /// ("<path>: <cause>", naming the files that stand in the way) in `detail`.
    std::exception_ptr describeFailure(const std::exception_ptr& error, std::string& detail);

    SessionFactory& sessions_;
    DatabaseFiles& files_;
    ReaderPool& readers_;
    std::unique_ptr<Connection> connection_;  ///< writer thread only; null after a failure
    bool synchronousFull_ = false;            ///< writer thread only: the level last set on connection_
    std::string connectCodes_;                ///< writer thread only: errorCodes() of a failed connect
    Poco::Logger& logger_;
    LogThrottle throttle_;

    mutable std::mutex failureMutex_;
    std::optional<std::string> failure_;  ///< guarded by failureMutex_

    std::mutex mutex_;
    std::condition_variable queued_;  ///< the writer waits for work
    std::vector<Request*> appends_;
    std::vector<Request*> others_;  ///< projection batches and probes
    bool stopping_ = false;
    std::thread thread_;  ///< last: starts after everything it uses
};

}  // namespace rockets::sqlite
