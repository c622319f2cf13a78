#pragma once

#include "RedisConnectionPool.h"
#include "RedisHealth.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/EventStore.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

namespace rockets::redis {

/// Group commit for EventStore::append: appends that wait at the same time go to
/// Redis as one pipeline of EVALSHA calls, one round trip for all of them.
/// There is no writer thread: the first caller that finds no batch in flight sends
/// everything queued (its own append included) and hands each caller its reply;
/// callers arriving meanwhile queue up and form the next batch. A lone caller thus
/// pays no thread hand-off, and under load one round trip carries many appends.
/// Each append still returns only after Redis executed its script (as durable as
/// Redis' appendfsync makes it), and within its own timeout.
class AppendPipeline {
public:
    AppendPipeline(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health);
    AppendPipeline(const AppendPipeline&) = delete;
    AppendPipeline& operator=(const AppendPipeline&) = delete;

    /// EventStore::append. Throws StoreUnavailableException when the batch holding
    /// the message failed or the timeout passed.
    AppendResult append(const Message& message);

    /// Most appends in one pipeline.
    static constexpr std::size_t kMaxBatch = 256;

private:
    struct Request {
        Request(std::string l, std::string n, std::string i, const Message& m, Clock::time_point d)
            : log(std::move(l)), number(std::move(n)), identity(std::move(i)), message(m), deadline(d) {}
        std::string log;
        std::string number;
        std::string identity;
        const Message& message;
        Clock::time_point deadline;
        AppendResult result = AppendResult::Stored;
        std::exception_ptr error;
        bool done = false;
    };

    /// Sends `batch` and fills in each request's result or error; never throws.
    void send(const std::vector<Request*>& batch);

    RedisConnectionPool& pool_;
    const RedisKeys& keys_;
    RedisHealth& health_;
    const RedisScript script_;
    const std::string changes_;
    const std::string sequence_;

    std::mutex mutex_;
    std::condition_variable finished_;  ///< a batch completed: done, or time to lead
    std::vector<Request*> queue_;
    bool sending_ = false;
};

}  // namespace rockets::redis
