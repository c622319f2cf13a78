#include "SqliteStores.h"

#include "Messages.h"
#include "WaitUntil.h"

#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

/// How long the test waits for its threads to reach the state it needs: they get
/// there in milliseconds; only a broken premise (or writer) takes longer.
constexpr std::chrono::seconds kSettle{60};

/// The system call each thread of this process is blocked in, by thread id: the
/// number from /proc/self/task/*/syscall ("running" for a thread on a CPU).
std::vector<std::pair<pid_t, std::string>> blockedSyscalls() {
    std::vector<std::pair<pid_t, std::string>> result;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream in(entry.path() / "syscall");
        std::string number;
        in >> number;
        result.emplace_back(std::stoi(entry.path().filename().string()), number);
    }
    return result;
}

/// Waits (up to kSettle) until some other thread sleeps in nanosleep: the event
/// writer inside SQLite's busy handler, waiting for another connection's lock (our
/// threads otherwise block in futex calls).
bool awaitWriterInBusyHandler() {
    const std::string nanosleep = std::to_string(SYS_nanosleep);
    const std::string clockNanosleep = std::to_string(SYS_clock_nanosleep);
    const auto self = static_cast<pid_t>(::syscall(SYS_gettid));
    return waitUntil(kSettle, [&] {
        for (const auto& [tid, call] : blockedSyscalls()) {
            if (tid != self && (call == nanosleep || call == clockNanosleep)) return true;
        }
        return false;
    }, 1ms);
}

/// Waits (up to kSettle) until every thread in `tids` is blocked in a futex call: a
/// caller of append() queued its message and waits for its batch.
bool awaitBlockedInFutex(const std::vector<pid_t>& tids) {
    const std::string futex = std::to_string(SYS_futex);
    return waitUntil(kSettle, [&] {
        std::size_t blocked = 0;
        for (const auto& [tid, call] : blockedSyscalls()) {
            blocked += call == futex && std::find(tids.begin(), tids.end(), tid) != tids.end();
        }
        return blocked == tids.size();
    }, 1ms);
}

}  // namespace

// The writer is held up by another connection's lock while every thread queues a
// copy of the same key, so the copies meet inside one transaction: the first one
// stored there decides, the rest are exactly Duplicate or Conflict against it.
TEST(SqliteGroupCommit, CopiesOfOneKeyInOneBatchAreExact) {
    SqliteStores stores;
    stores.config().setInt("rockets.sqlite.busyTimeoutMs", 60000);
    stores.open();

    constexpr int kThreads = 16;
    std::vector<AppendResult> results(kThreads);
    std::mutex tidsMutex;
    std::vector<pid_t> tids;
    auto other = std::make_unique<RawConnection>(stores.path());
    other->exec("BEGIN EXCLUSIVE");
    // The first batch (an unrelated message) gets stuck waiting for the lock...
    std::thread blocker([&] { EXPECT_EQ(stores.events().append(launched("blocker", 1)), AppendResult::Stored); });
    const bool writerWaits = awaitWriterInBusyHandler();
    EXPECT_TRUE(writerWaits) << "the writer never waited for the lock";
    // ...so every copy queues behind it, and the next batch takes them all.
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            {
                std::lock_guard lock(tidsMutex);
                tids.push_back(static_cast<pid_t>(::syscall(SYS_gettid)));
            }
            // Even threads send one payload, odd threads a conflicting one.
            results[t] = stores.events().append(speedUp("k", 7, t % 2 ? 2 : 1, "2022-01-01T00:00:0" +
                                                                           std::to_string(t % 10) + "Z"));
        });
    }
    const bool allQueued = waitUntil(kSettle, [&] {
        std::lock_guard lock(tidsMutex);
        return tids.size() == kThreads;
    }, 1ms) && awaitBlockedInFutex(tids);
    EXPECT_TRUE(allQueued) << "not every copy got queued behind the stuck batch";
    // Released and joined in any case: a failed wait must not leave threads behind.
    other->exec("COMMIT");
    for (auto& thread : threads) thread.join();
    blocker.join();
    if (!writerWaits || !allQueued) return;  // the copies did not meet as planned

    int winner = -1;
    for (int t = 0; t < kThreads; ++t) {
        if (results[t] != AppendResult::Stored) continue;
        EXPECT_EQ(winner, -1) << "stored twice";
        winner = t;
    }
    ASSERT_NE(winner, -1);
    for (int t = 0; t < kThreads; ++t) {
        if (t == winner) continue;
        EXPECT_EQ(results[t], t % 2 == winner % 2 ? AppendResult::Duplicate : AppendResult::Conflict) << t;
    }
    auto stored = stores.events().read("k", 1, 10);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].payload, (Payload{RocketSpeedIncreased{winner % 2 ? 2 : 1}}));
}

