#pragma once

#include "rockets/EventStore.h"
#include "rockets/Export.h"
#include "rockets/Rocket.h"
#include "rockets/RocketStore.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace rockets {

/// Counters the consumer keeps for /metrics; all monotonic.
struct ConsumerStats {
    std::atomic<std::uint64_t> applied{0};         ///< messages folded and committed
    std::atomic<std::uint64_t> casConflicts{0};    ///< compareAndSet lost to another writer
    std::atomic<std::uint64_t> overflows{0};       ///< speed changes ignored for overflow
    std::atomic<std::uint64_t> storeErrors{0};     ///< store exceptions while applying
    std::atomic<std::uint64_t> sweeps{0};          ///< completed sweeps
};

/// Applies stored messages to the projection, per channel, strictly in number order
/// (DESIGN §4). Channels are partitioned over worker threads by hash, so one channel
/// is never applied by two threads of this process at once; the version CAS makes
/// it safe against other processes. Event-driven through notify(), with a periodic
/// sweep and a start-up pass for work stranded by a crash or another instance.
class ROCKETS_CORE_API OrderingConsumer {
public:
    struct Options {
        unsigned workers = 2;
        std::chrono::milliseconds sweepInterval{1000};
        std::size_t readBatch = 512;  ///< events read per store round trip
        std::chrono::milliseconds retryDelay{50};  ///< pause before retrying a channel after a store error
        /// How long an idle worker keeps polling its queue before it sleeps and needs a
        /// signal: bounds the added latency, and saves a wake-up per message under load.
        std::chrono::microseconds linger{1000};
    };

    /// Called after every successful compareAndSet with the new state; the one
    /// place an applied change can be observed (metrics, change streams). Runs on
    /// a worker thread: keep it short and do not throw.
    using ChangeListener = std::function<void(const Rocket& before, const Rocket& after)>;

    OrderingConsumer(EventStore& events, RocketStore& rockets, Options options,
                     ChangeListener listener = {});
    ~OrderingConsumer();

    OrderingConsumer(const OrderingConsumer&) = delete;
    OrderingConsumer& operator=(const OrderingConsumer&) = delete;

    /// Starts the workers and the sweeper, and queues every channel that has stored
    /// but unapplied messages (the start-up pass).
    void start();

    /// Finishes queued work, then stops and joins every thread. Idempotent.
    void stop();

    /// A message of `channel` was stored: schedule the channel. Cheap, non-blocking.
    void notify(const std::string& channel);

    /// Runs one sweep now, on the calling thread's behalf (queues stranded channels).
    void sweep();

    /// Blocks until no channel is queued or being processed, or `timeout` passes;
    /// returns whether it became idle. For tests and orderly shutdown.
    bool waitIdle(std::chrono::milliseconds timeout);

    const ConsumerStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rockets
