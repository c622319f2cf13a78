#include "Backends.h"
#include "Messages.h"
#include "WaitUntil.h"

#include "rockets/Fold.h"
#include "rockets/OrderingConsumer.h"
#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace rockets::test {

namespace {

/// A random but valid-looking stream for `channels` rockets of up to `perChannel`
/// messages each, including pre-launch messages, explosions and messages after them.
std::vector<Message> randomStream(std::mt19937& rng, int channels, int perChannel) {
    std::vector<Message> stream;
    for (int c = 0; c < channels; ++c) {
        const std::string channel = "ch-" + std::to_string(c);
        const int count = 1 + static_cast<int>(rng() % static_cast<unsigned>(perChannel));
        const int launchAt = rng() % 4 == 0 ? 2 : 1;  // sometimes a message arrives before the launch
        for (int n = 1; n <= count; ++n) {
            const std::string time = "2022-02-02T10:00:" + std::to_string(10 + n % 50) + ".5Z";
            const unsigned kind = rng() % 10;
            if (n == launchAt) stream.push_back(launched(channel, n, "T" + std::to_string(c % 3), 500, "M", time));
            else if (kind < 4) stream.push_back(speedUp(channel, n, rng() % 1000, time));
            else if (kind < 7) stream.push_back(slowDown(channel, n, rng() % 1000, time));
            else if (kind < 9) stream.push_back(missionChanged(channel, n, "M" + std::to_string(n), time));
            else stream.push_back(exploded(channel, n, "R" + std::to_string(n), time));
        }
    }
    return stream;
}

std::map<std::string, Rocket> inOrderFold(const std::vector<Message>& stream) {
    std::map<std::string, Rocket> expected;
    for (const auto& m : stream) apply(expected[m.channel], m);  // stream is generated in order per channel
    return expected;
}

void expectProjection(RocketStore& store, const std::map<std::string, Rocket>& expected) {
    for (const auto& [channel, rocket] : expected) {
        auto stored = store.get(channel);
        ASSERT_TRUE(stored.has_value()) << channel;
        EXPECT_EQ(*stored, rocket) << channel;
    }
    EXPECT_EQ(store.versions().size(), expected.size());
}

}  // namespace

TEST(OrderingConsumer, ShuffledDuplicatedStreamsAlwaysMatchInOrderFold) {
    for (unsigned seed = 1; seed <= 40; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        const auto stream = randomStream(rng, 25, 40);
        const auto expected = inOrderFold(stream);
        std::vector<Message> delivery = stream;
        delivery.insert(delivery.end(), stream.begin(), stream.end());  // every message twice
        std::shuffle(delivery.begin(), delivery.end(), rng);

        BackendUnderTest backend("memory");
        OrderingConsumer consumer(backend.events(), backend.rockets(),
                                  {.workers = 1 + seed % 3, .sweepInterval = std::chrono::hours(1), .readBatch = 1 + seed % 7});
        consumer.start();
        std::size_t stored = 0;
        for (const auto& m : delivery) {
            const AppendResult result = backend.events().append(m);
            ASSERT_NE(result, AppendResult::Conflict);
            if (result == AppendResult::Stored) {
                ++stored;
                consumer.stored(m.channel);
            }
        }
        EXPECT_EQ(stored, stream.size());
        ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(30)));
        consumer.stop();
        expectProjection(backend.rockets(), expected);
        EXPECT_EQ(consumer.stats().applied.load(), stream.size());
    }
}

TEST(OrderingConsumer, ConcurrentAppendsFromSeveralThreadsConverge) {
    std::mt19937 rng(99);
    const auto stream = randomStream(rng, 200, 60);
    const auto expected = inOrderFold(stream);
    std::vector<Message> delivery = stream;
    std::shuffle(delivery.begin(), delivery.end(), rng);

    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 3, .sweepInterval = std::chrono::hours(1)});
    consumer.start();
    constexpr int kThreads = 6;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Each thread sends every message of its share, and a duplicate of a neighbour's share.
            for (std::size_t i = 0; i < delivery.size(); ++i) {
                if (i % kThreads != static_cast<std::size_t>(t) && i % kThreads != static_cast<std::size_t>((t + 1) % kThreads))
                    continue;
                if (backend.events().append(delivery[i]) == AppendResult::Stored) consumer.stored(delivery[i].channel);
            }
        });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(30)));
    consumer.stop();
    expectProjection(backend.rockets(), expected);
}

