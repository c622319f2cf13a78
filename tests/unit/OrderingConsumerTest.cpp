#include "Backends.h"
#include "Messages.h"

#include "rockets/Fold.h"
#include "rockets/OrderingConsumer.h"
#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
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
                consumer.notify(m.channel);
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
                if (backend.events().append(delivery[i]) == AppendResult::Stored) consumer.notify(delivery[i].channel);
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
        consumer.notify("g");
    }
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("g")->lastMessageNumber, 1);
    EXPECT_EQ(backend.rockets().get("g")->speed, 500);
    ASSERT_EQ(backend.events().append(slowDown("g", 2, 100)), AppendResult::Stored);
    consumer.notify("g");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(backend.rockets().get("g")->lastMessageNumber, 4);
    EXPECT_EQ(backend.rockets().get("g")->speed, 420);
}

TEST(OrderingConsumer, StartUpPassAppliesWhatWasStoredBeforeStart) {
    BackendUnderTest backend("memory");
    for (const Message& m : {launched("s", 1), speedUp("s", 2, 5), launched("t", 1)}) backend.events().append(m);
    OrderingConsumer consumer(backend.events(), backend.rockets(), {.workers = 2, .sweepInterval = std::chrono::hours(1)});
    consumer.start();  // nobody calls notify(): only the start-up pass can find these
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
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!backend.rockets().get("w") && std::chrono::steady_clock::now() < deadline) {
        consumer.waitIdle(std::chrono::milliseconds(50));
        std::this_thread::yield();
    }
    ASSERT_TRUE(backend.rockets().get("w").has_value());
    EXPECT_GE(consumer.stats().sweeps.load(), 1u);
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
        consumer.notify(channel);
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
    void open(const Poco::Util::AbstractConfiguration&) override {}
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
    consumer.notify("r");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!backend.rockets().get("r") && std::chrono::steady_clock::now() < deadline) {
        consumer.waitIdle(std::chrono::milliseconds(20));
        std::this_thread::yield();
    }
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
        consumer.notify("k");
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
    consumer.notify("k");
    ASSERT_TRUE(consumer.waitIdle(std::chrono::seconds(10)));
    Rocket expected;
    for (const auto& m : stream) apply(expected, m);
    EXPECT_EQ(backend.rockets().get("k"), expected);
    EXPECT_EQ(consumer.stats().casConflicts.load(), 1u) << "the stale cached version must lose its CAS once";
}

}  // namespace rockets::test
