// The shared change feed (RocketStore::subscribe): every compare-and-set committed
// through any instance on one Redis reaches every subscriber, and an interruption is
// reported with lost() before the feed resumes.
#include "FeedRecorder.h"
#include "Messages.h"
#include "RedisStores.h"

#include <gtest/gtest.h>

namespace rockets::test {

namespace {

constexpr std::chrono::milliseconds kTimeout{400};

std::vector<std::string> channelsOf(const std::vector<Rocket>& rockets) {
    std::vector<std::string> channels;
    for (const Rocket& r : rockets) channels.push_back(r.channel);
    return channels;
}

}  // namespace

TEST(RedisChangeFeed, ACommitThroughOneInstanceReachesTheOtherInstancesListener) {
    FeedRecorder feed;  // declared first: outlives the subscription
    const std::string prefix = RedisStores::uniquePrefix("feed");
    RedisStores writer(RedisServer::shared(), prefix);
    RedisStores reader(RedisServer::shared(), prefix);
    writer.open();
    reader.open();
    ASSERT_TRUE(reader.rockets().subscribe(feed.listener()));

    Rocket boom = rocket("x", 1, "Falcon-9", 7, "ARTEMIS", RocketStatus::Exploded);
    boom.reason = "PRESSURE \"vessel\" ✓";
    ASSERT_TRUE(writer.rockets().compareAndSet(boom, 0));
    ASSERT_TRUE(feed.waitForChange("x", 1));
    EXPECT_EQ(feed.changed(), std::vector<Rocket>{boom}) << "the published rocket is the committed one, field for field";

    // x leaves its filter sets (exploded -> active), so its write may commit after the others.
    EXPECT_EQ(writer.rockets().compareAndSetMany({{rocket("y", 1), 0}, {rocket("x", 2), 1}, {rocket("z", 1), 0}}),
              (std::vector<bool>{true, true, true}));
    ASSERT_TRUE(feed.waitForChange("z", 1));
    ASSERT_TRUE(feed.waitForChange("x", 2));
    std::vector<std::int64_t> xVersions;
    for (const Rocket& r : feed.changed()) {
        if (r.channel == "x") xVersions.push_back(r.lastMessageNumber);
    }
    EXPECT_EQ(xVersions, (std::vector<std::int64_t>{1, 2})) << "a channel's changes arrive in commit order";
    EXPECT_EQ(feed.changed().size(), 4u) << "each commit once";
    EXPECT_EQ(feed.lost(), 0);
}

TEST(RedisChangeFeed, FailedAndInvisibleWritesPublishNothing) {
    FeedRecorder feed;
    const std::string prefix = RedisStores::uniquePrefix("quiet");
    RedisStores stores(RedisServer::shared(), prefix);
    stores.open();
    ASSERT_TRUE(stores.rockets().subscribe(feed.listener()));

    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("a", 1), 0));
    ASSERT_FALSE(stores.rockets().compareAndSet(rocket("a", 2, "Stale"), 0)) << "stale version";
    Rocket unlaunched;
    unlaunched.channel = "u";
    unlaunched.lastMessageNumber = 3;
    ASSERT_TRUE(stores.rockets().compareAndSet(unlaunched, 0));
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("b", 1), 0));  // the last one: once it arrived, all did
    ASSERT_TRUE(feed.waitForChange("b", 1));
    EXPECT_EQ(channelsOf(feed.changed()), (std::vector<std::string>{"a", "b"}))
        << "a lost compare-and-set changed nothing, and an unlaunched rocket is not visible";
}