TEST(OrderingConsumer, GapHoldsBackLaterMessagesUntilFilled) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = std::chrono::hours(1)});
    consumer.start();
    for (const Message& m : {launched("g", 1), speedUp("g", 3, 10), speedUp("g", 4, 10)}) {
        ASSERT_EQ(backend.events().append(m), AppendResult::Stored);
        consumer.stored("g");
    }
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("g")->lastMessageNumber, 1);
    EXPECT_EQ(backend.rockets().get("g")->speed, 500);
    ASSERT_EQ(backend.events().append(slowDown("g", 2, 100)), AppendResult::Stored);
    consumer.stored("g");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("g")->lastMessageNumber, 4);
    EXPECT_EQ(backend.rockets().get("g")->speed, 420);
}

TEST(OrderingConsumer, StartUpPassAppliesWhatWasStoredBeforeStart) {
    BackendUnderTest backend("memory");
    for (const Message& m : {launched("s", 1), speedUp("s", 2, 5), launched("t", 1)}) backend.events().append(m);
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = std::chrono::hours(1)});
    consumer.start();  // nobody calls stored(): only the start-up pass can find these
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("s")->speed, 505);
    EXPECT_EQ(backend.rockets().get("t")->lastMessageNumber, 1);
}

TEST(OrderingConsumer, PeriodicSweepPicksUpUnnotifiedMessages) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(),
                              {.workers = 1, .sweepInterval = std::chrono::milliseconds(20)});
    consumer.start();
    // Stored by "another instance": this consumer is never notified.
    backend.events().append(launched("w", 1));
    // start() ran the start-up pass before returning, so only a sweep can find it. The
    // sweep counts itself after queueing its work, which a worker may finish first.
    ASSERT_TRUE(waitUntil(std::chrono::seconds(10), [&] {
        return backend.rockets().get("w").has_value() && consumer.stats().sweeps.load() >= 1u;
    }));
}

TEST(OrderingConsumer, LosingCompareAndSetToAnotherWriterReloadsAndConverges) {
    BackendUnderTest backend("memory");
    for (int n = 1; n <= 5; ++n) backend.events().append(n == 1 ? launched("x", 1) : speedUp("x", n, 1));
    // Another instance already applied 1..3 behind this consumer's back.
    Rocket other;
    for (int n = 1; n <= 3; ++n) apply(other, n == 1 ? launched("x", 1) : speedUp("x", n, 1));
    std::atomic<int> changes{0};
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 1, .sweepInterval = std::chrono::hours(1)},
                              [&](const Rocket&, const Rocket&) { ++changes; });
    ASSERT_TRUE(backend.rockets().compareAndSet(other, 0));
    consumer.start();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("x")->lastMessageNumber, 5);
    EXPECT_EQ(backend.rockets().get("x")->speed, 504);
    EXPECT_EQ(consumer.stats().applied.load(), 2u) << "only 4 and 5 were applied here";
    EXPECT_GE(changes.load(), 1);
}

TEST(OrderingConsumer, StopDrainsQueuedWork) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = std::chrono::hours(1)});
    consumer.start();
    for (int c = 0; c < 300; ++c) {
        const std::string channel = "d" + std::to_string(c);
        backend.events().append(launched(channel, 1));
        consumer.stored(channel);
    }
    consumer.stop();
    EXPECT_EQ(backend.rockets().versions().size(), 300u);
}

}  // namespace rockets::test