// Many threads, many keys, every key sent by every thread in its own order, some
// keys with disagreeing payloads: each key is stored exactly once and every other
// answer is exact relative to the copy that won.
TEST(SqliteGroupCommit, ManyThreadsStoreEveryKeyExactlyOnce) {
    SqliteStores stores;
    stores.open();
    constexpr int kThreads = 16;
    constexpr int kChannels = 10;
    constexpr int kNumbers = 60;
    auto payloadOf = [](int thread, int number) -> std::int64_t {
        // Every fifth number is disputed: odd threads disagree with even ones.
        return number % 5 == 0 && thread % 2 ? number + 1000 : number;
    };
    std::vector<std::vector<AppendResult>> results(kThreads, std::vector<AppendResult>(kChannels * kNumbers));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<int> keys(kChannels * kNumbers);
            for (int i = 0; i < static_cast<int>(keys.size()); ++i) keys[i] = i;
            std::shuffle(keys.begin(), keys.end(), std::mt19937(static_cast<unsigned>(t)));
            for (int key : keys) {
                const int number = key % kNumbers + 1;
                results[t][key] = stores.events().append(
                    speedUp("ch" + std::to_string(key / kNumbers), number, payloadOf(t, number)));
            }
        });
    }
    for (auto& thread : threads) thread.join();

    for (int key = 0; key < kChannels * kNumbers; ++key) {
        const int number = key % kNumbers + 1;
        int winner = -1;
        for (int t = 0; t < kThreads; ++t) {
            if (results[t][key] == AppendResult::Stored) {
                ASSERT_EQ(winner, -1) << "key " << key << " stored twice";
                winner = t;
            }
        }
        ASSERT_NE(winner, -1) << "key " << key << " never stored";
        for (int t = 0; t < kThreads; ++t) {
            if (t == winner) continue;
            const bool agrees = payloadOf(t, number) == payloadOf(winner, number);
            ASSERT_EQ(results[t][key], agrees ? AppendResult::Duplicate : AppendResult::Conflict) << key;
        }
        auto stored = stores.events().read("ch" + std::to_string(key / kNumbers), number, 1);
        ASSERT_EQ(stored.size(), 1u);
        EXPECT_EQ(stored[0].payload, (Payload{RocketSpeedIncreased{payloadOf(winner, number)}}));
    }
    EXPECT_EQ(stores.events().changedSince(0).channels.size(), static_cast<std::size_t>(kChannels));
}

// While appends are flowing, a projection batch waits briefly for the next append's
// transaction to carry it (Writer::kProjectionWait). When no append follows, it must
// commit by itself: the call returns and the rockets are stored.
TEST(SqliteGroupCommit, AProjectionWaitingForAnAppendCommitsWhenNoneFollows) {
    SqliteStores stores;
    stores.open();
    for (int round = 0; round < 20; ++round) {
        const std::string channel = "quiet" + std::to_string(round);
        // Back-to-back appends on one thread: each commits at once, so appends flow.
        for (int number = 1; number <= 5; ++number) {
            ASSERT_EQ(stores.events().append(speedUp(channel, number, number)), AppendResult::Stored);
        }
        auto written = std::async(std::launch::async, [&] {
            return stores.rockets().compareAndSetMany({{rocket(channel, 5), 0}, {rocket(channel + "b", 1), 0}});
        });
        if (written.wait_for(kSettle) != std::future_status::ready) {
            // One more append carries it, so the test ends instead of hanging.
            stores.events().append(speedUp(channel, 6, 6));
            FAIL() << "the projection waited for an append that never came";
        }
        EXPECT_EQ(written.get(), (std::vector<bool>{true, true}));
        EXPECT_EQ(stores.rockets().get(channel), rocket(channel, 5));
        EXPECT_EQ(stores.rockets().get(channel + "b"), rocket(channel + "b", 1));
    }
}