TEST(RedisChangeFeed, SubscribersHearOnlyTheirOwnKeyPrefixAndDatabase) {
    FeedRecorder mine;
    FeedRecorder otherPrefix;
    FeedRecorder otherDb;
    const std::string prefix = RedisStores::uniquePrefix("own");
    RedisStores stores(RedisServer::shared(), prefix);
    RedisStores neighbour(RedisServer::shared(), RedisStores::uniquePrefix("neighbour"));
    RedisStores elsewhere(RedisServer::shared(), prefix);
    elsewhere.set("rockets.redis.db", "5");
    stores.open();
    neighbour.open();
    elsewhere.open();
    ASSERT_TRUE(stores.rockets().subscribe(mine.listener()));
    ASSERT_TRUE(neighbour.rockets().subscribe(otherPrefix.listener()));
    ASSERT_TRUE(elsewhere.rockets().subscribe(otherDb.listener()));

    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("m", 1), 0));
    ASSERT_TRUE(neighbour.rockets().compareAndSet(rocket("n", 1), 0));
    ASSERT_TRUE(elsewhere.rockets().compareAndSet(rocket("e", 1), 0));
    ASSERT_TRUE(mine.waitForChange("m", 1));
    ASSERT_TRUE(otherPrefix.waitForChange("n", 1));
    ASSERT_TRUE(otherDb.waitForChange("e", 1));
    // Each feed is one connection in order: a foreign change would have come with these.
    EXPECT_EQ(channelsOf(mine.changed()), std::vector<std::string>{"m"});
    EXPECT_EQ(channelsOf(otherPrefix.changed()), std::vector<std::string>{"n"});
    EXPECT_EQ(channelsOf(otherDb.changed()), std::vector<std::string>{"e"});
}

TEST(RedisChangeFeed, ARestartOfRedisIsReportedAsLostAndTheFeedResumes) {
    FeedRecorder feed;
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("restart");
    RedisStores writer(server, prefix, kTimeout);
    RedisStores reader(server, prefix, kTimeout);
    writer.open();
    reader.open();
    ASSERT_TRUE(reader.rockets().subscribe(feed.listener()));
    ASSERT_TRUE(writer.rockets().compareAndSet(rocket("r", 1), 0));
    ASSERT_TRUE(feed.waitForChange("r", 1));

    server.stop();
    ASSERT_TRUE(feed.waitForLost(1)) << "the drop is reported at once";
    server.start();
    ASSERT_TRUE(feed.waitForLost(2)) << "and again once subscribed: a reload from then on misses nothing";
    EXPECT_EQ(feed.lost(), 2);

    ASSERT_TRUE(writer.rockets().compareAndSet(rocket("r", 2), 1));
    EXPECT_TRUE(feed.waitForChange("r", 2));
}

TEST(RedisChangeFeed, AStalledRedisIsNoticedByPingAndTheFeedResumesAfterIt) {
    FeedRecorder feed;
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("stall");
    RedisStores writer(server, prefix, kTimeout);
    RedisStores reader(server, prefix, kTimeout);
    writer.open();
    reader.open();
    ASSERT_TRUE(reader.rockets().subscribe(feed.listener()));

    server.pause();  // the socket stays open, nothing answers
    ASSERT_TRUE(feed.waitForLost(1));
    server.resume();
    ASSERT_TRUE(feed.waitForLost(2));
    ASSERT_TRUE(writer.rockets().compareAndSet(rocket("s", 1), 0));
    EXPECT_TRUE(feed.waitForChange("s", 1));
}

TEST(RedisChangeFeed, SubscribingWhileRedisIsDownReportsLostOnceTheFeedIsUp) {
    FeedRecorder feed;
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("late");
    RedisStores writer(server, prefix, kTimeout);
    RedisStores reader(server, prefix, kTimeout);
    writer.open();
    reader.open();
    server.stop();
    ASSERT_TRUE(reader.rockets().subscribe(feed.listener())) << "the feed exists; it is just not connected yet";
    ASSERT_TRUE(feed.waitForLost(1));
    server.start();
    ASSERT_TRUE(feed.waitForLost(2));
    ASSERT_TRUE(writer.rockets().compareAndSet(rocket("l", 1), 0));
    EXPECT_TRUE(feed.waitForChange("l", 1));
}

}  // namespace rockets::test