namespace rockets::test {

namespace {

/// A RocketStore whose compareAndSet fails with a store error the first `failures` times.
class FailingCasStore final : public RocketStore {
public:
    FailingCasStore(RocketStore& inner, int failures) : inner_(inner), failures_(failures) {}
    std::optional<Rocket> get(const std::string& c) override { return inner_.get(c); }
    RocketPage list(const RocketQuery& q) override { return inner_.list(q); }
    bool compareAndSet(const Rocket& r, std::int64_t v) override {
        if (failures_-- > 0) throw StoreUnavailableException("test: busy");
        return inner_.compareAndSet(r, v);
    }
    std::vector<std::pair<std::string, std::int64_t>> versions() override { return inner_.versions(); }

private:
    RocketStore& inner_;
    std::atomic<int> failures_;
};

}  // namespace

TEST(OrderingConsumer, StoreErrorIsRetriedSoonWithoutWaitingForTheSweep) {
    BackendUnderTest backend("memory");
    FailingCasStore rockets(backend.rockets(), 3);
    OrderingConsumer consumer(backend.events(), rockets,
                              {.workers = 1, .sweepInterval = std::chrono::hours(1), .retryDelay = std::chrono::milliseconds(5)});
    consumer.start();
    backend.events().append(launched("r", 1));
    consumer.stored("r");
    // A channel waiting to retry counts as outstanding, so idle means it was applied.
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(20)));
    ASSERT_TRUE(backend.rockets().get("r").has_value()) << "the hourly sweep cannot have done it";
    EXPECT_EQ(consumer.stats().storeErrors.load(), 3u);
}

}  // namespace rockets::test

namespace rockets::test {

TEST(OrderingConsumer, StateCachedByAWorkerIsReloadedWhenAnotherInstanceAdvancedIt) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 1, .sweepInterval = std::chrono::hours(1)});
    consumer.start();
    std::vector<Message> stream = {launched("k", 1), speedUp("k", 2, 10), speedUp("k", 3, 20), slowDown("k", 4, 5),
                                   missionChanged("k", 5, "MARS")};
    for (int i = 0; i < 2; ++i) {
        backend.events().append(stream[i]);
        consumer.stored("k");
    }
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    ASSERT_EQ(backend.rockets().get("k")->lastMessageNumber, 2);  // this worker now remembers version 2
    // Another instance stores 3 and 4 and applies them, without this process knowing.
    Rocket other = *backend.rockets().get("k");
    for (int i = 2; i < 4; ++i) {
        backend.events().append(stream[i]);
        apply(other, stream[i]);
    }
    ASSERT_TRUE(backend.rockets().compareAndSet(other, 2));
    backend.events().append(stream[4]);
    consumer.stored("k");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    Rocket expected;
    for (const auto& m : stream) apply(expected, m);
    EXPECT_EQ(backend.rockets().get("k"), expected);
    EXPECT_EQ(consumer.stats().casConflicts.load(), 1u) << "the stale cached version must lose its CAS once";
}

}  // namespace rockets::test

namespace rockets::test {

namespace {

/// Forwards to a real EventStore; counts reads per channel, and can make reads of
/// chosen channels fail (unavailable or corrupt), recording when each attempt came.
class InstrumentedEventStore final : public EventStore {
public:
    explicit InstrumentedEventStore(EventStore& inner) : inner_(inner) {}

    AppendResult append(const Message& m) override { return inner_.append(m); }
    std::vector<Message> read(const std::string& c, std::int64_t from, std::size_t max) override {
        {
            std::lock_guard lock(mutex_);
            ++reads_[c];
            if (corrupt_.contains(c)) throw StoreCorruptException("test: unreadable event of " + c);
            if (down_) {
                attempts_.push_back(std::chrono::steady_clock::now());
                throw StoreUnavailableException("test: store switched off");
            }
        }
        return inner_.read(c, from, max);
    }
    ChangedChannels changedSince(std::uint64_t cursor) override { return inner_.changedSince(cursor); }

    void setDown(bool down) {
        std::lock_guard lock(mutex_);
        down_ = down;
    }
    void corrupt(const std::string& channel) {
        std::lock_guard lock(mutex_);
        corrupt_.insert(channel);
    }
    std::size_t reads(const std::string& channel) {
        std::lock_guard lock(mutex_);
        return reads_[channel];
    }
    std::size_t totalReads() {
        std::lock_guard lock(mutex_);
        std::size_t total = 0;
        for (const auto& [channel, count] : reads_) total += count;
        return total;
    }
    std::vector<std::chrono::steady_clock::time_point> attempts() {
        std::lock_guard lock(mutex_);
        return attempts_;
    }

private:
    EventStore& inner_;
    std::mutex mutex_;
    std::map<std::string, std::size_t> reads_;
    std::set<std::string> corrupt_;
    bool down_ = false;
    std::vector<std::chrono::steady_clock::time_point> attempts_;
};

constexpr auto kNoSweep = std::chrono::hours(1);

}  // namespace

TEST(OrderingConsumer, APassThatAppliedEverythingStoredDoesNotReadAgain) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    OrderingConsumer consumer(events, backend.rockets(), {.workers = 1, .sweepInterval = kNoSweep});
    for (const Message& m : {launched("r", 1), speedUp("r", 2, 5), speedUp("r", 3, 7)}) {
        ASSERT_EQ(events.append(m), AppendResult::Stored);
        consumer.stored("r");  // queued until start: one pass sees all three
    }
    consumer.start();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("r")->lastMessageNumber, 3);
    // The backlog knows nothing is stored beyond version 3: no second read to find that out.
    EXPECT_EQ(events.reads("r"), 1u);
    // A message stored after the pass still gets its own.
    ASSERT_EQ(events.append(speedUp("r", 4, 1)), AppendResult::Stored);
    consumer.stored("r");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("r")->speed, 513);
    EXPECT_EQ(events.reads("r"), 2u);
}

