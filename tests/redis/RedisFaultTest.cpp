// Faults of the Redis backend: the store never hangs (its timeout ends every
// wait), reports StoreUnavailableException (503 upstream), and recovers by itself.
//
// No test here measures how long a call took: on a shared machine running tests in
// parallel any tight bound flakes. A call must return before kHung, far beyond the
// configured timeout, and the ordering test shows that it is the configured
// timeout, not some fixed one, that ends a wait.
#include "Messages.h"
#include "RedisStores.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <future>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

/// The stores' rockets.redis.timeoutMs.
constexpr std::chrono::milliseconds kTimeout{400};
/// A call still blocked after this long is hung: 75 times the timeout, which bounds
/// a call in total, so only a missing or ignored timeout gets here.
constexpr std::chrono::seconds kHung{30};

/// Runs `fn`, which must throw StoreUnavailableException before kHung.
template <class Fn>
void expectUnavailable(Fn&& fn) {
    auto call = std::async(std::launch::async, std::forward<Fn>(fn));
    if (call.wait_for(kHung) == std::future_status::timeout) {
        // The future's destructor still waits for the call: say why the test stalls.
        ADD_FAILURE() << "the call is still blocked after " << kHung.count() << " s with a timeout of "
                      << kTimeout.count() << " ms";
    }
    EXPECT_THROW(call.get(), StoreUnavailableException);
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
    expectUnavailable([&] { stores.events().append(speedUp("s", 2, 1)); });
    expectUnavailable([&] { stores.events().read("s", 1, 10); });
    expectUnavailable([&] { stores.rockets().compareAndSet(rocket("s", 1), 0); });
    expectUnavailable([&] { stores.rockets().list({}); });

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
    expectUnavailable([&] { stores.events().append(speedUp("p", 2, 1)); });
    // A second call opens a new connection (the timed-out one is broken): the
    // kernel accepts it into the backlog, and the command still times out.
    expectUnavailable([&] { stores.rockets().get("p"); });
    expectUnavailable([&] { stores.events().changedSince(0); });
    server.resume();

    // The stalled append may have been executed after SIGCONT: it is there either way.
    const auto again = stores.events().append(speedUp("p", 2, 1));
    EXPECT_TRUE(again == AppendResult::Stored || again == AppendResult::Duplicate);
    EXPECT_EQ(stores.events().append(speedUp("p", 3, 1)), AppendResult::Stored);
    EXPECT_EQ(stores.events().read("p", 1, 10).size(), 3u);
}

// Two stores wait on the same stalled Redis: the one with the short timeout gives up
// while the one with a long timeout still waits, and completes once Redis resumes.
TEST(RedisFault, TheConfiguredTimeoutEndsTheWaitOnAStalledRedis) {
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("patience");
    RedisStores impatient(server, prefix, kTimeout);
    RedisStores patient(server, prefix, 4 * kHung);
    impatient.open();
    patient.open();
    ASSERT_EQ(patient.events().append(launched("w", 1)), AppendResult::Stored);

    server.pause();
    auto waiting = std::async(std::launch::async, [&] { return patient.events().append(speedUp("w", 2, 1)); });
    expectUnavailable([&] { impatient.events().changedSince(0); });
    EXPECT_EQ(waiting.wait_for(0s), std::future_status::timeout)
        << "the store with a timeout of " << (4 * kHung).count() << " s gave up as early as the one with "
        << kTimeout.count() << " ms";
    server.resume();
    EXPECT_EQ(waiting.get(), AppendResult::Stored);
    EXPECT_EQ(impatient.events().read("w", 1, 10).size(), 2u);
}

TEST(RedisFault, OpenFailsWithUnavailableWhenRedisIsDown) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("down"), kTimeout);
    server.stop();
    expectUnavailable([&] { stores.open(); });
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
