#include "RedisConnectionPool.h"

#include <csignal>
#include <unordered_set>

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

std::vector<std::pair<std::string, std::string>> RedisConnectionPool::scanHash(const std::string& key) {
    std::vector<std::pair<std::string, std::string>> entries;
    std::unordered_set<std::string> seen;
    std::string cursor = "0";
    do {
        auto reply = run([&](RedisConnection& connection, Clock::time_point deadline) {
            auto r = connection.command({"HSCAN", key, cursor, "COUNT", "1000"}, deadline);
            connection.expect(*r, REDIS_REPLY_ARRAY, "HSCAN");
            if (r->elements != 2) throw StoreUnavailableException("redis: HSCAN reply of " + std::to_string(r->elements) + " elements");
            connection.expect(*r->element[0], REDIS_REPLY_STRING, "HSCAN cursor");
            connection.expect(*r->element[1], REDIS_REPLY_ARRAY, "HSCAN entries");
            return r;
        });
        cursor.assign(reply->element[0]->str, reply->element[0]->len);
        const redisReply& page = *reply->element[1];
        for (std::size_t i = 0; i + 1 < page.elements; i += 2) {
            expectReply(*page.element[i], REDIS_REPLY_STRING, "HSCAN field", settings_.endpoint());
            expectReply(*page.element[i + 1], REDIS_REPLY_STRING, "HSCAN value", settings_.endpoint());
            std::string field(page.element[i]->str, page.element[i]->len);
            if (!seen.insert(field).second) continue;
            entries.emplace_back(std::move(field), std::string(page.element[i + 1]->str, page.element[i + 1]->len));
        }
    } while (cursor != "0");
    return entries;
}

}  // namespace rockets::redis
