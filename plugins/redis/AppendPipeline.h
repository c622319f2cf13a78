#pragma once

#include "ReadAhead.h"
#include "RedisConnectionPool.h"
#include "RedisHealth.h"
#include "RedisKeys.h"
#include "RedisScript.h"

#include "rockets/EventStore.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rockets::redis {

/// Group commit for EventStore::append: appends that wait at the same time go to
/// Redis as one pipeline of EVALSHA calls, one round trip for all of them.
/// There is no writer thread: the first caller that finds no batch in flight leads:
/// it sends everything queued (its own append included) and wakes each caller of the
/// batch, and only them, once its reply is in; callers arriving meanwhile queue up
/// and the leader hands the lead to the first of them. A lone caller thus pays no
/// thread hand-off, a follower exactly one wake-up (context switches, not round trips,
/// dominate on a busy 2-core machine: docs/decisions/2026-11-27-redis-pipelining.md),
/// and under load one round trip carries many appends.
/// Each append still returns only after Redis executed its script (as durable as
/// Redis' appendfsync makes it), and within its own timeout. An append that stored
/// its channel's highest message leaves the log page from it for the consumer
/// (ReadAhead).
///
/// The consumer's projection writes may ride along (ride()): while appends come one
/// or a few at a time, close together (the test program's profile), a projection
/// write waits up to kRideWait for the next batch and goes to Redis in its pipeline,
/// so that a message costs Redis one round trip instead of two. Appends never wait
/// for a rider; a rider that no batch took sends itself.
class AppendPipeline {
public:
    AppendPipeline(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health, ReadAhead& readAhead);
    AppendPipeline(const AppendPipeline&) = delete;
    AppendPipeline& operator=(const AppendPipeline&) = delete;

    /// EventStore::append. Throws StoreUnavailableException when the batch holding
    /// the message failed or the timeout passed.
    AppendResult append(const Message& message);

    /// RedisRocketStore::compareAndSetMany: sends `commands` in the pipeline of the next
    /// batch of appends, behind its appends, if appends are flowing (the last two
    /// batches were sent within kRideWait of each other and of now, the last holding at
    /// most kRideAppends) and a batch is sent within kRideWait. Returns the commands'
    /// replies in order, error and NOSCRIPT replies included; nullopt when nothing
    /// carried them (the caller sends them itself). Throws what the batch failed with.
    std::optional<std::vector<ReplyPtr>> ride(const std::vector<Command>& commands, Clock::time_point deadline);

    /// Most appends in one pipeline.
    static constexpr std::size_t kMaxBatch = 256;
    /// How long a rider waits for a batch; the time a projection may trail its
    /// acknowledged message by in addition.
    static constexpr std::chrono::microseconds kRideWait{1000};
    /// Riders wait only while batches hold at most this many appends: under heavier
    /// load the consumer's own pipelines carry many rockets each.
    static constexpr std::size_t kRideAppends = 4;
    /// Most batches in flight at once.
    static constexpr std::size_t kMaxLeaders = 4;

private:
    /// A one-shot wake-up on a futex. Not std::binary_semaphore: libstdc++ 12 spins
    /// on sched_yield before it sleeps, which on this 2-core VM turned every waiting
    /// caller into a dozen context switches.
    class WakeUp {
    public:
        void wait();
        /// Waits until posted or `until`; returns whether it was posted.
        bool waitUntil(Clock::time_point until);
        void post();

    private:
        std::atomic<int> posted_{0};
    };

    /// One caller's append. Shared with the leader, which may still hold it after
    /// waking its caller.
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
        bool done = false;  ///< set before `wake` is posted
        WakeUp wake;        ///< posted when done, or to hand over the lead
    };
    using RequestPtr = std::shared_ptr<Request>;

    /// A projection write waiting for a batch to carry it (ride()).
    struct Rider {
        Rider(const std::vector<Command>& c, Clock::time_point d) : commands(c), deadline(d) {}
        const std::vector<Command>& commands;
        Clock::time_point deadline;
        std::vector<ReplyPtr> replies;
        std::exception_ptr error;
        bool taken = false;  ///< by a leader; guarded by mutex_
        WakeUp wake;         ///< posted when replies or error are set
    };
    using RiderPtr = std::shared_ptr<Rider>;

    /// Sends `own` with what is queued (up to kMaxBatch), then hands the lead to the
    /// first caller still queued, if any. Called with `lock` held; `own` is not queued.
    void lead(const RequestPtr& own, std::unique_lock<std::mutex>& lock);
    /// The request's result, or its error rethrown.
    static AppendResult result(const Request& request);
    /// Tells the read-ahead which channels the batch appended to, and keeps the page
    /// of each append that stored its channel's highest message.
    void keepReadAhead(const std::vector<RequestPtr>& batch, const std::vector<ReplyPtr>& replies);
    /// Sends `batch` with the commands of `riders` behind it and fills in each request's
    /// result or error and each rider's replies or error; never throws.
    void send(const std::vector<RequestPtr>& batch, const std::vector<RiderPtr>& riders);
    /// Whether a rider should wait for the next batch (see ride()).
    bool appendsFlowing() const;

    RedisConnectionPool& pool_;
    const RedisKeys& keys_;
    RedisHealth& health_;
    ReadAhead& readAhead_;
    const RedisScript script_;
    const std::string heads_;
    const std::string changes_;
    const std::string sequence_;

    std::mutex mutex_;
    std::deque<RequestPtr> queue_;
    std::vector<RiderPtr> riders_;  ///< waiting for the next batch
    std::size_t leaders_ = 0;  ///< callers sending a batch now; at kMaxLeaders new callers queue

    /// steady_clock nanoseconds of the last batch sent, the gap since the one before,
    /// and the last batch's number of appends (written by leaders, read by riders).
    std::atomic<std::int64_t> lastSend_{0};
    std::atomic<std::int64_t> sendGap_{INT64_MAX};
    std::atomic<std::size_t> lastBatch_{0};
};

}  // namespace rockets::redis
