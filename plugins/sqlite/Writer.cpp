#include "Writer.h"

#include "EventTable.h"
#include "RocketTable.h"
#include "SqliteErrors.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"
#include "rockets/ThreadName.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>

#include <sqlite3.h>

#include <algorithm>

namespace rockets::sqlite {

namespace {

constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kSynchronousFull = "PRAGMA synchronous = FULL";
constexpr const char* kSynchronousNormal = "PRAGMA synchronous = NORMAL";
constexpr const char* kProbe = "UPDATE meta SET value = value WHERE key = 'epoch'";

void execute(Connection& connection, const char* sql) {
    auto execution = connection.prepared(sql).run();
    while (execution.step()) {
    }
}

/// The distinct channels one transaction stored to (a handful per batch: a linear
/// search beats hashing). The views point into the batch's messages.
void noteStored(std::vector<std::string_view>& channels, const Message& message) {
    if (std::find(channels.begin(), channels.end(), message.channel) == channels.end()) {
        channels.push_back(message.channel);
    }
}

}  // namespace

Writer::Writer(SessionFactory& sessions, DatabaseFiles& files, ReaderPool& readers,
               std::unique_ptr<Connection> connection)
    : sessions_(sessions),
      files_(files),
      readers_(readers),
      connection_(std::move(connection)),
      synchronousFull_(sessions.settings().synchronous == "FULL"),
      logger_(Poco::Logger::get("rockets.sqlite")),
      throttle_(logger_),
      checkpointer_(sessions),
      thread_(startNamedThread("sqlite-writer", [this] { run(); })) {
    sqlite3_wal_hook(Poco::Data::SQLite::Utility::dbHandle(connection_->session()), &Writer::walHook, this);
}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    handOver_.notify_one();
    thread_.join();
    throttle_.flush();
}

AppendResult Writer::append(const Message& message) {
    // Encoded before queueing, so the transaction only writes.
    Request request;
    request.kind = Kind::Append;
    request.message = &message;
    request.type = std::string(toString(message.type()));
    request.payload = encodePayload(message.payload);
    submit(request);
    return request.result;
}

std::vector<bool> Writer::compareAndSetMany(const std::vector<RocketWrite>& writes) {
    if (writes.empty()) return {};
    Request request;
    request.kind = Kind::Project;
    request.writes = &writes;
    submit(request);
    return std::move(request.written);
}

std::optional<std::string> Writer::failure() const {
    std::lock_guard lock(failureMutex_);
    return failure_;
}

std::optional<std::string> Writer::probe() {
    if (!failure()) return std::nullopt;
    Request request;
    try {
        submit(request);
    } catch (const std::exception&) {
        // The failure is recorded by the transaction itself.
    }
    return failure();
}

void Writer::submit(Request& request) {
    std::unique_lock lock(mutex_);
    const bool isProjection = request.kind == Kind::Project;
    if (committing_.load(std::memory_order_relaxed) || (isProjection && appendsFlowing())) {
        // The committing thread, the writer thread after it, or the next append's
        // transaction takes this request.
        (isProjection ? projections_ : appends_).push_back(&request);
        lock.unlock();
        if (isProjection) {
            awaitProjected(request);
        } else {
            awaitCommitted(request);
        }
    } else {
        // Nobody commits, so at most projection batches are queued, waiting for an
        // append: this thread commits its own request with them, without a hand-off.
        committing_.store(true, std::memory_order_seq_cst);
        std::vector<Request*> batch = {&request};
        batch.insert(batch.end(), projections_.begin(), projections_.end());
        projections_.clear();
        lock.unlock();
        commit(batch);
        if (batch.size() > 1) finish(batch);
        lock.lock();
        release();
    }
    if (request.error) std::rethrow_exception(request.error);
}

void Writer::awaitCommitted(const Request& request) {
    for (;;) {
        // Read before the flag: a transaction finishing after this read moves it.
        const std::uint32_t seen = completed_.value();
        if (request.done.load(std::memory_order_acquire)) return;
        completed_.waitWhile(seen);
    }
}

void Writer::awaitProjected(const Request& request) {
    using Clock = std::chrono::steady_clock;
    Clock::time_point deadline{};  // set when the batch is first free to commit itself
    for (;;) {
        const std::uint32_t seen = completed_.value();
        if (request.done.load(std::memory_order_acquire)) return;
        if (committing_.load(std::memory_order_seq_cst)) {
            // Whoever commits takes this batch along, hands it to the writer thread, or
            // leaves it queued and then moves completed_ (release()). `seen` was read
            // before committing_: a release() after that read moves it past `seen`.
            completed_.waitWhile(seen);
            continue;
        }
        const Clock::time_point now = Clock::now();
        if (deadline == Clock::time_point{}) deadline = now + kProjectionWait;
        if (now < deadline) {
            completed_.waitWhile(seen, deadline - now);
            continue;
        }
        std::unique_lock lock(mutex_);
        if (request.done.load(std::memory_order_acquire)) return;
        if (committing_.load(std::memory_order_relaxed)) continue;  // sleep untimed, above
        // No append came in time. Nobody commits, so no batch holding this request is
        // in flight: it is still queued. Commit every waiting projection batch.
        committing_.store(true, std::memory_order_seq_cst);
        std::vector<Request*> batch;
        batch.swap(projections_);
        lock.unlock();
        commit(batch);
        finish(batch);
        lock.lock();
        release();
        return;
    }
}

