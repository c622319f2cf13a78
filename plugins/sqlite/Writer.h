#pragma once

#include "Checkpointer.h"
#include "CompletionCounter.h"
#include "Connection.h"
#include "DatabaseFiles.h"
#include "ReaderPool.h"
#include "SessionFactory.h"

#include "rockets/EventStore.h"
#include "rockets/LogThrottle.h"
#include "rockets/RocketStore.h"

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;

namespace rockets::sqlite {

/// The backend's one writer: the only write connection, through which everything
/// the backend writes — appends and projection batches — is committed in one
/// transaction order. A caller that finds no commit under way commits its request on
/// its own thread (no hand-off: the common case with few clients); callers that
/// arrive meanwhile queue, and the writer thread commits everything queued (up to
/// kMaxAppends appends and every projection batch) in one transaction the moment
/// the previous one ended, back to back while work keeps coming (group commit: one
/// fsync for many appends under synchronous=FULL). Appends never wait for company.
///
/// Projection batches do, briefly: while appends are flowing (appendsFlowing()), a
/// projection batch that finds no commit under way is not committed alone but waits
/// up to kProjectionWait for the next append's transaction to carry it, and commits
/// itself only if none came. With few clients that saves the projection's own
/// transaction after most appends; docs/decisions/2026-11-27-sqlite-one-writer.md.
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
///
/// Checkpoints run off the commit path (Checkpointer) once the WAL reaches
/// kCheckpointFrames; the writer runs one itself only at kWalLimitFrames.
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
    /// WAL size (frames, pages) from which the Checkpointer is asked to run, and again
    /// each time the WAL has grown by as much since (not after every commit: while
    /// readers pin older snapshots a PASSIVE checkpoint cannot finish, and one per
    /// commit cost two fsyncs and a connection per message in the test program's
    /// profile). 4000 rather than 1000: a page changed again before the checkpoint is
    /// copied once, and at 100,000 channels that made scenario 4 1.29x as fast
    /// (docs/decisions/2026-11-27-wal-write-vfs.md).
    static constexpr int kCheckpointFrames = 4000;
    /// WAL size from which the writer checkpoints itself right after its commit
    /// (RESTART, see checkpointIfDue): the WAL then starts over, so it stays below about
    /// this many pages (131 MB with 4 KiB pages, plus one transaction; SessionFactory's
    /// journal_size_limit keeps the file at that size) however fast appends
    /// come and however busy the readers are. Every restart stops the writer while it
    /// copies what the Checkpointer has not and syncs both files (24-130 ms at 100,000
    /// channels), so 32,000 rather than 16,000: half the stalls, scenario 4
    /// 1.05-1.20x as fast (docs/decisions/2026-11-27-wal-write-vfs.md,
    /// seventh-session amendment).
    static constexpr int kWalLimitFrames = 32000;
    /// How long that checkpoint waits for other processes' readers of older snapshots.
    static constexpr std::chrono::milliseconds kReaderWait{200};
    /// How long a projection batch waits for an append's transaction to ride in while
    /// appends are flowing (see the class comment); the time the projection may trail
    /// its acknowledged message by in addition.
    static constexpr std::chrono::milliseconds kProjectionWait{1};
    /// Projections ride only while transactions hold at most this many appends: under
    /// heavier load the writer thread's back-to-back batches carry them anyway, and
    /// holding them back cost scenario 4 (the decision record's amendment).
    static constexpr std::size_t kProjectionRideAppends = 4;
    /// The change log (EventTable) keeps its newest this many rows: about a minute of
    /// the fastest ingest, far more than any sweep lags behind; a cursor older than them
    /// is answered with every channel, which is slower but equally right.
    static constexpr std::int64_t kChangesKept = 1'000'000;
    /// It is pruned once per this many transactions that stored messages, so that
    /// each prune deletes a few pages at the log's start rather than a row per commit.
    static constexpr int kPruneEvery = 64;

private:
    enum class Kind { Append, Project, Probe };

    /// One caller's request, on the caller's stack. The committing thread sets `done`
    /// and never touches the request again; then one advance of `completed_` wakes
    /// every caller of the transaction with one system call (waking callers one by
    /// one let each woken thread preempt the committing one).
    struct Request {
        Kind kind = Kind::Probe;
        const Message* message = nullptr;
        std::string type;
        std::string payload;
        AppendResult result = AppendResult::Stored;
        const std::vector<RocketWrite>* writes = nullptr;
        std::vector<bool> written;
        std::exception_ptr error;
        std::atomic<bool> done{false};
    };