TEST(OrderingConsumer, MessagesThisProcessStoredAreAppliedWithoutReadingThemBack) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    OrderingConsumer consumer(events, backend.rockets(), {.workers = 1, .sweepInterval = kNoSweep});
    for (const Message& m : {launched("k", 1), speedUp("k", 2, 5), speedUp("k", 3, 7)}) {
        ASSERT_EQ(events.append(m), AppendResult::Stored);
        consumer.stored(m);
    }
    consumer.start();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    const Message fourth = slowDown("k", 4, 2);
    ASSERT_EQ(events.append(fourth), AppendResult::Stored);
    consumer.stored(fourth);
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("k")->lastMessageNumber, 4);
    EXPECT_EQ(backend.rockets().get("k")->speed, 510);
    EXPECT_EQ(events.reads("k"), 0u);
}

TEST(OrderingConsumer, AKeptMessageBehindOneStoredElsewhereIsReadFromTheStore) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    OrderingConsumer consumer(events, backend.rockets(), {.workers = 1, .sweepInterval = kNoSweep});
    ASSERT_EQ(events.append(launched("g", 1)), AppendResult::Stored);  // by another process: never kept here
    const Message second = speedUp("g", 2, 5);
    ASSERT_EQ(events.append(second), AppendResult::Stored);
    consumer.stored(second);
    consumer.start();  // the start-up pass finds message 1
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("g")->lastMessageNumber, 2);
    EXPECT_EQ(backend.rockets().get("g")->speed, 505);
    EXPECT_EQ(events.reads("g"), 1u);
}

TEST(OrderingConsumerLifecycle, ChannelsStoredBeforeStartAreAppliedOnceStarted) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 3, .sweepInterval = kNoSweep});
    backend.events().append(launched("early", 1));
    consumer.stored("early");
    EXPECT_FALSE(consumer.waitIdle(std::chrono::milliseconds(1))) << "queued, not yet applied";
    consumer.start();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("early")->lastMessageNumber, 1);
}

TEST(OrderingConsumerLifecycle, StoredAfterStopIsIgnoredAndWaitIdleStillReturns) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = kNoSweep});
    consumer.start();
    consumer.stop();
    backend.events().append(launched("late", 1));
    consumer.stored("late");
    EXPECT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_FALSE(backend.rockets().get("late").has_value());
    consumer.stop();  // idempotent
}

TEST(OrderingConsumerLifecycle, StopWithoutStartDropsQueuedChannels) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = kNoSweep});
    backend.events().append(launched("never", 1));
    consumer.stored("never");
    consumer.stop();
    EXPECT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    consumer.start();  // a stopped consumer does not start again
    EXPECT_FALSE(backend.rockets().get("never").has_value());
}

TEST(OrderingConsumerLifecycle, ConcurrentStoredDuringStartAndStopNeitherRacesNorHangs) {
    // Run under ThreadSanitizer in CI: stored() from several threads while start() and
    // stop() run must not touch unsynchronised state, and waitIdle must return.
    for (int round = 0; round < 20; ++round) {
        BackendUnderTest backend("memory");
        OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = kNoSweep});
        std::atomic<bool> go{false};
        std::vector<std::thread> senders;
        for (int t = 0; t < 3; ++t) {
            senders.emplace_back([&, t] {
                while (!go) std::this_thread::yield();
                for (int n = 1; n <= 50; ++n) {
                    const std::string channel = "r" + std::to_string(t);
                    if (backend.events().append(n == 1 ? launched(channel, 1) : speedUp(channel, n, 1)) ==
                        AppendResult::Stored)
                        consumer.stored(channel);
                }
            });
        }
        go = true;
        consumer.start();
        if (round % 2 == 0) consumer.stop();
        for (auto& s : senders) s.join();
        consumer.stop();
        ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10))) << "round " << round;
    }
}

