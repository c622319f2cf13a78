// Threading model of the ordering consumer
// ----------------------------------------
// - Callers (the HTTP threads) call stored(), duplicate() and admit(). They touch only
//   the Backlog (sharded locks) and one worker's queue (that worker's mutex).
// - Worker threads (Options::workers) each own the channels that hash to them: a FIFO
//   of channels, each queued at most once at a time, and a cache of the state they last
//   wrote per channel. A worker takes up to channelsPerPass channels off its queue and
//   applies them as one batch of store calls (getMany, readMany, compareAndSetMany),
//   repeating the batch for the channels that advanced until none does (DESIGN §4's
//   "read again from the new version"). No other thread applies those channels in this
//   process, so the cache needs no lock; other processes are caught by the version CAS.
// - The sweeper thread runs the periodic sweep (the channels the store reports as
//   appended to since the last sweep) and re-queues channels whose retry pause is over.
// - stored(message) also leaves the message in its worker's `recent` (that worker's
//   mutex): the worker applies it from there instead of reading it back from the
//   store. Only a contiguous run after the channel's version is taken from it; what
//   another process stored, or what did not fit, is read from the store as before.
// - Every channel that is queued, in a worker's batch, or waiting to retry holds one
//   count in `outstanding`; waitIdle() waits for zero. A channel's count moves from the
//   queue to the retry list and back without being released in between.
// - The life cycle is an atomic state: Created → Running → Stopping → Stopped. Workers
//   exist from the constructor, so stored() never races with start(); once a worker has
//   drained its queue on stop it refuses new channels, so nothing is queued to a thread
//   that is gone.
#include "rockets/OrderingConsumer.h"

#include "rockets/Fold.h"
#include "rockets/LogThrottle.h"
#include "rockets/StoreErrors.h"
#include "rockets/ThreadName.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rockets {

namespace {

enum class State { Created, Running, Stopping, Stopped };

/// One partition: a FIFO of channels, each queued at most once at a time.
struct Worker {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::string> queue;
    std::unordered_set<std::string> queued;
    bool sleeping = false;  ///< waiting without a timeout: enqueue must signal
    bool stopping = false;  ///< drain the queue, then exit
    bool closed = false;    ///< exited: refuses new channels
    std::thread thread;
    /// Messages this process stored of the worker's channels and not yet applied,
    /// by number (guarded by `mutex`; bounded by kRecentPerChannel / kRecentPerWorker).
    std::unordered_map<std::string, std::map<std::int64_t, Message>> recent;
    std::size_t recentCount = 0;
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

/// Bounds on Worker::recent: beyond them a message is read back from the store.
constexpr std::size_t kRecentPerChannel = 64;
constexpr std::size_t kRecentPerWorker = 16384;

/// Channels whose versions the sweep reads per getMany call.
constexpr std::size_t kSweepChunk = 1000;

/// The text of an exception, with Poco's cause ("Store unavailable: connect on
/// unix:/x failed: No such file or directory") rather than only its class name.
std::string describe(const std::exception& e) {
    if (const auto* poco = dynamic_cast<const Poco::Exception*>(&e)) return poco->displayText();
    return e.what();
}

/// One channel inside a worker's batch.
struct Job {
    std::string channel;
    Rocket rocket;  ///< the state as last read or written
    bool needsLoad = false;
    std::size_t batch = kFirstReadBatch;
};

}  // namespace

struct OrderingConsumer::Impl {
    EventStore& events;
    RocketStore& rockets;
    Options options;
    ChangeListener listener;
    ConsumerStats stats;
    Backlog backlog;
    Poco::Logger& log = Poco::Logger::get("rockets.consumer");
    LogThrottle throttle{log};

    std::atomic<State> state{State::Created};
    std::vector<std::unique_ptr<Worker>> workers;
    std::thread sweeper;

    // Guarded by controlMutex: failures, waiting, parked, cursor, stopRequested.
    std::mutex controlMutex;
    std::condition_variable controlWake;
    bool stopRequested = false;
    struct Failures {
        unsigned attempts = 0;
        unsigned corruptStreak = 0;
    };
    std::unordered_map<std::string, Failures> failures;  ///< consecutive failures per channel
    using Clock = std::chrono::steady_clock;
    std::unordered_map<std::string, Clock::time_point> waiting;  ///< retry due times; each holds a count
    std::unordered_set<std::string> parked;
    std::atomic<std::size_t> failingChannels{0};  ///< failures.size(), read without the lock
    std::atomic<std::size_t> parkedChannels{0};   ///< parked.size(), read without the lock
    std::uint64_t cursor = 0;                     ///< EventStore::changedSince cursor of the last sweep
    std::mutex sweepMutex;                        ///< one sweep at a time (sweeper and sweep())

