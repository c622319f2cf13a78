#include "rockets/OrderingConsumer.h"

#include "rockets/Fold.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rockets {

namespace {

/// One partition: a FIFO of channels, each queued at most once at a time.
struct Worker {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::string> queue;
    std::unordered_set<std::string> queued;
    bool sleeping = false;  ///< waiting without a timeout: enqueue must signal
    bool stopping = false;
    std::thread thread;
    /// The last state this worker wrote per channel (worker thread only). Saves the
    /// projection read before each pass; if another process advanced the rocket
    /// meanwhile, the compare-and-set fails and the state is reloaded from the store.
    std::unordered_map<std::string, Rocket> known;
};

/// Bound on Worker::known, so 100k channels do not keep a second copy of the projection.
constexpr std::size_t kKnownRocketsPerWorker = 4096;

/// First read of a channel's events; doubled while reads come back full and
/// contiguous. Small first reads keep a gap from re-reading a long buffered tail.
constexpr std::size_t kFirstReadBatch = 16;

}  // namespace

struct OrderingConsumer::Impl {
    EventStore& events;
    RocketStore& rockets;
    Options options;
    ChangeListener listener;
    ConsumerStats stats;
    Poco::Logger& log = Poco::Logger::get("rockets.consumer");

    std::vector<std::unique_ptr<Worker>> workers;
    std::thread sweeper;
    std::mutex controlMutex;
    std::condition_variable controlWake;
    bool stopping = false;
    bool started = false;
    // Channels whose processing hit a store error; re-queued after retryDelay.
    std::unordered_set<std::string> retries;

    // Channels queued or in progress across all workers, for waitIdle(). Atomic so
    // the per-message path takes no extra lock; the mutex only guards the wake-up.
    std::mutex idleMutex;
    std::condition_variable idleWake;
    std::atomic<std::size_t> outstanding{0};

    Impl(EventStore& e, RocketStore& r, Options o, ChangeListener l)
        : events(e), rockets(r), options(o), listener(std::move(l)) {
        if (options.workers == 0) options.workers = 1;
        if (options.readBatch == 0) options.readBatch = 1;
    }

    Worker& workerFor(const std::string& channel) {
        return *workers[std::hash<std::string>{}(channel) % workers.size()];
    }

    void enqueue(const std::string& channel) {
        Worker& worker = workerFor(channel);
        bool signal = false;
        {
            std::lock_guard lock(worker.mutex);
            if (!worker.queued.insert(channel).second) return;
            worker.queue.push_back(channel);
            // Counted before the worker can pop it, so the count never goes below zero.
            outstanding.fetch_add(1, std::memory_order_relaxed);
            signal = worker.sleeping;
        }
        // A lingering or busy worker finds the channel in its queue without a signal.
        if (signal) worker.wake.notify_one();
    }

    void finishedOne() {
        if (outstanding.fetch_sub(1) == 1) {
            std::lock_guard lock(idleMutex);
            idleWake.notify_all();
        }
    }

    void runWorker(Worker& worker) {
        std::unique_lock lock(worker.mutex);
        const auto ready = [&] { return !worker.queue.empty() || worker.stopping; };
        while (true) {
            if (worker.queue.empty()) {
                if (worker.stopping) return;
                // Linger before sleeping: messages come in bursts, and collecting them
                // for a moment spares a signal and a wake-up per message.
                worker.wake.wait_for(lock, options.linger, ready);
                if (worker.queue.empty()) {
                    if (worker.stopping) return;
                    worker.sleeping = true;
                    worker.wake.wait(lock, ready);
                    worker.sleeping = false;
                    continue;
                }
            }
            std::string channel = std::move(worker.queue.front());
            worker.queue.pop_front();
            // Removed before processing: a notify that arrives meanwhile queues it again.
            worker.queued.erase(channel);
            lock.unlock();
            process(worker, channel);
            finishedOne();
            lock.lock();
        }
    }

    /// Applies every contiguous stored message of `channel` (DESIGN §4).
    /// The projection of `channel` as stored (version 0 when absent).
    Rocket load(const std::string& channel) {
        std::optional<Rocket> stored = rockets.get(channel);
        Rocket rocket = stored ? std::move(*stored) : Rocket{};
        rocket.channel = channel;
        return rocket;
    }