bool Writer::appendsFlowing() const {
    const std::int64_t window = std::chrono::nanoseconds(kProjectionWait).count();
    const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    return appendCommitGap_.load(std::memory_order_relaxed) <= window &&
           now - lastAppendCommit_.load(std::memory_order_relaxed) <= window &&
           lastAppendCount_.load(std::memory_order_relaxed) <= kProjectionRideAppends;
}

void Writer::release() {
    if (!appends_.empty() || (!projections_.empty() && !appendsFlowing())) {
        handedOver_ = true;  // what queued meanwhile is the writer thread's
        handOver_.notify_one();
    } else {
        // Projection batches still queued wait for the next append, or commit
        // themselves at their deadline (awaitProjected); they queued during this
        // commit and sleep until it ends, so they are woken to start that wait.
        committing_.store(false, std::memory_order_seq_cst);
        if (!projections_.empty()) completed_.advance();
    }
}

void Writer::takeBatch(std::vector<Request*>& batch) {
    const std::size_t n = std::min(appends_.size(), kMaxAppends);
    batch.assign(appends_.begin(), appends_.begin() + static_cast<std::ptrdiff_t>(n));
    appends_.erase(appends_.begin(), appends_.begin() + static_cast<std::ptrdiff_t>(n));
    batch.insert(batch.end(), projections_.begin(), projections_.end());
    projections_.clear();
}

void Writer::finish(const std::vector<Request*>& batch) {
    // A caller may return the moment it sees `done`: nothing touches a request after.
    for (Request* request : batch) request->done.store(true, std::memory_order_release);
    completed_.advance();
}

void Writer::run() {
    std::vector<Request*> batch;
    std::unique_lock lock(mutex_);
    for (;;) {
        handOver_.wait(lock, [&] { return handedOver_ || stopping_; });
        if (!handedOver_) return;  // stopping, and nothing was handed over
        handedOver_ = false;
        do {
            takeBatch(batch);
            lock.unlock();
            commit(batch);
            finish(batch);
            lock.lock();
        } while (!appends_.empty() || !projections_.empty());
        committing_.store(false, std::memory_order_seq_cst);
    }
}

void Writer::commit(const std::vector<Request*>& batch) {
    std::size_t appends = 0;
    for (const Request* request : batch) appends += request->kind == Kind::Append;
    try {
        transact(batch);
    } catch (...) {
        const bool readOnly = isReadOnlyFailure(std::current_exception());
        std::string cause;
        const std::exception_ptr error = describeFailure(std::current_exception(), cause);
        disconnect();
        if (readOnly) {
            // Every connection of this process must close before one can write again.
            sessions_.advanceGeneration();
            readers_.closeIdle();
            checkpointer_.closeConnection();
        }
        for (Request* request : batch) request->error = error;
        {
            std::lock_guard lock(failureMutex_);
            failure_ = cause;
        }
        throttle_.log(Poco::Message::PRIO_WARNING, cause,
                      "a transaction of " + std::to_string(appends) + " appends and " +
                          std::to_string(batch.size() - appends) +
                          " projection batches failed, nothing of it is stored: " + cause);
        return;
    }
    {
        std::lock_guard lock(failureMutex_);
        failure_.reset();
    }
    if (appends != 0) {
        const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
        lastAppendCount_.store(appends, std::memory_order_relaxed);
        appendCommitGap_.store(now - lastAppendCommit_.exchange(now, std::memory_order_relaxed),
                               std::memory_order_relaxed);
    }
    if (logger_.debug()) {
        std::size_t stored = 0;
        std::size_t duplicate = 0;
        for (const Request* request : batch) {
            if (request->kind != Kind::Append) continue;
            stored += request->result == AppendResult::Stored;
            duplicate += request->result == AppendResult::Duplicate;
        }
        logger_.debug("committed a batch of %z appends: %z stored, %z duplicate, %z conflict; %z projection batches",
                      appends, stored, duplicate, appends - stored - duplicate, batch.size() - appends);
    }
}