    std::mutex idleMutex;
    std::condition_variable idleWake;
    std::atomic<std::size_t> outstanding{0};

    Impl(EventStore& e, RocketStore& r, Options o, ChangeListener l)
        : events(e), rockets(r), options(o), listener(std::move(l)) {
        if (options.workers == 0) options.workers = 1;
        if (options.readBatch == 0) options.readBatch = 1;
        if (options.channelsPerPass == 0) options.channelsPerPass = 1;
        for (unsigned i = 0; i < options.workers; ++i) workers.push_back(std::make_unique<Worker>());
    }

    Worker& workerFor(const std::string& channel) {
        return *workers[std::hash<std::string>{}(channel) % workers.size()];
    }

    bool isParked(const std::string& channel) {
        if (parkedChannels.load(std::memory_order_relaxed) == 0) return false;
        std::lock_guard lock(controlMutex);
        return parked.contains(channel);
    }

    /// Queues `channel`. With `transfer` the caller hands over a count it holds (a retry
    /// coming due) instead of adding one. Returns whether the channel is queued now.
    bool enqueue(const std::string& channel, bool transfer = false) {
        Worker& worker = workerFor(channel);
        bool signal = false;
        {
            std::lock_guard lock(worker.mutex);
            if (worker.closed || worker.queued.contains(channel)) {
                if (transfer) finishedOne();
                return !worker.closed;
            }
            worker.queued.insert(channel);
            worker.queue.push_back(channel);
            // Counted before the worker can pop it, so the count never goes below zero.
            if (!transfer) outstanding.fetch_add(1, std::memory_order_relaxed);
            signal = worker.sleeping;
        }
        // A lingering or busy worker finds the channel in its queue without a signal.
        if (signal) worker.wake.notify_one();
        return true;
    }

    /// Keeps `message` (just stored by this process) for the worker of its channel.
    void remember(const Message& message) {
        Worker& worker = workerFor(message.channel);
        std::lock_guard lock(worker.mutex);
        if (worker.closed || worker.recentCount >= kRecentPerWorker) return;
        auto& messages = worker.recent[message.channel];
        if (messages.size() < kRecentPerChannel && messages.emplace(message.number, message).second) {
            ++worker.recentCount;
        }
    }

    /// Drops the kept messages of `channel` up to `version` (all of them with INT64_MAX).
    static void forgetRecent(Worker& worker, const std::string& channel, std::int64_t version) {
        auto it = worker.recent.find(channel);
        if (it == worker.recent.end()) return;
        auto& messages = it->second;
        const auto end = messages.upper_bound(version);
        worker.recentCount -= static_cast<std::size_t>(std::distance(messages.begin(), end));
        messages.erase(messages.begin(), end);
        if (messages.empty()) worker.recent.erase(it);
    }

    /// The kept messages that follow `job`'s version without a gap (at most job.batch);
    /// empty when the next one is not kept.
    static std::vector<Message> recentPage(Worker& worker, const Job& job) {
        std::vector<Message> page;
        std::lock_guard lock(worker.mutex);
        forgetRecent(worker, job.channel, job.rocket.lastMessageNumber);
        auto it = worker.recent.find(job.channel);
        if (it == worker.recent.end()) return page;
        std::int64_t next = job.rocket.lastMessageNumber + 1;
        for (auto m = it->second.begin(); m != it->second.end() && m->first == next && page.size() < job.batch; ++m, ++next) {
            page.push_back(m->second);
        }
        return page;
    }

    void finishedOne(std::size_t count = 1) {
        if (count == 0) return;
        if (outstanding.fetch_sub(count) == count) {
            std::lock_guard lock(idleMutex);
            idleWake.notify_all();
        }
    }

    void runWorker(Worker& worker) {
        std::unique_lock lock(worker.mutex);
        const auto ready = [&] { return !worker.queue.empty() || worker.stopping; };
        while (true) {
            if (worker.queue.empty()) {
                if (worker.stopping) break;
                // Linger before sleeping: messages come in bursts, and collecting them
                // for a moment spares a signal and a wake-up per message.
                worker.wake.wait_for(lock, options.linger, ready);
                if (worker.queue.empty()) {
                    if (worker.stopping) break;
                    worker.sleeping = true;
                    worker.wake.wait(lock, ready);
                    worker.sleeping = false;
                    continue;
                }
            }
            std::vector<std::string> batch;
            const std::size_t take = std::min(worker.queue.size(), options.channelsPerPass);
            batch.reserve(take);
            for (std::size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(worker.queue.front()));
                worker.queue.pop_front();
                // Removed before processing: a notify that arrives meanwhile queues it again.
                worker.queued.erase(batch.back());
            }
            lock.unlock();
            processBatch(worker, std::move(batch));
            lock.lock();
        }
        worker.closed = true;
    }

