#pragma once

#include "SessionFactory.h"
#include "SqliteErrors.h"

#include <Poco/Data/Session.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rockets::sqlite {

/// Reader sessions for any number of threads. A Poco::Data::Session is not
/// thread-safe, so each call borrows one exclusively; sessions are opened on demand
/// and kept for reuse. In WAL mode readers see the last commit and never wait for
/// the writer.
class ReaderPool {
public:
    explicit ReaderPool(const SessionFactory& sessions);

    /// Runs `work(session)` on a borrowed reader session and returns its result.
    /// A failure drops that session (the next call opens a fresh one) and is
    /// rethrown classified as StoreUnavailableException / StoreCorruptException.
    template <typename Work>
    auto run(const std::string& context, Work&& work) -> decltype(work(std::declval<Poco::Data::Session&>())) {
        std::unique_ptr<Poco::Data::Session> session;
        try {
            session = borrow();
            if constexpr (std::is_void_v<decltype(work(*session))>) {
                work(*session);
                giveBack(std::move(session));
            } else {
                auto result = work(*session);
                giveBack(std::move(session));
                return result;
            }
        } catch (...) {
            rethrowAsStoreError(context);
        }
    }

private:
    std::unique_ptr<Poco::Data::Session> borrow();
    void giveBack(std::unique_ptr<Poco::Data::Session> session);

    /// Idle sessions kept beyond this are closed.
    static constexpr std::size_t kMaxIdle = 16;

    const SessionFactory& sessions_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Poco::Data::Session>> idle_;
};

}  // namespace rockets::sqlite