void Writer::transact(const std::vector<Request*>& batch) {
    // Never reconnect to a path whose file is gone: it would create an empty database.
    if (files_.lost()) throw StoreUnavailableException(files_.lostReason());
    if (!connection_ || connection_->generation() != sessions_.generation()) connect();
    Connection& connection = *connection_;

    const bool appends = std::any_of(batch.begin(), batch.end(), [](const Request* r) { return r->kind == Kind::Append; });
    useSynchronous(appends);
    execute(connection, kBegin);
    std::vector<std::string_view> stored;
    for (Request* request : batch) {
        switch (request->kind) {
        case Kind::Append:
            request->result = EventTable::insert(connection, {*request->message, request->type, request->payload});
            if (request->result == AppendResult::Stored) noteStored(stored, *request->message);
            break;
        case Kind::Project:
            request->written.clear();
            request->written.reserve(request->writes->size());
            for (const RocketWrite& write : *request->writes) {
                request->written.push_back(RocketTable::writeIfVersion(connection, write.rocket, write.expectedVersion));
            }
            break;
        case Kind::Probe:
            execute(connection, kProbe);
            break;
        }
    }
    if (!stored.empty()) {
        const std::int64_t lastSeq = EventTable::recordStored(connection, stored);
        if (--untilPrune_ == 0) {
            EventTable::pruneChanges(connection, lastSeq, kChangesKept);
            untilPrune_ = kPruneEvery;
        }
    }
    execute(connection, kCommit);
    // Committed; but into the files at the paths? (See DatabaseFiles.)
    if (auto lost = files_.checkAfterCommit()) throw StoreUnavailableException(*lost);
    checkpointIfDue();
}

int Writer::walHook(void* writer, sqlite3*, const char*, int frames) {
    static_cast<Writer*>(writer)->walFrames_ = frames;
    return SQLITE_OK;
}

void Writer::checkpointIfDue() {
    if (walFrames_ < kCheckpointFrames) {
        nextCheckpointAt_ = kCheckpointFrames;  // the WAL started over
        return;
    }
    if (walFrames_ < nextCheckpointAt_) return;
    if (walFrames_ < kWalLimitFrames) {
        checkpointer_.request();
        nextCheckpointAt_ = walFrames_ + kCheckpointFrames;
        return;
    }
    // Readers that keep coming keep a PASSIVE checkpoint one step behind the last
    // commit, so the WAL would never start over and grow until the disk is full.
    // RESTART copies what is left and waits until no reader reads an older snapshot,
    // so the next transaction starts the WAL over. This process's readers are held at
    // the gate meanwhile (those inside finish within milliseconds); other processes'
    // readers are waited for at most kReaderWait. Nothing else of this process writes:
    // this thread holds the writer.
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(connection_->session());
    const auto paused = checkpointer_.pause();
    readers_.gate().close();
    sqlite3_busy_timeout(db, static_cast<int>(kReaderWait.count()));
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(db, static_cast<int>(sessions_.settings().busyTimeout.count()));
    readers_.gate().open();
    if (rc != SQLITE_OK) {
        const std::string cause = sqlite3_errmsg(db) + errorCodes(db);
        throttle_.log(Poco::Message::PRIO_WARNING, cause, "checkpoint of " + files_.path() + " failed: " + cause);
    }
}

void Writer::useSynchronous(bool appends) {
    const bool full = appends && sessions_.settings().synchronous == "FULL";
    if (full == synchronousFull_) return;
    execute(*connection_, full ? kSynchronousFull : kSynchronousNormal);
    synchronousFull_ = full;
}

void Writer::connect() {
    disconnect();
    for (const std::string& line : files_.repairWorkingFiles()) logger_.warning(line);
    connectCodes_.clear();
    connection_ = sessions_.connect(SessionRole::Writer, &connectCodes_);
    synchronousFull_ = sessions_.settings().synchronous == "FULL";
    // Replaces SQLite's automatic checkpoint (see Checkpointer).
    sqlite3_wal_hook(Poco::Data::SQLite::Utility::dbHandle(connection_->session()), &Writer::walHook, this);
}

void Writer::disconnect() noexcept {
    if (!connection_) return;
    // The last connection to close deletes the working files: not a lost file.
    files_.forgetWorkingFiles();
    try {
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(connection_->session());
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    } catch (...) {
        // Closing the connection rolls back whatever is left.
    }
    connection_.reset();
}

std::exception_ptr Writer::describeFailure(const std::exception_ptr& error, std::string& detail) {
    const std::string& path = files_.path();
    if (files_.lost()) {
        detail = files_.lostReason();
        return std::make_exception_ptr(StoreUnavailableException(detail));
    }
    std::string cause;
    try {
        std::rethrow_exception(error);
    } catch (const Poco::Exception& e) {
        cause = e.message().empty() ? e.displayText() : e.message();
    } catch (const std::exception& e) {
        cause = e.what();
    } catch (...) {
        cause = "unknown error";
    }
    cause += connection_ ? errorCodes(Poco::Data::SQLite::Utility::dbHandle(connection_->session())) : connectCodes_;
    if (const std::string found = files_.diagnose(); !found.empty()) cause += "; " + found;
    detail = path + ": " + cause;
    try {
        std::rethrow_exception(toStoreError(error, path));
    } catch (const StoreCorruptException&) {
        return std::make_exception_ptr(StoreCorruptException(detail));
    } catch (...) {
        return std::make_exception_ptr(StoreUnavailableException(detail));
    }
}

}  // namespace rockets::sqlite