    /// The projection of `channel` as stored (version 0 when absent).
    static Rocket orEmpty(std::optional<Rocket> stored, const std::string& channel) {
        Rocket rocket = stored ? std::move(*stored) : Rocket{};
        rocket.channel = channel;
        return rocket;
    }

    void loadMissing(std::vector<Job>& jobs) {
        std::vector<std::string> names;
        for (const Job& job : jobs) {
            if (job.needsLoad) names.push_back(job.channel);
        }
        if (names.empty()) return;
        std::vector<std::optional<Rocket>> loaded = rockets.getMany(names);
        std::size_t next = 0;
        for (Job& job : jobs) {
            if (!job.needsLoad) continue;
            job.rocket = orEmpty(std::move(loaded.at(next++)), job.channel);
            job.needsLoad = false;
            backlog.applied(job.channel, job.rocket.lastMessageNumber);
        }
    }

    /// Applies every contiguous stored message of each channel of `channels` (DESIGN §4),
    /// batching the store calls over the channels.
    void processBatch(Worker& worker, std::vector<std::string> channels) {
        ++stats.passes;
        std::vector<Job> active;
        active.reserve(channels.size());
        for (std::string& channel : channels) {
            Job job;
            auto known = worker.known.find(channel);
            if (known != worker.known.end()) {
                job.rocket = known->second;
            } else {
                job.needsLoad = true;
            }
            job.channel = std::move(channel);
            active.push_back(std::move(job));
        }
        try {
            while (!active.empty()) runRound(worker, active);
        } catch (const StoreCorruptException& e) {
            if (active.size() > 1) {
                // Find the channel with the bad data: each on its own, so the others proceed.
                for (Job& job : active) {
                    worker.known.erase(job.channel);
                    processBatch(worker, {job.channel});
                }
                return;
            }
            failAll(worker, active, true, e);
        } catch (const std::exception& e) {
            failAll(worker, active, false, e);
        }
    }

