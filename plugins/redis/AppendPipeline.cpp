#include "AppendPipeline.h"

#include "LogMember.h"
#include "RedisScripts.h"

#include "rockets/StoreErrors.h"

#include <algorithm>
#include <linux/futex.h>
#include <random>
#include <sys/syscall.h>
#include <unistd.h>

namespace rockets::redis {

namespace {

/// Where a new change sequence starts: random below 2^40, so a cursor taken from an
/// emptied or replaced store is almost surely outside the new one's range (leaving
/// 2^53 - 2^40 appends before scores stop being exact doubles). Drawn per batch: the
/// store may be emptied while this process runs.
std::string randomSequenceBase() {
    thread_local std::mt19937_64 random(std::random_device{}());
    return std::to_string(std::uniform_int_distribution<std::uint64_t>(1, (std::uint64_t{1} << 40) - 1)(random));
}

/// Clock::now() as a number, for atomics.
std::int64_t steadyNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

}  // namespace

void AppendPipeline::WakeUp::wait() {
    while (posted_.load(std::memory_order_acquire) == 0) {
        // Returns at once when post() came first (the value is no longer 0).
        syscall(SYS_futex, &posted_, FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
    }
}

bool AppendPipeline::WakeUp::waitUntil(Clock::time_point until) {
    while (posted_.load(std::memory_order_acquire) == 0) {
        const auto left = until - Clock::now();
        if (left <= Clock::duration::zero()) return false;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
        timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
        syscall(SYS_futex, &posted_, FUTEX_WAIT_PRIVATE, 0, &timeout, nullptr, 0);
    }
    return true;
}

void AppendPipeline::WakeUp::post() {
    posted_.store(1, std::memory_order_release);
    syscall(SYS_futex, &posted_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

AppendPipeline::AppendPipeline(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health,
                               ReadAhead& readAhead)
    : pool_(pool),
      keys_(keys),
      health_(health),
      readAhead_(readAhead),
      script_("append script", scripts::kAppendScript),
      heads_(keys.heads()),
      changes_(keys.changes()),
      sequence_(keys.sequence()) {}

AppendResult AppendPipeline::append(const Message& message) {
    // Encoded on the caller's thread, so the leader only sends.
    std::string number = std::to_string(message.number);
    auto request = std::make_shared<Request>(keys_.log(message.channel), number,
                                             LogMember::identity(message, number), message,
                                             Clock::now() + pool_.settings().timeout);
    std::unique_lock lock(mutex_);
    if (leaders_ < kMaxLeaders) {
        ++leaders_;
    } else {
        queue_.push_back(request);
        lock.unlock();
        request->wake.wait();  // done, or handed the lead (and taken off the queue)
        if (request->done) return result(*request);
        lock.lock();
    }
    lead(request, lock);
    return result(*request);
}

bool AppendPipeline::appendsFlowing() const {
    constexpr std::int64_t wait = std::chrono::nanoseconds(kRideWait).count();
    return steadyNanos() - lastSend_.load(std::memory_order_relaxed) < wait &&
           sendGap_.load(std::memory_order_relaxed) < wait && lastBatch_.load(std::memory_order_relaxed) <= kRideAppends;
}

std::optional<std::vector<ReplyPtr>> AppendPipeline::ride(const std::vector<Command>& commands,
                                                          Clock::time_point deadline) {
    if (!appendsFlowing()) return std::nullopt;
    auto rider = std::make_shared<Rider>(commands, deadline);
    {
        std::lock_guard lock(mutex_);
        riders_.push_back(rider);
    }
    if (!rider->wake.waitUntil(std::min(deadline, Clock::now() + kRideWait))) {
        std::lock_guard lock(mutex_);
        if (!rider->taken) {
            riders_.erase(std::find(riders_.begin(), riders_.end(), rider));
            return std::nullopt;
        }
    }
    rider->wake.wait();  // taken: its batch is under way
    if (rider->error) std::rethrow_exception(rider->error);
    return std::move(rider->replies);
}

void AppendPipeline::lead(const RequestPtr& own, std::unique_lock<std::mutex>& lock) {
    std::vector<RequestPtr> batch{own};
    const std::size_t n = std::min(queue_.size(), kMaxBatch - 1);
    batch.insert(batch.end(), queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    std::vector<RiderPtr> riders;
    riders.swap(riders_);
    for (const RiderPtr& r : riders) r->taken = true;
    lock.unlock();
    send(batch, riders);
    for (const RequestPtr& r : batch) {
        r->done = true;
        if (r != own) r->wake.post();
    }
    for (const RiderPtr& r : riders) r->wake.post();
    lock.lock();
    if (queue_.empty()) {
        --leaders_;
        return;
    }
    // Callers queued meanwhile: the first of them sends the next batch. Taken off the
    // queue here, under the lock, so no other leader sends it as well.
    RequestPtr next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    next->wake.post();
}

void AppendPipeline::keepReadAhead(const std::vector<RequestPtr>& batch, const std::vector<ReplyPtr>& replies) {
    // Every stored append outdates its channel's page, before its caller is answered.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!batch[i]->error && batch[i]->result == AppendResult::Stored) readAhead_.appended(batch[i]->message.channel);
    }
    // Stored, and nothing above it (3): the log from this number is just this message.
    // In batch order, which is Redis' order: a later append of the channel replaces it.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (batch[i]->error || replies[i]->integer != 3) continue;
        const Message& message = batch[i]->message;
        readAhead_.put(message.channel, {message.number, {message}, true}, readAhead_.mark(message.channel));
    }
}

AppendResult AppendPipeline::result(const Request& request) {
    if (request.error) std::rethrow_exception(request.error);
    return request.result;
}

void AppendPipeline::send(const std::vector<RequestPtr>& batch, const std::vector<RiderPtr>& riders) {
    const std::int64_t now = steadyNanos();
    sendGap_.store(now - lastSend_.exchange(now, std::memory_order_relaxed), std::memory_order_relaxed);
    lastBatch_.store(batch.size(), std::memory_order_relaxed);
    Clock::time_point deadline = Clock::time_point::max();
    for (const RequestPtr& r : batch) deadline = std::min(deadline, r->deadline);
    for (const RiderPtr& r : riders) deadline = std::min(deadline, r->deadline);
    const std::string sequenceBase = randomSequenceBase();
    std::vector<ScriptCall> calls;
    calls.reserve(batch.size());
    for (const RequestPtr& r : batch) {
        calls.push_back({{r->log, heads_, changes_, sequence_},
                         {r->number, r->identity, r->message.time, r->message.channel, sequenceBase}});
    }
    std::vector<Command> tail;
    for (const RiderPtr& r : riders) tail.insert(tail.end(), r->commands.begin(), r->commands.end());
    std::string failure;
    try {
        // Waiting behind the previous batch used up part of each caller's timeout:
        // the batch gets what is left of its oldest request's.
        if (Clock::now() >= deadline) {
            throw StoreUnavailableException("redis: append to " + pool_.settings().endpoint() +
                                            " timed out waiting behind earlier appends");
        }
        std::vector<ReplyPtr> replies = pool_.run(deadline, [&](RedisConnection& connection, Clock::time_point d) {
            return script_.runMany(connection, calls, tail, d);
        });
        std::size_t next = batch.size();
        for (const RiderPtr& r : riders) {
            r->replies.assign(std::make_move_iterator(replies.begin() + static_cast<std::ptrdiff_t>(next)),
                              std::make_move_iterator(replies.begin() +
                                                      static_cast<std::ptrdiff_t>(next + r->commands.size())));
            next += r->commands.size();
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            try {
                const redisReply& reply = *replies[i];
                expectReply(reply, REDIS_REPLY_INTEGER, script_.name(), pool_.settings().endpoint());
                switch (reply.integer) {
                case 0:
                case 3: batch[i]->result = AppendResult::Stored; break;
                case 1: batch[i]->result = AppendResult::Duplicate; break;
                case 2: batch[i]->result = AppendResult::Conflict; break;
                default:
                    throw StoreUnavailableException("redis: append script returned " + std::to_string(reply.integer));
                }
            } catch (const Poco::Exception& e) {
                if (failure.empty()) failure = e.message();
                batch[i]->error = std::current_exception();
            }
        }
        if (readAhead_.wanted()) keepReadAhead(batch, replies);
    } catch (const Poco::Exception& e) {
        failure = e.message();
        for (const RequestPtr& r : batch) r->error = std::current_exception();
        for (const RiderPtr& r : riders) r->error = std::current_exception();
    } catch (...) {
        failure = "unexpected error";
        for (const RequestPtr& r : batch) r->error = std::current_exception();
        for (const RiderPtr& r : riders) r->error = std::current_exception();
    }
    if (failure.empty()) health_.writeSucceeded();
    else health_.writeFailed(failure);
}

}  // namespace rockets::redis