TEST(OrderingConsumerRetries, AChannelWaitingToRetryIsOutstandingUntilApplied) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    OrderingConsumer consumer(events, backend.rockets(),
                              {.workers = 1, .sweepInterval = kNoSweep, .retryDelay = std::chrono::milliseconds(5),
                               .maxRetryDelay = std::chrono::milliseconds(20)});
    consumer.start();
    events.setDown(true);
    events.append(launched("r", 1));
    consumer.stored("r");
    EXPECT_FALSE(consumer.waitIdle(std::chrono::milliseconds(200))) << "not idle while it keeps failing";
    // Between attempts it waits in the retry list (briefly it is queued again instead).
    EXPECT_TRUE(waitUntil(std::chrono::seconds(10), [&] { return consumer.stats().retrying.load() == 1; }));
    events.setDown(false);
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(20)));
    EXPECT_EQ(backend.rockets().get("r")->lastMessageNumber, 1);
    EXPECT_EQ(consumer.stats().retrying.load(), 0u);
}

TEST(OrderingConsumerRetries, PausesBetweenRetriesDoubleUpToTheMaximum) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    const auto base = std::chrono::milliseconds(10);
    const auto cap = std::chrono::milliseconds(80);
    OrderingConsumer consumer(events, backend.rockets(),
                              {.workers = 1, .sweepInterval = kNoSweep, .retryDelay = base, .maxRetryDelay = cap});
    consumer.start();
    events.setDown(true);
    events.append(launched("b", 1));
    consumer.stored("b");
    // Lower bounds only: a loaded machine can make pauses longer, never shorter.
    ASSERT_TRUE(waitUntil(std::chrono::seconds(30), [&] { return events.attempts().size() >= 7; }));
    const auto attempts = events.attempts();
    ASSERT_GE(attempts.size(), 7u);
    for (std::size_t i = 1; i < 7; ++i) {
        const auto expected = std::min(base * (1 << (i - 1)), cap);
        EXPECT_GE(attempts[i] - attempts[i - 1], expected) << "pause " << i;
    }
    events.setDown(false);
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(20)));
}

TEST(OrderingConsumerRetries, ACorruptChannelIsParkedWhileOthersInItsBatchProceed) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    OrderingConsumer consumer(events, backend.rockets(),
                              {.workers = 1, .sweepInterval = kNoSweep, .retryDelay = std::chrono::milliseconds(1),
                               .corruptAttempts = 3});
    events.corrupt("bad");
    for (const std::string channel : {"a", "bad", "c"}) {
        events.append(launched(channel, 1));
        consumer.stored(channel);  // queued before start: one batch
    }
    consumer.start();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(20))) << "a parked channel is not outstanding";
    EXPECT_EQ(backend.rockets().get("a")->lastMessageNumber, 1);
    EXPECT_EQ(backend.rockets().get("c")->lastMessageNumber, 1);
    EXPECT_FALSE(backend.rockets().get("bad").has_value());
    EXPECT_EQ(consumer.stats().parked.load(), 1u);
    const std::size_t readsWhenParked = events.reads("bad");
    EXPECT_GE(readsWhenParked, 3u);
    events.append(speedUp("bad", 2, 1));
    consumer.stored("bad");
    consumer.sweep();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(events.reads("bad"), readsWhenParked) << "parked until restart";
}