    /// One round: read the events after each job's version, fold, write the jobs that
    /// advanced in one compareAndSetMany. Leaves in `active` the jobs to run again (those
    /// that advanced, to read on from the new version, and those that lost a CAS) and
    /// finishes the others. When it throws, `active` is unchanged and nothing finished.
    void runRound(Worker& worker, std::vector<Job>& active) {
        loadMissing(active);
        // Each page from the messages kept by stored() when they follow the version,
        // else from one readMany for all the others.
        std::vector<std::vector<Message>> pages(active.size());
        std::vector<EventRange> ranges;
        std::vector<std::size_t> readers;  ///< index into `active` of each range
        std::vector<std::int64_t> marks;   ///< taken before the read: appends racing with it still count
        for (std::size_t i = 0; i < active.size(); ++i) {
            const Job& job = active[i];
            pages[i] = recentPage(worker, job);
            if (!pages[i].empty()) continue;
            ranges.push_back({job.channel, job.rocket.lastMessageNumber + 1, job.batch});
            readers.push_back(i);
            marks.push_back(backlog.appendMark(job.channel));
        }
        if (!ranges.empty()) {
            std::vector<std::vector<Message>> read = events.readMany(ranges);
            for (std::size_t k = 0; k < readers.size(); ++k) {
                const Job& job = active[readers[k]];
                std::vector<Message>& page = read.at(k);
                // A page shorter than asked holds every stored message after the version.
                if (page.size() < job.batch) {
                    backlog.counted(job.channel, job.rocket.lastMessageNumber + static_cast<std::int64_t>(page.size()),
                                    marks[k]);
                }
                pages[readers[k]] = std::move(page);
            }
        }

        std::vector<RocketWrite> writes;
        std::vector<std::size_t> writers;  ///< index into `active` of each write
        std::vector<std::pair<std::size_t, bool>> done;  ///< index into `active`, stuck
        for (std::size_t i = 0; i < active.size(); ++i) {
            Job& job = active[i];
            const std::vector<Message>& page = pages.at(i);
            const std::int64_t version = job.rocket.lastMessageNumber;
            Rocket next = job.rocket;
            for (const Message& message : page) {
                if (message.number != next.lastMessageNumber + 1) break;  // gap: wait for it
                if (apply(next, message) == FoldOutcome::Overflow) {
                    ++stats.overflows;
                    log.warning("channel " + job.channel + " message " + std::to_string(message.number) +
                                ": speed change overflows int64, ignored");
                }
            }
            if (next.lastMessageNumber == version) {
                done.emplace_back(i, !page.empty());
                continue;
            }
            writes.push_back(RocketWrite{std::move(next), version});
            writers.push_back(i);
        }
        const std::vector<bool> written = writes.empty() ? std::vector<bool>{} : rockets.compareAndSetMany(writes);
        for (const auto& [i, stuck] : done) finish(worker, active[i], stuck);
        std::vector<Job> again;
        for (std::size_t k = 0; k < writes.size(); ++k) {
            Job& job = active[writers[k]];
            if (!written.at(k)) {
                // Another writer (another instance) advanced it: start again from its state.
                ++stats.casConflicts;
                job.needsLoad = true;
                again.push_back(std::move(job));
                continue;
            }
            Rocket& after = writes[k].rocket;
            const auto applied = static_cast<std::size_t>(after.lastMessageNumber - writes[k].expectedVersion);
            {
                std::lock_guard lock(worker.mutex);
                forgetRecent(worker, job.channel, after.lastMessageNumber);
            }
            stats.applied += applied;
            backlog.applied(job.channel, after.lastMessageNumber);
            if (listener) listener(job.rocket, after);
            job.rocket = std::move(after);
            const bool pageFull = pages.at(writers[k]).size() >= job.batch;
            if (applied == job.batch) job.batch = std::min(job.batch * 2, options.readBatch);
            // Read again from the new version only when more may be stored: a full page,
            // or messages the backlog knows of beyond it. An append racing with this
            // round is either counted by now or its stored() queues the channel again
            // (it left the queue before this batch), so skipping the read loses nothing;
            // in the test program's profile it saves a read per message.
            if (pageFull || backlog.needsWork(job.channel)) {
                again.push_back(std::move(job));
            } else {
                finish(worker, job, false);
            }
        }
        active = std::move(again);
    }

    /// `job` cannot advance now: remember its state, mark it stuck when messages wait
    /// behind a gap, clear its failures, and release its count.
    void finish(Worker& worker, Job& job, bool stuck) {
        if (stuck) {
            backlog.stuck(job.channel);
            // What waits behind a gap may wait long: read it from the store when it can go.
            std::lock_guard lock(worker.mutex);
            forgetRecent(worker, job.channel, INT64_MAX);
        }
        succeeded(job.channel);
        auto known = worker.known.find(job.channel);
        if (known != worker.known.end()) {
            known->second = std::move(job.rocket);
        } else {
            if (worker.known.size() >= kKnownRocketsPerWorker) worker.known.clear();
            worker.known.emplace(job.channel, std::move(job.rocket));
        }
        finishedOne();
    }

    void succeeded(const std::string& channel) {
        if (failingChannels.load(std::memory_order_relaxed) == 0) return;
        std::lock_guard lock(controlMutex);
        if (failures.erase(channel) == 0) return;
        failingChannels.store(failures.size(), std::memory_order_relaxed);
        // Notified and processed while it waited for a retry: the retry is moot.
        if (waiting.erase(channel) > 0) {
            stats.retrying.store(waiting.size(), std::memory_order_relaxed);
            finishedOne();
        }
    }

    void failAll(Worker& worker, const std::vector<Job>& jobs, bool corrupt, const std::exception& e) {
        const std::string cause = describe(e);
        for (const Job& job : jobs) {
            worker.known.erase(job.channel);  // reload after a failure
            ++stats.storeErrors;
            failed(job.channel, corrupt, cause);
        }
    }

