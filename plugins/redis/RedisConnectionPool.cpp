#include "RedisConnectionPool.h"

#include <csignal>

namespace rockets::redis {

namespace {

// hiredis writes with write(2): a peer that closed the socket (Redis restarted)
// raises SIGPIPE, which would kill the whole server. Ignore it unless the host
// program installed its own handler; Poco's sockets already use MSG_NOSIGNAL.
void ignoreSigpipeUnlessHandled() {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, nullptr);
    }
}

}  // namespace

RedisConnectionPool::RedisConnectionPool(RedisSettings settings) : settings_(std::move(settings)) {
    ignoreSigpipeUnlessHandled();
}

std::unique_ptr<RedisConnection> RedisConnectionPool::take(Clock::time_point deadline, bool& reused) {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            reused = true;
            return connection;
        }
    }
    reused = false;
    return std::make_unique<RedisConnection>(settings_, deadline);
}

void RedisConnectionPool::give(std::unique_ptr<RedisConnection> connection) {
    if (connection->broken()) return;
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
}

void RedisConnectionPool::discardIdle() {
    std::vector<std::unique_ptr<RedisConnection>> dropped;
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
}

void RedisConnectionPool::ping() {
    run([](RedisConnection& connection, Clock::time_point deadline) {
        auto reply = connection.command({"PING"}, deadline);
        expectReply(*reply, REDIS_REPLY_STATUS, "PING");
        return true;
    });
}

}  // namespace rockets::redis
