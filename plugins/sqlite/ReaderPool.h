#pragma once

#include "Connection.h"
#include "ReadGate.h"
#include "SessionFactory.h"
#include "SqliteErrors.h"

#include <functional>
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
/// the last commit and never wait for the writer. A connection of an older
/// generation (see SessionFactory) is closed when it is handed back instead of kept.
class ReaderPool {
public:
    /// `mayOpen` is asked before a new connection is opened; it throws when none may
    /// be (the file is gone: opening its path would create an empty database).
    ReaderPool(const SessionFactory& sessions, std::function<void()> mayOpen);
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    /// Runs `work(connection)` on a borrowed reader connection and returns its
    /// result. A failure drops that connection (the next call opens a fresh one) and
    /// is rethrown classified as StoreUnavailableException / StoreCorruptException.
    template <typename Work>
    auto run(const std::string& context, Work&& work) -> decltype(work(std::declval<Connection&>())) {
        ReadGateEntry entry(gate_);
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

    /// Closes every idle connection now (after the generation advanced).
    void closeIdle();

    /// Every run() passes this gate (see ReadGate).
    ReadGate& gate() { return gate_; }

private:
    std::unique_ptr<Connection> borrow();
    void giveBack(std::unique_ptr<Connection> connection);

    /// Idle connections kept beyond this are closed.
    static constexpr std::size_t kMaxIdle = 16;

    const SessionFactory& sessions_;
    std::function<void()> mayOpen_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    ReadGate gate_;
};

}  // namespace rockets::sqlite