    /// Queues `request` and returns once its transaction committed; rethrows its error.
    void submit(Request& request);
    /// Waits until the transaction of a queued append or probe committed.
    void awaitCommitted(const Request& request);
    /// Waits until the transaction of a queued projection batch committed: without a
    /// timeout while a commit is under way, else for at most kProjectionWait, after
    /// which it commits the waiting projection batches itself.
    void awaitProjected(const Request& request);
    /// Whether the last two transactions with appends committed within kProjectionWait
    /// of each other and of now, the last holding at most kProjectionRideAppends.
    bool appendsFlowing() const;
    /// Ends a commit of the thread holding committing_ (mutex_ held): hands what must
    /// not wait over to the writer thread, or gives up committing_.
    void release();
    /// Takes the next batch off the queues (mutex_ held).
    void takeBatch(std::vector<Request*>& batch);
    /// Marks `batch` done and wakes its callers.
    void finish(const std::vector<Request*>& batch);
    /// The writer thread: commits what queued while a caller committed, until the
    /// queues are empty.
    void run();
    /// One transaction for the whole batch; fills results or errors. Called by the
    /// one thread that holds `committing_`.
    void commit(const std::vector<Request*>& batch);
    /// The transaction of commit(); throws what failed.
    void transact(const std::vector<Request*>& batch);
    /// Sets synchronous for a transaction with or without appends.
    void useSynchronous(bool appends);
    void connect();
    /// After a commit: asks for or runs the checkpoint the WAL's size calls for.
    void checkpointIfDue();
    /// sqlite3_wal_hook of the write connection: notes the WAL's size after a commit.
    static int walHook(void* writer, sqlite3* db, const char* schema, int frames);
    /// Rolls back and closes the connection after a failure.
    void disconnect() noexcept;
    /// The failure being handled as the stores throw it, its message
    /// ("<path>: <cause>", naming the files that stand in the way) in `detail`.
    std::exception_ptr describeFailure(const std::exception_ptr& error, std::string& detail);

    SessionFactory& sessions_;
    DatabaseFiles& files_;
    ReaderPool& readers_;
    // Used only by the thread holding committing_ (passed under mutex_, which orders it).
    std::unique_ptr<Connection> connection_;  ///< null after a failure
    bool synchronousFull_ = false;            ///< the level last set on connection_
    std::string connectCodes_;                ///< errorCodes() of a failed connect
    int walFrames_ = 0;                       ///< the WAL's size after the last commit
    int nextCheckpointAt_ = kCheckpointFrames;  ///< WAL size of the next Checkpointer request
    int untilPrune_ = kPruneEvery;            ///< transactions that store before the change log's next prune
    Poco::Logger& logger_;
    LogThrottle throttle_;

    mutable std::mutex failureMutex_;
    std::optional<std::string> failure_;  ///< guarded by failureMutex_

    /// steady_clock nanoseconds of the last commit with appends, and since the one
    /// before it (written by the committing thread, read by callers of submit()).
    std::atomic<std::int64_t> lastAppendCommit_{0};
    std::atomic<std::int64_t> appendCommitGap_{INT64_MAX};
    std::atomic<std::size_t> lastAppendCount_{0};  ///< appends in that last transaction

    std::mutex mutex_;  ///< guards the queues, committing_, handedOver_ and stopping_
    std::condition_variable handOver_;  ///< wakes the writer thread
    std::vector<Request*> appends_;     ///< appends and probes: committed at once
    std::vector<Request*> projections_;  ///< projection batches: may wait for an append
    /// A caller or the writer thread is committing (written under mutex_; read without
    /// it by awaitProjected).
    std::atomic<bool> committing_{false};
    bool handedOver_ = false;       ///< the writer thread is to commit what is queued
    bool stopping_ = false;
    CompletionCounter completed_;  ///< transactions finished; callers wait for it to move
    Checkpointer checkpointer_;
    std::thread thread_;           ///< last: starts after everything it uses
};

}  // namespace rockets::sqlite
