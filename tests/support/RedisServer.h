#pragma once

#include "ChildProcess.h"
#include "TempDir.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockets::test {

/// A private redis-server (found on PATH; its absence is an error, never a skip)
/// listening only on a unix socket in its own temporary folder, with AOF on.
/// stop() and start() keep the folder, so data survives a restart.
class RedisServer {
public:
    /// Starts the server and waits until it answers PING.
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    /// The process-wide instance the conformance suite shares (one per test binary).
    static RedisServer& shared();

    /// Absolute path of the unix socket.
    std::string socketPath() const { return dir_.file("redis.sock"); }

    /// Starts the server again after stop() on the same data and waits for PING.
    void start();
    /// SIGTERM (AOF is flushed on shutdown) and wait for the exit.
    void stop();
    /// SIGSTOP / SIGCONT: the process keeps its socket but answers nothing.
    void pause();
    void resume();

    bool running();

    /// Runs one command over a fresh connection and returns the reply as text
    /// (status, string or integer; arrays as their elements joined by '\n').
    /// Throws when Redis cannot be reached or answers with an error.
    std::string command(const std::vector<std::string>& args) const;

    /// The number that follows `prefix` in `INFO <section>` ("total_reads_processed:" in
    /// "stats", "cmdstat_get:calls=" in "commandstats"); nullopt when it is not there.
    std::optional<long long> infoNumber(const std::string& section, const std::string& prefix) const;

    /// The server's log so far (for failure messages).
    std::string log() const;

private:
    void waitUntilReady(std::chrono::milliseconds timeout);

    TempDir dir_;
    std::string binary_;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace rockets::test