    /// Schedules a retry of `channel` with exponential back-off, or parks it after
    /// corruptAttempts consecutive corrupt-data failures. Takes over the channel's count.
    void failed(const std::string& channel, bool corrupt, const std::string& cause) {
        std::unique_lock lock(controlMutex);
        Failures& f = failures[channel];
        ++f.attempts;
        f.corruptStreak = corrupt ? f.corruptStreak + 1 : 0;
        if (corrupt && f.corruptStreak >= options.corruptAttempts) {
            failures.erase(channel);
            failingChannels.store(failures.size(), std::memory_order_relaxed);
            if (waiting.erase(channel) > 0) finishedOne();
            stats.retrying.store(waiting.size(), std::memory_order_relaxed);
            parked.insert(channel);
            parkedChannels.store(parked.size(), std::memory_order_relaxed);
            stats.parked.store(parked.size(), std::memory_order_relaxed);
            lock.unlock();
            log.error("channel " + channel + " parked after " + std::to_string(options.corruptAttempts) +
                      " attempts on unreadable data; it is not applied again until restart: " + cause);
            finishedOne();
            return;
        }
        failingChannels.store(failures.size(), std::memory_order_relaxed);
        const unsigned doublings = std::min(f.attempts - 1, 20u);
        const std::chrono::milliseconds delay =
            std::min<std::chrono::milliseconds>(options.retryDelay * (std::int64_t{1} << doublings), options.maxRetryDelay);
        const bool fresh = waiting.insert_or_assign(channel, Clock::now() + delay).second;
        stats.retrying.store(waiting.size(), std::memory_order_relaxed);
        lock.unlock();
        if (!fresh) finishedOne();  // the waiting entry already holds this channel's count
        controlWake.notify_all();
        throttle.log(Poco::Message::PRIO_WARNING, "apply:" + cause,
                     "applying channel " + channel + " failed, retrying with back-off: " + cause);
    }

    /// Queues the channels of `heads` that have work, refreshing their versions first
    /// when this process's knowledge says they might.
    void queueWork(const std::vector<ChannelHead>& heads) {
        std::vector<std::string> candidates;
        for (const ChannelHead& head : heads) {
            backlog.observed(head);
            if (backlog.needsWork(head.channel)) candidates.push_back(head.channel);
        }
        for (std::size_t begin = 0; begin < candidates.size(); begin += kSweepChunk) {
            const std::size_t end = std::min(candidates.size(), begin + kSweepChunk);
            const std::vector<std::string> chunk(candidates.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 candidates.begin() + static_cast<std::ptrdiff_t>(end));
            const std::vector<std::optional<Rocket>> stored = rockets.getMany(chunk);
            for (std::size_t i = 0; i < chunk.size(); ++i) {
                if (stored.at(i)) backlog.applied(chunk[i], stored[i]->lastMessageNumber);
                if (backlog.needsWork(chunk[i]) && !isParked(chunk[i])) enqueue(chunk[i]);
            }
        }
    }

    /// The start-up pass: every channel's head and version.
    void startupPass() {
        std::lock_guard sweepLock(sweepMutex);
        ChangedChannels all = events.changedSince(0);
        for (const auto& [channel, version] : rockets.versions()) backlog.applied(channel, version);
        for (const ChannelHead& head : all.channels) {
            backlog.observed(head);
            if (backlog.needsWork(head.channel)) enqueue(head.channel);
        }
        std::lock_guard lock(controlMutex);
        cursor = all.cursor;
    }

    void sweepOnce() {
        std::lock_guard sweepLock(sweepMutex);
        std::uint64_t from = 0;
        {
            std::lock_guard lock(controlMutex);
            from = cursor;
        }
        try {
            ChangedChannels changed = events.changedSince(from);
            queueWork(changed.channels);
            {
                std::lock_guard lock(controlMutex);
                cursor = changed.cursor;
            }
            ++stats.sweeps;
        } catch (const std::exception& e) {
            ++stats.storeErrors;
            const std::string cause = describe(e);
            throttle.log(Poco::Message::PRIO_ERROR, "sweep:" + cause, "sweep failed, will retry: " + cause);
        }
    }

    /// Runs the periodic sweep, and re-queues channels whose retry pause is over.
    void runSweeper() {
        auto nextSweep = Clock::now() + options.sweepInterval;
        std::unique_lock lock(controlMutex);
        while (!stopRequested) {
            auto wakeAt = nextSweep;
            for (const auto& [channel, due] : waiting) wakeAt = std::min(wakeAt, due);
            controlWake.wait_until(lock, wakeAt);
            if (stopRequested) return;
            const auto now = Clock::now();
            std::vector<std::string> due;
            for (auto it = waiting.begin(); it != waiting.end();) {
                if (it->second <= now) {
                    due.push_back(it->first);
                    it = waiting.erase(it);
                } else {
                    ++it;
                }
            }
            stats.retrying.store(waiting.size(), std::memory_order_relaxed);
            lock.unlock();
            for (const auto& channel : due) enqueue(channel, true);
            if (Clock::now() >= nextSweep) {
                sweepOnce();
                throttle.flush();
                nextSweep = Clock::now() + options.sweepInterval;
            }
            lock.lock();
        }
    }

