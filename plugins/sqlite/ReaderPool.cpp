#include "ReaderPool.h"

namespace rockets::sqlite {

ReaderPool::ReaderPool(const SessionFactory& sessions, std::function<void()> mayOpen)
    : sessions_(sessions), mayOpen_(std::move(mayOpen)) {}

std::unique_ptr<Connection> ReaderPool::borrow() {
    {
        std::lock_guard lock(mutex_);
        while (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            if (connection->generation() == sessions_.generation()) return connection;
        }
    }
    mayOpen_();
    return sessions_.connect(SessionRole::Reader);
}

void ReaderPool::giveBack(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    // An outdated connection is closed here (when `connection` goes), not kept.
    if (connection->generation() == sessions_.generation() && idle_.size() < kMaxIdle) {
        idle_.push_back(std::move(connection));
    }
}

void ReaderPool::closeIdle() {
    std::vector<std::unique_ptr<Connection>> closing;
    {
        std::lock_guard lock(mutex_);
        closing.swap(idle_);
    }
}

}  // namespace rockets::sqlite
