#pragma once

#include "rockets/Backlog.h"
#include "rockets/EventStore.h"
#include "rockets/Message.h"
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

/// Counters the consumer keeps for /metrics.
struct ConsumerStats {
    std::atomic<std::uint64_t> applied{0};         ///< messages folded and committed (counter)
    std::atomic<std::uint64_t> casConflicts{0};    ///< compareAndSet lost to another writer (counter)
    std::atomic<std::uint64_t> overflows{0};       ///< speed changes ignored for overflow (counter)
    std::atomic<std::uint64_t> storeErrors{0};     ///< store exceptions while applying or sweeping (counter)
    std::atomic<std::uint64_t> sweeps{0};          ///< completed sweeps (counter)
    std::atomic<std::uint64_t> passes{0};          ///< channel batches processed (counter)
    std::atomic<std::uint64_t> retrying{0};        ///< channels waiting to retry after a store error (gauge)
    std::atomic<std::uint64_t> parked{0};          ///< channels set aside for corrupt data until restart (gauge)
};

/// Why admit() refuses a message.
enum class Admission {
    Accept,        ///< store it
    ChannelLimit,  ///< the channel already holds maxUnappliedPerChannel unapplied messages
    TotalLimit,    ///< the process already knows maxUnappliedTotal unapplied messages
};

/// Applies stored messages to the projection, per channel, strictly in number order
/// (DESIGN §4). Channels are partitioned over worker threads by hash, so one channel
/// is never applied by two threads of this process at once; the version CAS makes
/// it safe against other processes. Event-driven through stored(), with a periodic
/// sweep over the channels changed since the last one, and a start-up pass over
/// every channel, for work stranded by a crash or left by another instance.
/// Threading model: see the top of OrderingConsumer.cpp.
class ROCKETS_CORE_API OrderingConsumer {
public:
    struct Options {
        unsigned workers = 2;
        std::chrono::milliseconds sweepInterval{1000};
        std::size_t readBatch = 512;  ///< most events read per channel and store round trip
        std::size_t channelsPerPass = 64;  ///< most channels a worker reads and writes in one batch
        std::chrono::milliseconds retryDelay{50};      ///< first pause before retrying a failed channel
        std::chrono::milliseconds maxRetryDelay{2000};  ///< the pause doubles per failure up to this
        /// Consecutive corrupt-data failures after which a channel is parked until restart.
        unsigned corruptAttempts = 3;
        /// How long an idle worker keeps polling its queue before it sleeps and needs a
        /// signal: bounds the added latency, and saves a wake-up per message under load.
        std::chrono::microseconds linger{1000};
        /// admit() refuses a message beyond these (0: no limit).
        std::int64_t maxUnappliedPerChannel = 0;
        std::int64_t maxUnappliedTotal = 0;
    };

    /// Called after every successful compareAndSet with the new state; the one
    /// place an applied change can be observed (metrics, change streams). Runs on
    /// a worker thread: keep it short and do not throw.
    using ChangeListener = std::function<void(const Rocket& before, const Rocket& after)>;

    /// Creates the workers (their threads start in start()).
    OrderingConsumer(EventStore& events, RocketStore& rockets, Options options, ChangeListener listener = {});
    ~OrderingConsumer();

    OrderingConsumer(const OrderingConsumer&) = delete;
    OrderingConsumer& operator=(const OrderingConsumer&) = delete;

    /// Runs the start-up pass (every channel with stored but unapplied messages is
    /// queued), then starts the workers and the sweeper. Throws what the stores throw
    /// when the start-up pass cannot read them; nothing is started then.
    void start();

    /// Finishes queued work, then stops and joins every thread; channels waiting to
    /// retry are left to the next start. Idempotent; stored() after it is ignored.
    void stop();

    /// A new message of `channel` was stored: schedule the channel. Cheap, non-blocking;
    /// before start() the channel waits for it.
    void stored(const std::string& channel);

    /// stored(message.channel) for a message this process has just stored, keeping the
    /// message so the worker applies it without reading it back from the store (within
    /// bounds; what is not kept is read as usual). `message` must be exactly what the
    /// EventStore holds under its key, i.e. append() answered Stored.
    void stored(const Message& message);

    /// An append of `channel` was a duplicate: schedule the channel if it may still
    /// have work (its first copy may come from a process that died before applying it).
    void duplicate(const std::string& channel);

    /// Whether a new message `number` of `channel` may be stored now under the limits
    /// of Options. A message the channel needs next is always accepted, so a channel
    /// (and the process) can always make progress.
    Admission admit(const std::string& channel, std::int64_t number) const;

    /// Runs one sweep now on the calling thread (queues changed channels with work).
    void sweep();

    /// Blocks until no channel is queued, being processed or waiting to retry, or
    /// `timeout` passes; returns whether it became idle. For tests and orderly shutdown.
    bool waitIdle(std::chrono::milliseconds timeout);

    const ConsumerStats& stats() const;

    /// Stored and applied messages per channel as this process knows them.
    const Backlog& backlog() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rockets