    /// Stops the workers after they drained their queues (or, never started, drops
    /// what was queued), and releases the counts of channels waiting to retry.
    void shutDown(bool started) {
        for (auto& worker : workers) {
            std::lock_guard lock(worker->mutex);
            worker->stopping = true;
            if (!started) {
                worker->closed = true;
                finishedOne(worker->queue.size());
                worker->queue.clear();
                worker->queued.clear();
            }
        }
        for (auto& worker : workers) worker->wake.notify_all();
        for (auto& worker : workers) {
            if (worker->thread.joinable()) worker->thread.join();
        }
        std::lock_guard lock(controlMutex);
        finishedOne(waiting.size());
        waiting.clear();
        stats.retrying.store(0, std::memory_order_relaxed);
    }
};

OrderingConsumer::OrderingConsumer(EventStore& events, RocketStore& rockets, Options options,
                                   ChangeListener listener)
    : impl_(std::make_unique<Impl>(events, rockets, options, std::move(listener))) {}

OrderingConsumer::~OrderingConsumer() { stop(); }

void OrderingConsumer::start() {
    if (impl_->state.load() != State::Created) return;
    impl_->startupPass();  // whatever was stored but not applied before; throws when the stores fail
    State expected = State::Created;
    if (!impl_->state.compare_exchange_strong(expected, State::Running)) return;
    for (std::size_t i = 0; i < impl_->workers.size(); ++i) {
        Worker* w = impl_->workers[i].get();
        w->thread = startNamedThread("consumer-" + std::to_string(i), [this, w] { impl_->runWorker(*w); });
    }
    impl_->sweeper = startNamedThread("consumer-sweep", [this] { impl_->runSweeper(); });
}

void OrderingConsumer::stop() {
    State current = impl_->state.load();
    while (current == State::Created || current == State::Running) {
        if (impl_->state.compare_exchange_weak(current, State::Stopping)) break;
    }
    if (current != State::Created && current != State::Running) return;  // stopping or stopped already
    {
        std::lock_guard lock(impl_->controlMutex);
        impl_->stopRequested = true;
    }
    impl_->controlWake.notify_all();
    if (impl_->sweeper.joinable()) impl_->sweeper.join();
    impl_->shutDown(current == State::Running);
    impl_->state.store(State::Stopped);
}

void OrderingConsumer::stored(const std::string& channel) {
    const State state = impl_->state.load(std::memory_order_relaxed);
    if (state == State::Stopping || state == State::Stopped) return;
    impl_->backlog.stored(channel);
    if (!impl_->isParked(channel)) impl_->enqueue(channel);
}

void OrderingConsumer::stored(const Message& message) {
    const State state = impl_->state.load(std::memory_order_relaxed);
    if (state == State::Stopping || state == State::Stopped) return;
    impl_->remember(message);
    stored(message.channel);
}

void OrderingConsumer::duplicate(const std::string& channel) {
    const State state = impl_->state.load(std::memory_order_relaxed);
    if (state == State::Stopping || state == State::Stopped) return;
    if (impl_->backlog.needsWork(channel) && !impl_->isParked(channel)) impl_->enqueue(channel);
}

Admission OrderingConsumer::admit(const std::string& channel, std::int64_t number) const {
    const Options& o = impl_->options;
    if (o.maxUnappliedPerChannel <= 0 && o.maxUnappliedTotal <= 0) return Admission::Accept;
    const Backlog::Entry entry = impl_->backlog.entry(channel);
    if (number <= entry.applied + 1) return Admission::Accept;  // applies at once, or is not new
    if (o.maxUnappliedPerChannel > 0 && entry.unapplied() >= o.maxUnappliedPerChannel) return Admission::ChannelLimit;
    if (o.maxUnappliedTotal > 0 && impl_->backlog.unapplied() >= o.maxUnappliedTotal) return Admission::TotalLimit;
    return Admission::Accept;
}

void OrderingConsumer::sweep() { impl_->sweepOnce(); }

bool OrderingConsumer::waitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->idleMutex);
    return impl_->idleWake.wait_for(lock, timeout, [&] { return impl_->outstanding.load() == 0; });
}

const ConsumerStats& OrderingConsumer::stats() const { return impl_->stats; }

const Backlog& OrderingConsumer::backlog() const { return impl_->backlog; }

}  // namespace rockets
