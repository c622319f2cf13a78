#pragma once

#include "Connection.h"
#include "ConnectionGeneration.h"
#include "SessionFactory.h"
#include "SqliteErrors.h"

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rockets::sqlite {

/// Reader connections for any number of threads. A Poco::Data::Session is not
/// thread-safe, so each call borrows one exclusively; connections are opened on
/// demand and kept for reuse with their prepared statements. In WAL mode readers see
/// the last commit and never wait for the writer. Follows the file's
/// ConnectionGeneration: an advance closes every idle connection at once, and one of
/// an older generation is closed when it is handed back instead of being kept.
class ReaderPool {
public:
    explicit ReaderPool(const SessionFactory& sessions);
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    /// Runs `work(connection)` on a borrowed reader connection and returns its
    /// result. A failure drops that connection (the next call opens a fresh one) and
    /// is rethrown classified as StoreUnavailableException / StoreCorruptException.
    template <typename Work>
    auto run(const std::string& context, Work&& work) -> decltype(work(std::declval<Connection&>())) {
        std::unique_ptr<Connection> connection;
        try {
            connection = borrow();
            if constexpr (std::is_void_v<decltype(work(*connection))>) {
                work(*connection);
                giveBack(std::move(connection));
            } else {
                auto result = work(*connection);
                giveBack(std::move(connection));
                return result;
            }
        } catch (...) {
            rethrowAsStoreError(context);
        }
    }

private:
    std::unique_ptr<Connection> borrow();
    void giveBack(std::unique_ptr<Connection> connection);
    void closeIdle();

    /// Idle connections kept beyond this are closed.
    static constexpr std::size_t kMaxIdle = 16;

    const SessionFactory& sessions_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    GenerationListener listener_;  ///< last member: unsubscribed before idle_ goes
};

}  // namespace rockets::sqlite
