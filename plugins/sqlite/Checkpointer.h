#pragma once

#include "Connection.h"
#include "SessionFactory.h"

#include "rockets/LogThrottle.h"

#include <Poco/Logger.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace rockets::sqlite {

/// Copies the WAL back into the database file off the writer's path. SQLite's own
/// automatic checkpoint runs inside COMMIT of the transaction that crossed the
/// threshold, so every thousandth page or so one group of callers waited for a
/// checkpoint (and its two fsyncs) and every later transaction waited behind it.
/// Here a thread of its own runs a PASSIVE checkpoint (it neither blocks the writer
/// nor waits for readers) when the writer asks for one, on a connection it keeps
/// between runs (opening one per run cost a dozen system calls each time) and drops
/// when the connections' generation advances (see SessionFactory) or a run fails. A PASSIVE checkpoint cannot reset the WAL while the writer keeps
/// appending, so the writer resets it itself once it reaches Writer::kWalLimitFrames
/// (see there): the WAL stays bounded.
class Checkpointer {
public:
    explicit Checkpointer(const SessionFactory& sessions);
    /// Stops the thread (a run in progress finishes first).
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    /// Asks for a checkpoint; cheap and non-blocking (requests made during a run
    /// start one more run after it).
    void request();

    /// Waits for a run in progress and keeps the next from starting while the lock
    /// is held (only one checkpoint runs at a time: a second one fails busy).
    std::unique_lock<std::mutex> pause() { return std::unique_lock(running_); }

    /// Closes the kept connection now (after the generation advanced: a connection
    /// opened while the file was read-only keeps it read-only for the process).
    void closeConnection();

private:
    void run();
    /// One PASSIVE checkpoint; failures are logged (the writer's limit still holds).
    void checkpoint();

    const SessionFactory& sessions_;
    Poco::Logger& logger_;
    LogThrottle throttle_;
    std::mutex running_;  ///< held during a run and while connection_ changes
    std::unique_ptr<Connection> connection_;  ///< kept between runs; guarded by running_
    std::mutex mutex_;
    std::condition_variable wake_;
    bool requested_ = false;
    bool stopping_ = false;
    std::thread thread_;  ///< last: starts after everything it uses
};

}  // namespace rockets::sqlite
