#include "BatchWriter.h"

#include "SqliteErrors.h"

#include "rockets/Codec.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>

#include <sqlite3.h>

#include <algorithm>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

BatchWriter::BatchWriter(const SessionFactory& sessions, std::unique_ptr<Poco::Data::Session> session)
    : sessions_(sessions),
      session_(std::move(session)),
      logger_(Poco::Logger::get("rockets.sqlite")),
      thread_([this] { run(); }) {}

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
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to commit
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
        // A failed batch closed the session: reopening is how the store recovers
        // from a lock, a full disk or a file that was unwritable when opened.
        if (!session_) session_ = sessions_.open(SessionRole::Writer);
        std::lock_guard writing(sessions_.writeLock());
        *session_ << "BEGIN IMMEDIATE", now;
        for (Request* request : batch) request->result = insert(*request);
        *session_ << "COMMIT", now;
    } catch (...) {
        const auto error = toStoreError(std::current_exception(), "append to " + sessions_.settings().path);
        rollbackAndClose();
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
    Poco::Int64 number = message.number;
    Poco::Data::Statement insert(*session_);
    insert << "INSERT INTO events (channel, number, type, payload, time) VALUES (?, ?, ?, ?, ?)"
              " ON CONFLICT DO NOTHING",
        useRef(message.channel), use(number), useRef(request.type), useRef(request.payload), useRef(message.time);
    insert.execute();
    if (sqlite3_changes(Poco::Data::SQLite::Utility::dbHandle(*session_)) == 1) return AppendResult::Stored;

    // The key exists, stored earlier or earlier in this very transaction.
    std::vector<std::string> types;
    std::vector<std::string> payloads;
    *session_ << "SELECT type, payload FROM events WHERE channel = ? AND number = ?", useRef(message.channel),
        use(number), into(types), into(payloads), now;
    if (types.size() != 1) throw Poco::Data::DataException("insert ignored but no row for the key");
    return types[0] == request.type && payloads[0] == request.payload ? AppendResult::Duplicate
                                                                      : AppendResult::Conflict;
}

void BatchWriter::rollbackAndClose() noexcept {
    if (!session_) return;
    try {
        if (!sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(*session_))) *session_ << "ROLLBACK", now;
    } catch (...) {
        // Closing the connection rolls back whatever is left.
    }
    session_.reset();
}

}  // namespace rockets::sqlite