TEST(OrderingConsumerSweep, ChannelsThatCannotProgressCostNothingUntilTheyChange) {
    BackendUnderTest backend("memory");
    InstrumentedEventStore events(backend.events());
    constexpr int kStuck = 2000;
    for (int c = 0; c < kStuck; ++c) events.append(speedUp("stuck" + std::to_string(c), 5, 1));  // never launched
    OrderingConsumer consumer(events, backend.rockets(), {.workers = 2, .sweepInterval = kNoSweep});
    consumer.start();  // the start-up pass looks at each once
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(consumer.backlog().unapplied(), kStuck);
    const std::size_t readsAfterStart = events.totalReads();
    EXPECT_LE(readsAfterStart, static_cast<std::size_t>(kStuck));
    for (int i = 0; i < 5; ++i) consumer.sweep();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(events.totalReads(), readsAfterStart) << "unchanged channels are not read again";

    // Another instance fills the gap of one channel: the sweep finds it, and only it.
    for (int n = 1; n <= 4; ++n) events.append(n == 1 ? launched("stuck7", 1) : speedUp("stuck7", n, 1));
    consumer.sweep();
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("stuck7")->lastMessageNumber, 5);
    EXPECT_LE(events.totalReads() - readsAfterStart, 3u);
    EXPECT_EQ(consumer.backlog().unapplied(), kStuck - 1);
}

TEST(OrderingConsumerSweep, UnappliedCountIsRightAfterARestart) {
    BackendUnderTest backend("memory");
    for (int n = 1; n <= 10; ++n) backend.events().append(n == 1 ? launched("a", 1) : speedUp("a", n, 1));
    for (int n : {3, 4, 9}) backend.events().append(speedUp("b", n, 1));
    {
        OrderingConsumer first(backend.events(), backend.rockets(), {.workers = 1, .sweepInterval = kNoSweep});
        first.start();
        ASSERT_TRUE(first.waitIdle(std::chrono::seconds(10)));
        EXPECT_EQ(first.backlog().unapplied(), 3);
    }
    backend.events().append(speedUp("a", 12, 1));  // stored while no consumer ran
    OrderingConsumer second(backend.events(), backend.rockets(), {.workers = 1, .sweepInterval = kNoSweep});
    second.start();
    ASSERT_TRUE(second.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(second.backlog().unapplied(), 4) << "b: 3, 4, 9; a: 12";
    EXPECT_EQ(second.backlog().entry("a").applied, 10);
}

TEST(OrderingConsumerLimits, AChannelOverItsLimitIsRefusedExceptForTheMessageItNeedsNext) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(),
                              {.workers = 1, .sweepInterval = kNoSweep, .maxUnappliedPerChannel = 3});
    consumer.start();
    for (int n : {4, 5, 6}) {
        ASSERT_EQ(consumer.admit("c", n), Admission::Accept) << n;
        backend.events().append(speedUp("c", n, 1));
        consumer.stored("c");
    }
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(consumer.admit("c", 7), Admission::ChannelLimit);
    EXPECT_EQ(consumer.admit("c", 2), Admission::ChannelLimit);
    EXPECT_EQ(consumer.admit("c", 1), Admission::Accept) << "the next message always fits";
    EXPECT_EQ(consumer.admit("other", 9), Admission::Accept) << "the limit is per channel";
    backend.events().append(launched("c", 1));
    consumer.stored("c");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(consumer.admit("c", 2), Admission::Accept) << "2 is the next";
    EXPECT_EQ(consumer.admit("c", 3), Admission::ChannelLimit) << "4, 5 and 6 still wait";
}

TEST(OrderingConsumerLimits, TheTotalLimitCountsUnappliedMessagesOfEveryChannel) {
    BackendUnderTest backend("memory");
    OrderingConsumer consumer(backend.events(), backend.rockets(),
                              {.workers = 1, .sweepInterval = kNoSweep, .maxUnappliedTotal = 4});
    consumer.start();
    for (int c = 0; c < 4; ++c) {
        const std::string channel = "t" + std::to_string(c);
        ASSERT_EQ(consumer.admit(channel, 2), Admission::Accept);
        backend.events().append(speedUp(channel, 2, 1));
        consumer.stored(channel);
    }
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(consumer.admit("t9", 2), Admission::TotalLimit);
    EXPECT_EQ(consumer.admit("t9", 1), Admission::Accept);
    EXPECT_EQ(consumer.admit("t0", 1), Admission::Accept);
    backend.events().append(launched("t0", 1));
    consumer.stored("t0");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(consumer.backlog().unapplied(), 3);
    EXPECT_EQ(consumer.admit("t9", 2), Admission::Accept);
}

}  // namespace rockets::test
