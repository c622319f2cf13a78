#include "ReaderPool.h"

namespace rockets::sqlite {

ReaderPool::ReaderPool(const SessionFactory& sessions) : sessions_(sessions) {}

std::unique_ptr<Poco::Data::Session> ReaderPool::borrow() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto session = std::move(idle_.back());
            idle_.pop_back();
            return session;
        }
    }
    return sessions_.open(SessionRole::Reader);
}

void ReaderPool::giveBack(std::unique_ptr<Poco::Data::Session> session) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(session));
}

}  // namespace rockets::sqlite
