// Faults of the Redis backend: the store never hangs longer than its timeout,
// reports StoreUnavailableException (503 upstream), and recovers by itself.
#include "Messages.h"
#include "RedisStores.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

namespace rockets::test {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kTimeout{400};

template <class Fn>
milliseconds expectUnavailable(Fn&& fn) {
    const auto start = Clock::now();
    EXPECT_THROW(fn(), StoreUnavailableException);
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

}  // namespace

TEST(RedisFault, ReconnectsAfterRedisRestartsAndKeepsAcknowledgedMessages) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("restart"), kTimeout);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("r", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("r", 1), 0));

    server.stop();
    server.start();

    // The pooled connections are dead; the first call must reconnect, not fail.
    EXPECT_EQ(stores.events().append(speedUp("r", 2, 10)), AppendResult::Stored);
    EXPECT_EQ(stores.events().read("r", 1, 10), (std::vector<Message>{launched("r", 1), speedUp("r", 2, 10)}));
    EXPECT_EQ(stores.rockets().get("r"), rocket("r", 1));
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("r", 2), 1));
}

TEST(RedisFault, StoppedRedisFailsFastAndRecoversWhenItReturns) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("stopped"), kTimeout);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("s", 1)), AppendResult::Stored);

    server.stop();
    EXPECT_LT(expectUnavailable([&] { stores.events().append(speedUp("s", 2, 1)); }), 3 * kTimeout);
    EXPECT_LT(expectUnavailable([&] { stores.events().read("s", 1, 10); }), 3 * kTimeout);
    EXPECT_LT(expectUnavailable([&] { stores.rockets().compareAndSet(rocket("s", 1), 0); }), 3 * kTimeout);
    EXPECT_LT(expectUnavailable([&] { stores.rockets().list({}); }), 3 * kTimeout);

    server.start();
    EXPECT_EQ(stores.events().append(speedUp("s", 2, 1)), AppendResult::Stored);
    EXPECT_EQ(stores.events().read("s", 1, 10).size(), 2u);
}

TEST(RedisFault, StalledRedisTimesOutAndWorksAgainAfterResume) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("stalled"), kTimeout);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("p", 1)), AppendResult::Stored);

    server.pause();
    EXPECT_LT(expectUnavailable([&] { stores.events().append(speedUp("p", 2, 1)); }), 3 * kTimeout);
    // A second call opens a new connection (the timed-out one is broken): the
    // kernel accepts it into the backlog, and the command still times out.
    EXPECT_LT(expectUnavailable([&] { stores.rockets().get("p"); }), 3 * kTimeout);
    EXPECT_LT(expectUnavailable([&] { stores.events().changedSince(0).channels; }), 3 * kTimeout);
    server.resume();

    // The stalled append may have been executed after SIGCONT: it is there either way.
    const auto again = stores.events().append(speedUp("p", 2, 1));
    EXPECT_TRUE(again == AppendResult::Stored || again == AppendResult::Duplicate);
    EXPECT_EQ(stores.events().append(speedUp("p", 3, 1)), AppendResult::Stored);
    EXPECT_EQ(stores.events().read("p", 1, 10).size(), 3u);
}

TEST(RedisFault, OpenFailsWithUnavailableWhenRedisIsDown) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("down"), kTimeout);
    server.stop();
    EXPECT_LT(expectUnavailable([&] { stores.open(); }), 3 * kTimeout);
}

TEST(RedisFault, ScriptsAreReloadedAfterScriptFlush) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("noscript"), kTimeout);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("n", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("n", 1), 0));
    ASSERT_EQ(stores.rockets().list({}).total, 1u);

    ASSERT_EQ(server.command({"SCRIPT", "FLUSH"}), "OK");
    EXPECT_EQ(stores.events().append(speedUp("n", 2, 5)), AppendResult::Stored);
    ASSERT_EQ(server.command({"SCRIPT", "FLUSH"}), "OK");
    EXPECT_EQ(stores.events().append(speedUp("n", 2, 6)), AppendResult::Conflict);
    ASSERT_EQ(server.command({"SCRIPT", "FLUSH"}), "OK");
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("n", 2, "Saturn-V"), 1));
    ASSERT_EQ(server.command({"SCRIPT", "FLUSH"}), "OK");
    auto page = stores.rockets().list({});
    ASSERT_EQ(page.rockets.size(), 1u);
    EXPECT_EQ(page.rockets[0], rocket("n", 2, "Saturn-V"));
}

TEST(RedisFault, PasswordAndDatabaseAreUsed) {
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("auth");
    ASSERT_EQ(server.command({"CONFIG", "SET", "requirepass", "s3cret"}), "OK");

    RedisStores wrong(server, prefix, kTimeout);
    wrong.set("rockets.redis.password", "wrong");
    EXPECT_THROW(wrong.open(), StoreUnavailableException);
    RedisStores none(server, prefix, kTimeout);
    EXPECT_THROW(none.open(), StoreUnavailableException) << "NOAUTH must surface, not pass as success";

    RedisStores stores(server, prefix, kTimeout);
    stores.set("rockets.redis.password", "s3cret");
    stores.set("rockets.redis.db", "3");
    stores.open();
    ASSERT_EQ(stores.events().append(launched("a", 1)), AppendResult::Stored);

    RedisStores otherDb(server, prefix, kTimeout);
    otherDb.set("rockets.redis.password", "s3cret");
    otherDb.open();  // db 0: the message lives in db 3 only
    EXPECT_TRUE(otherDb.events().read("a", 1, 10).empty());
    EXPECT_EQ(stores.events().read("a", 1, 10).size(), 1u);
}

}  // namespace rockets::test
