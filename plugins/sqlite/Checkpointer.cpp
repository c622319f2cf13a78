#include "Checkpointer.h"

#include "SqliteErrors.h"

#include "rockets/ThreadName.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>

#include <sqlite3.h>

namespace rockets::sqlite {

Checkpointer::Checkpointer(const SessionFactory& sessions)
    : sessions_(sessions),
      logger_(Poco::Logger::get("rockets.sqlite")),
      throttle_(logger_),
      thread_(startNamedThread("sqlite-ckpt", [this] { run(); })) {}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    throttle_.flush();
}

void Checkpointer::request() {
    {
        std::lock_guard lock(mutex_);
        if (requested_) return;
        requested_ = true;
    }
    wake_.notify_one();
}

void Checkpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return requested_ || stopping_; });
        if (stopping_) return;
        requested_ = false;
        lock.unlock();
        checkpoint();
        lock.lock();
    }
}

void Checkpointer::closeConnection() {
    std::lock_guard running(running_);
    connection_.reset();
}

void Checkpointer::checkpoint() {
    std::lock_guard running(running_);
    std::string codes;
    try {
        if (connection_ && connection_->generation() != sessions_.generation()) connection_.reset();
        if (!connection_) connection_ = sessions_.connect(SessionRole::Checkpointer, &codes);
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(connection_->session());
        int walFrames = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            const std::string cause = sqlite3_errmsg(db) + errorCodes(db);
            connection_.reset();  // the next run starts on a fresh one
            throttle_.log(Poco::Message::PRIO_WARNING, cause,
                          "checkpoint of " + sessions_.settings().path + " failed: " + cause);
        }
    } catch (const Poco::Exception& e) {
        connection_.reset();
        throttle_.log(Poco::Message::PRIO_WARNING, e.displayText(),
                      "checkpoint of " + sessions_.settings().path + " failed: " + e.displayText() + codes);
    }
}

}  // namespace rockets::sqlite
