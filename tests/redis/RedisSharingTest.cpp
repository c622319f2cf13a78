// Several plugin instances (as in several rockets-server processes) sharing one
// Redis: the scripts make append and compare-and-set atomic across them.
#include "Messages.h"
#include "RedisStores.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

namespace rockets::test {

TEST(RedisSharing, TwoInstancesRacingCompareAndSetHaveOneWinnerPerVersion) {
    const std::string prefix = RedisStores::uniquePrefix("cas");
    RedisStores a(RedisServer::shared(), prefix);
    RedisStores b(RedisServer::shared(), prefix);
    a.open();
    b.open();
    constexpr int kVersions = 60;
    constexpr int kThreadsPerInstance = 3;
    std::vector<std::atomic<int>> wins(kVersions + 1);
    std::barrier sync(2 * kThreadsPerInstance);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2 * kThreadsPerInstance; ++t) {
        RocketStore& store = t % 2 ? b.rockets() : a.rockets();
        threads.emplace_back([&, t, &store = store] {
            for (int v = 1; v <= kVersions; ++v) {
                sync.arrive_and_wait();  // every thread races for the same version
                if (store.compareAndSet(rocket("shared", v, "T" + std::to_string(t)), v - 1)) ++wins[v];
                sync.arrive_and_wait();
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int v = 1; v <= kVersions; ++v) EXPECT_EQ(wins[v].load(), 1) << "version " << v;
    EXPECT_EQ(a.rockets().get("shared")->lastMessageNumber, kVersions);
    EXPECT_EQ(b.rockets().get("shared"), a.rockets().get("shared"));
    EXPECT_EQ(a.rockets().list({}).total, 1u) << "the index holds one entry per rocket, not per write";
}

TEST(RedisSharing, TwoInstancesAppendingOneKeyStoreItOnce) {
    const std::string prefix = RedisStores::uniquePrefix("append");
    RedisStores a(RedisServer::shared(), prefix);
    RedisStores b(RedisServer::shared(), prefix);
    a.open();
    b.open();
    constexpr int kKeys = 300;
    std::vector<AppendResult> fromA(kKeys + 1), fromB(kKeys + 1);
    std::thread ta([&] { for (int k = 1; k <= kKeys; ++k) fromA[k] = a.events().append(speedUp("k", k, k)); });
    std::thread tb([&] { for (int k = 1; k <= kKeys; ++k) fromB[k] = b.events().append(speedUp("k", k, k, "2030-01-01T00:00:00Z")); });
    ta.join();
    tb.join();
    for (int k = 1; k <= kKeys; ++k) {
        EXPECT_EQ((fromA[k] == AppendResult::Stored) + (fromB[k] == AppendResult::Stored), 1) << "key " << k;
        EXPECT_TRUE(fromA[k] != AppendResult::Conflict && fromB[k] != AppendResult::Conflict) << "key " << k;
    }
    EXPECT_EQ(a.events().read("k", 1, 1000).size(), static_cast<std::size_t>(kKeys));
    auto heads = b.events().changedSince(0).channels;
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].highestNumber, kKeys);
}

}  // namespace rockets::test