    void process(Worker& worker, const std::string& channel) {
        auto known = worker.known.find(channel);
        try {
            Rocket rocket = known != worker.known.end() ? known->second : load(channel);
            std::size_t batch = std::min(kFirstReadBatch, options.readBatch);
            Rocket before;
            while (true) {
                const std::int64_t version = rocket.lastMessageNumber;
                if (listener) before = rocket;
                const std::vector<Message> page = events.read(channel, version + 1, batch);
                for (const Message& message : page) {
                    if (message.number != rocket.lastMessageNumber + 1) break;  // gap: wait for it
                    if (apply(rocket, message) == FoldOutcome::Overflow) {
                        ++stats.overflows;
                        log.warning("channel %s message %Ld: speed change overflows int64, ignored",
                                    channel, static_cast<long long>(message.number));
                    }
                }
                if (rocket.lastMessageNumber == version) break;  // nothing contiguous left
                if (!rockets.compareAndSet(rocket, version)) {
                    // Another writer (another instance) advanced it: start again from its state.
                    ++stats.casConflicts;
                    rocket = load(channel);
                    continue;
                }
                const auto applied = static_cast<std::size_t>(rocket.lastMessageNumber - version);
                stats.applied += applied;
                if (listener) listener(before, rocket);
                if (applied == batch) batch = std::min(batch * 2, options.readBatch);
                // Loop: read again from the new version until nothing contiguous is left.
            }
            if (known != worker.known.end()) {
                known->second = std::move(rocket);
            } else {
                if (worker.known.size() >= kKnownRocketsPerWorker) worker.known.clear();
                worker.known.emplace(channel, std::move(rocket));
            }
        } catch (const std::exception& e) {
            if (known != worker.known.end()) worker.known.erase(known);  // reload after a failure
            ++stats.storeErrors;
            log.warning("channel %s: applying failed, retrying shortly: %s", channel, std::string(e.what()));
            std::lock_guard lock(controlMutex);
            retries.insert(channel);
            controlWake.notify_all();
        }
    }

    /// Runs the periodic sweep, and re-queues channels that failed after retryDelay.
    void runSweeper() {
        using Clock = std::chrono::steady_clock;
        auto nextSweep = Clock::now() + options.sweepInterval;
        std::unique_lock lock(controlMutex);
        while (!stopping) {
            controlWake.wait_until(lock, nextSweep, [&] { return stopping || !retries.empty(); });
            if (stopping) return;
            std::unordered_set<std::string> due;
            if (!retries.empty()) {
                // A short pause, so a failing store is not hammered in a loop.
                controlWake.wait_for(lock, options.retryDelay, [&] { return stopping; });
                if (stopping) return;
                due.swap(retries);
            }
            lock.unlock();
            for (const auto& channel : due) enqueue(channel);
            if (Clock::now() >= nextSweep) {
                sweepOnce();
                nextSweep = Clock::now() + options.sweepInterval;
            }
            lock.lock();
        }
    }

    void sweepOnce() {
        try {
            std::unordered_map<std::string, std::int64_t> applied;
            for (auto& [channel, version] : rockets.versions()) applied.emplace(std::move(channel), version);
            for (const ChannelHead& head : events.heads()) {
                auto it = applied.find(head.channel);
                const std::int64_t version = it == applied.end() ? 0 : it->second;
                if (head.highestNumber > version) enqueue(head.channel);
            }
            ++stats.sweeps;
        } catch (const std::exception& e) {
            ++stats.storeErrors;
            log.error("sweep failed, will retry: %s", std::string(e.what()));
        }
    }
};

OrderingConsumer::OrderingConsumer(EventStore& events, RocketStore& rockets, Options options,
                                   ChangeListener listener)
    : impl_(std::make_unique<Impl>(events, rockets, options, std::move(listener))) {}

OrderingConsumer::~OrderingConsumer() { stop(); }

void OrderingConsumer::start() {
    {
        std::lock_guard lock(impl_->controlMutex);
        if (impl_->started) return;
        impl_->started = true;
    }
    for (unsigned i = 0; i < impl_->options.workers; ++i) impl_->workers.push_back(std::make_unique<Worker>());
    for (auto& worker : impl_->workers) {
        Worker* w = worker.get();
        w->thread = std::thread([this, w] { impl_->runWorker(*w); });
    }
    impl_->sweepOnce();  // start-up pass: whatever was stored but not applied before
    impl_->sweeper = std::thread([this] { impl_->runSweeper(); });
}

void OrderingConsumer::stop() {
    {
        std::lock_guard lock(impl_->controlMutex);
        if (!impl_->started || impl_->stopping) return;
        impl_->stopping = true;
    }
    impl_->controlWake.notify_all();
    if (impl_->sweeper.joinable()) impl_->sweeper.join();
    for (auto& worker : impl_->workers) {
        {
            std::lock_guard lock(worker->mutex);
            worker->stopping = true;  // the worker drains its queue, then exits
        }
        worker->wake.notify_all();
    }
    for (auto& worker : impl_->workers) {
        if (worker->thread.joinable()) worker->thread.join();
    }
}

void OrderingConsumer::notify(const std::string& channel) {
    if (impl_->workers.empty()) return;  // not started: the start-up pass will find it
    impl_->enqueue(channel);
}

void OrderingConsumer::sweep() { impl_->sweepOnce(); }

bool OrderingConsumer::waitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->idleMutex);
    return impl_->idleWake.wait_for(lock, timeout, [&] { return impl_->outstanding.load() == 0; });
}

const ConsumerStats& OrderingConsumer::stats() const { return impl_->stats; }

}  // namespace rockets
