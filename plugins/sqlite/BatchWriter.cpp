#include "BatchWriter.h"

#include "SqliteErrors.h"

#include "rockets/Codec.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Logger.h>

#include <sqlite3.h>

#include <algorithm>

namespace rockets::sqlite {

namespace {

constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kInsert =
    "INSERT INTO events (channel, number, type, payload, time) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
constexpr const char* kStored = "SELECT type, payload FROM events WHERE channel = ? AND number = ?";

void execute(Connection& connection, const char* sql) {
    auto execution = connection.prepared(sql).run();
    while (execution.step()) {
    }
}

}  // namespace

BatchWriter::BatchWriter(const SessionFactory& sessions, std::unique_ptr<Connection> connection)
    : sessions_(sessions),
      connection_(std::move(connection)),
      logger_(Poco::Logger::get("rockets.sqlite")),
      thread_([this] { run(); }),
      listener_(sessions.sharedGeneration(), [this] {
          // The writer re-checks connectionOutdated() under mutex_: no lost wake-up.
          { std::lock_guard lock(mutex_); }
          queued_.notify_one();
      }) {}

BatchWriter::~BatchWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    thread_.join();
}

AppendResult BatchWriter::append(const Message& message) {
    // Encoding happens on the caller's thread so the writer only writes.
    Request request{message, std::string(toString(message.type())), encodePayload(message.payload)};
    std::unique_lock lock(mutex_);
    queue_.push_back(&request);
    queued_.notify_one();
    committed_.wait(lock, [&] { return request.done; });
    if (request.error) std::rethrow_exception(request.error);
    return request.result;
}

void BatchWriter::run() {
    std::vector<Request*> batch;
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty() || connectionOutdated(); });
        if (connectionOutdated()) {
            // Closed even while idle: an open connection would keep the file read-only.
            lock.unlock();
            connection_.reset();
            lock.lock();
        }
        if (queue_.empty()) {
            if (stopping_) return;  // nothing left to commit
            continue;
        }
        const std::size_t n = std::min(queue_.size(), kMaxBatch);
        batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        lock.unlock();
        commit(batch);
        lock.lock();
        for (Request* request : batch) request->done = true;
        committed_.notify_all();
    }
}

void BatchWriter::commit(const std::vector<Request*>& batch) {
    try {
        // A failed batch closed the connection: reopening is how the store recovers
        // from a lock, a full disk or a file that was unwritable when opened.
        if (connectionOutdated()) connection_.reset();
        if (!connection_) connection_ = sessions_.connect(SessionRole::Writer);
        std::lock_guard writing(sessions_.writeLock());
        execute(*connection_, kBegin);
        for (Request* request : batch) request->result = insert(*request);
        execute(*connection_, kCommit);
    } catch (...) {
        const bool readOnly = isReadOnlyFailure(std::current_exception());
        const auto error = toStoreError(std::current_exception(), "append to " + sessions_.settings().path);
        rollbackAndClose();
        // Every connection of the process must close before one can write again.
        if (readOnly) sessions_.generation().advance();
        for (Request* request : batch) request->error = error;
        logger_.warning("a batch of %z appends failed, nothing of it is stored: %s", batch.size(),
                        describe(error));
        return;
    }
    if (logger_.debug()) {
        std::size_t stored = 0;
        std::size_t duplicate = 0;
        for (const Request* request : batch) {
            stored += request->result == AppendResult::Stored;
            duplicate += request->result == AppendResult::Duplicate;
        }
        logger_.debug("committed a batch of %z appends: %z stored, %z duplicate, %z conflict", batch.size(), stored,
                     duplicate, batch.size() - stored - duplicate);
    }
}

AppendResult BatchWriter::insert(Request& request) {
    const Message& message = request.message;
    PreparedStatement& insert = connection_->prepared(kInsert);
    {
        auto execution = insert.run();
        execution.bind(1, message.channel).bind(2, Poco::Int64{message.number}).bind(3, request.type);
        execution.bind(4, request.payload).bind(5, message.time);
        execution.step();
    }
    if (insert.changes() == 1) return AppendResult::Stored;

    // The key exists, stored earlier or earlier in this very transaction.
    auto stored = connection_->prepared(kStored).run();
    stored.bind(1, message.channel).bind(2, Poco::Int64{message.number});
    if (!stored.step()) throw Poco::Data::DataException("insert ignored but no row for the key");
    return stored.text(0) == request.type && stored.text(1) == request.payload ? AppendResult::Duplicate
                                                                                : AppendResult::Conflict;
}

bool BatchWriter::connectionOutdated() const {
    return connection_ && connection_->generation() != sessions_.generation().current();
}

void BatchWriter::rollbackAndClose() noexcept {
    if (!connection_) return;
    try {
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(connection_->session());
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    } catch (...) {
        // Closing the connection rolls back whatever is left.
    }
    connection_.reset();
}

}  // namespace rockets::sqlite
