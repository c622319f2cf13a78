#include "ReaderPool.h"

namespace rockets::sqlite {

ReaderPool::ReaderPool(const SessionFactory& sessions)
    : sessions_(sessions), listener_(sessions.sharedGeneration(), [this] { closeIdle(); }) {}

std::unique_ptr<Connection> ReaderPool::borrow() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return connection;
        }
    }
    return sessions_.connect(SessionRole::Reader);
}

void ReaderPool::giveBack(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    // Checked under mutex_, and an advance moves the generation before it closes
    // the idle ones: an outdated connection never stays in idle_.
    if (connection->generation() == sessions_.generation().current() && idle_.size() < kMaxIdle) {
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