// Appends and projection batches from many threads at once: projections ride in
// appends' transactions, commit alone, go with the writer thread's batches, or sleep
// behind a commit that then leaves them queued for the next append (release() must
// wake them, or a batch queued behind the last appends sleeps until some later
// transaction). Every call returns, every append is exact, and every compare-and-set
// lands on its version.
TEST(SqliteGroupCommit, ProjectionsAndAppendsFromManyThreadsAllCommit) {
    SqliteStores stores;
    stores.open();
    constexpr int kAppenders = 3;
    constexpr int kProjectors = 2;
    constexpr int kMessages = 100;
    // Each round ends its appends while projections still come: the moment a batch
    // can be left queued behind the last append's commit.
    for (int round = 0; round < 8; ++round) {
        const std::string prefix = "r" + std::to_string(round);
        std::vector<std::thread> appenders;
        std::vector<std::thread> projectors;
        std::atomic<int> appendFailures{0};
        std::atomic<int> projectionFailures{0};
        std::atomic<int> projectorsDone{0};
        for (int t = 0; t < kAppenders; ++t) {
            appenders.emplace_back([&, t] {
                for (int number = 1; number <= kMessages; ++number) {
                    const auto result = stores.events().append(speedUp(prefix + "a" + std::to_string(t), number, number));
                    appendFailures += result != AppendResult::Stored;
                }
            });
        }
        for (int t = 0; t < kProjectors; ++t) {
            projectors.emplace_back([&, t] {
                // Two channels per batch, each advanced one version per call.
                const std::string first = prefix + "p" + std::to_string(t);
                const std::string second = first + "b";
                for (int version = 1; version <= kMessages; ++version) {
                    const auto written = stores.rockets().compareAndSetMany(
                        {{rocket(first, version), version - 1}, {rocket(second, version), version - 1}});
                    projectionFailures += written != std::vector<bool>{true, true};
                }
                ++projectorsDone;
            });
        }
        for (auto& thread : appenders) thread.join();
        // Without appends every projection batch commits within milliseconds; one still
        // waiting after kSettle sleeps for a transaction that is not coming. Appends then
        // carry it, so the test fails instead of hanging.
        if (!waitUntil(kSettle, [&] { return projectorsDone == kProjectors; }, 1ms)) {
            ADD_FAILURE() << "round " << round << ": a projection batch still waited " << kSettle.count()
                          << " s after the last append";
            for (int number = 1; projectorsDone != kProjectors; ++number) {
                stores.events().append(speedUp(prefix + "unstick", number, 1));
            }
        }
        for (auto& thread : projectors) thread.join();
        EXPECT_EQ(appendFailures, 0);
        EXPECT_EQ(projectionFailures, 0);
        for (int t = 0; t < kAppenders; ++t) {
            EXPECT_EQ(stores.events().read(prefix + "a" + std::to_string(t), 1, kMessages + 1).size(),
                      static_cast<std::size_t>(kMessages));
        }
        for (int t = 0; t < kProjectors; ++t) {
            const std::string first = prefix + "p" + std::to_string(t);
            EXPECT_EQ(stores.rockets().get(first), rocket(first, kMessages));
            EXPECT_EQ(stores.rockets().get(first + "b"), rocket(first + "b", kMessages));
        }
    }
}

}  // namespace rockets::test
