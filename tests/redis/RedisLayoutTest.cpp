// What the Redis layout promises beyond the conformance suite: hash-tagged keys
// per channel, exact ordering for awkward values, and no index entries for
// rockets that are not visible.
#include "Messages.h"
#include "RedisStores.h"
#include "WaitUntil.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace rockets::test {

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(RedisLayout, ChannelKeysAreHashTaggedUnderThePrefix) {
    const std::string prefix = RedisStores::uniquePrefix("layout");
    RedisStores stores(RedisServer::shared(), prefix);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("ch-1", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("ch-1", 1), 0));
    ASSERT_EQ(stores.rockets().list({}).total, 1u);  // indexes the rocket
    const auto keys = lines(RedisServer::shared().command({"KEYS", prefix + "{*"}));
    EXPECT_EQ(keys, (std::vector<std::string>{prefix + "{ch-1}:entries", prefix + "{ch-1}:log"}));
    const auto all = lines(RedisServer::shared().command({"KEYS", prefix + "*"}));
    EXPECT_TRUE(std::all_of(all.begin(), all.end(), [&](auto& k) { return k.starts_with(prefix); }));
}

TEST(RedisLayout, ListOrdersAwkwardValuesExactlyLikeRocketLess) {
    RedisStores stores(RedisServer::shared(), RedisStores::uniquePrefix("order"));
    stores.open();
    // Embedded NUL and 0x01 bytes, prefixes of each other, non-ASCII, and the
    // extremes of int64 speeds: the encodings must keep every one of these orders.
    const std::vector<std::string> types = {"a", std::string("a\0", 2), std::string("a\x01", 2), "ab", "", "\xc3\xa9", "a b",
                                            std::string("\0", 1)};
    const std::vector<std::int64_t> speeds = {0, -1, 1, std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::max(), 255, 256, -256};
    std::vector<Rocket> all;
    for (std::size_t i = 0; i < types.size(); ++i) {
        Rocket r = rocket("c" + std::to_string(i % 3) + "-" + std::to_string(i), 1, types[i], speeds[i],
                          types[(i + 3) % types.size()]);
        ASSERT_TRUE(stores.rockets().compareAndSet(r, 0));
        all.push_back(r);
        Rocket twin = r;  // ties in every field but the channel
        twin.channel = "b-" + std::to_string(i);
        ASSERT_TRUE(stores.rockets().compareAndSet(twin, 0));
        all.push_back(twin);
    }
    for (SortField field : {SortField::Type, SortField::Mission, SortField::Speed, SortField::Channel}) {
        for (bool descending : {false, true}) {
            RocketQuery query;
            query.sort = field;
            query.descending = descending;
            auto expected = all;
            std::sort(expected.begin(), expected.end(),
                      [&](auto& x, auto& y) { return rocketLess(x, y, field, descending); });
            EXPECT_EQ(stores.rockets().list(query).rockets, expected)
                << "sort=" << toString(field) << " desc=" << descending;
        }
    }
    RocketQuery byType;
    byType.type = std::string("a\0", 2);
    auto page = stores.rockets().list(byType);
    EXPECT_EQ(page.total, 2u);
}

TEST(RedisLayout, FilteredPagesWalkPastManyNonMatches) {
    RedisStores stores(RedisServer::shared(), RedisStores::uniquePrefix("walk"));
    stores.open();
    // More rockets than one scan chunk, matches sparse and late in the index.
    std::vector<Rocket> matches;
    for (int i = 0; i < 1500; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "r%04d", i);
        const bool match = i % 97 == 5;
        Rocket r = rocket(name, 1, match ? "Rare" : "Common", i);
        ASSERT_TRUE(stores.rockets().compareAndSet(r, 0));
        if (match) matches.push_back(r);
    }
    RocketQuery query;
    query.type = "Rare";
    query.sort = SortField::Speed;
    query.descending = true;
    query.offset = 3;
    query.limit = 5;
    auto page = stores.rockets().list(query);
    EXPECT_EQ(page.total, matches.size());
    std::reverse(matches.begin(), matches.end());
    EXPECT_EQ(page.rockets, std::vector<Rocket>(matches.begin() + 3, matches.begin() + 8));
}

TEST(RedisLayout, ChangesAndVersionsOfThousandsOfChannelsAreReadCompletely) {
    RedisStores stores(RedisServer::shared(), RedisStores::uniquePrefix("scan"));
    stores.open();
    // Several changedSince pages and HSCAN steps (about 1000 each), not one huge reply.
    constexpr int kChannels = 2600;
    for (int i = 0; i < kChannels; ++i) {
        const std::string channel = "s" + std::to_string(i);
        ASSERT_EQ(stores.events().append(speedUp(channel, 1 + i % 7, 1)), AppendResult::Stored);
        ASSERT_TRUE(stores.rockets().compareAndSet(rocket(channel, 1 + i % 5), 0));
    }
    auto heads = stores.events().changedSince(0).channels;
    auto versions = stores.rockets().versions();
    ASSERT_EQ(heads.size(), static_cast<std::size_t>(kChannels));
    ASSERT_EQ(versions.size(), static_cast<std::size_t>(kChannels));
    std::sort(heads.begin(), heads.end(), [](auto& a, auto& b) { return a.channel < b.channel; });
    std::sort(versions.begin(), versions.end());
    for (int i = 0; i < kChannels; ++i) {
        const std::string channel = "s" + std::to_string(i);
        auto head = std::lower_bound(heads.begin(), heads.end(), channel,
                                     [](const ChannelHead& h, const std::string& c) { return h.channel < c; });
        ASSERT_NE(head, heads.end());
        EXPECT_EQ(head->channel, channel);
        EXPECT_EQ(head->highestNumber, 1 + i % 7);
        auto version = std::lower_bound(versions.begin(), versions.end(), std::make_pair(channel, std::int64_t{0}));
        ASSERT_NE(version, versions.end());
        EXPECT_EQ(version->first, channel);
        EXPECT_EQ(version->second, 1 + i % 5);
    }
}

TEST(RedisLayout, UnlaunchedRocketsCarryTheirVersionButAreNeverIndexed) {
    const std::string prefix = RedisStores::uniquePrefix("hidden");
    RedisStores stores(RedisServer::shared(), prefix);
    stores.open();
    Rocket hidden;
    hidden.channel = "h";
    hidden.lastMessageNumber = 4;
    ASSERT_TRUE(stores.rockets().compareAndSet(hidden, 0));
    EXPECT_EQ(stores.rockets().versions(), (std::vector<std::pair<std::string, std::int64_t>>{{"h", 4}}));
    EXPECT_EQ(stores.rockets().list({}).total, 0u);
    EXPECT_EQ(RedisServer::shared().command({"KEYS", prefix + "idx:*"}), "");

    // Launch it, then write it back as unlaunched (not a real transition, but the
    // store must not leave stale index or filter entries behind either way).
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("h", 5), 4));
    EXPECT_EQ(stores.rockets().list({}).total, 1u);
    hidden.lastMessageNumber = 6;
    ASSERT_TRUE(stores.rockets().compareAndSet(hidden, 5));
    EXPECT_EQ(stores.rockets().list({}).total, 0u);
    EXPECT_EQ(RedisServer::shared().command({"KEYS", prefix + "idx:*"}), "");
    EXPECT_EQ(RedisServer::shared().command({"KEYS", prefix + "f:*"}), "");
}

namespace {

/// Calls of `command` the server ran since the last CONFIG RESETSTAT.
int calls(const RedisServer& server, const std::string& command) {
    return static_cast<int>(server.infoNumber("commandstats", "cmdstat_" + command + ":calls=").value_or(0));
}

}  // namespace

TEST(RedisLayout, WritesLeaveIndexingToTheNextListWhichIndexesEachRocketOnce) {
    RedisServer server;  // private: its command statistics are this test's alone
    const std::string prefix = RedisStores::uniquePrefix("lazy");
    RedisStores stores(server, prefix);
    stores.set("rockets.redis.reindexQuietMs", "0");  // lists alone index
    stores.open();
    for (int v = 1; v <= 30; ++v) ASSERT_TRUE(stores.rockets().compareAndSet(rocket("x", v, "T", v * 10), v - 1));
    EXPECT_EQ(server.command({"KEYS", prefix + "idx:*"}), "") << "a write does no index work";
    ASSERT_EQ(server.command({"CONFIG", "RESETSTAT"}), "OK");

    const RocketPage page = stores.rockets().list({});
    ASSERT_EQ(page.total, 1u);
    EXPECT_EQ(page.rockets[0], rocket("x", 30, "T", 300)) << "the list shows the last write";
    EXPECT_EQ(calls(server, "zadd"), 15) << "one entry per sort index, however many writes came before";

    ASSERT_EQ(server.command({"CONFIG", "RESETSTAT"}), "OK");
    EXPECT_EQ(stores.rockets().list({}).total, 1u);
    EXPECT_EQ(calls(server, "zadd"), 0) << "nothing written since: nothing to index";
}

TEST(RedisLayout, OnceWritesPauseABackgroundThreadIndexesWithoutAList) {
    RedisServer server;
    const std::string prefix = RedisStores::uniquePrefix("quiet");
    RedisStores stores(server, prefix);
    stores.set("rockets.redis.reindexQuietMs", "20");
    stores.open();
    constexpr int kRockets = 50;
    for (int c = 0; c < kRockets; ++c) {
        ASSERT_TRUE(stores.rockets().compareAndSet(rocket("q" + std::to_string(c), 1, "T", c), 0));
    }
    // Nobody lists: the rockets leave the stale set all the same.
    const bool indexed = waitUntil(std::chrono::seconds(60), [&] {
        return server.command({"SCARD", prefix + "stale"}) == "0";
    });
    ASSERT_TRUE(indexed) << "still stale: " << server.command({"SCARD", prefix + "stale"});
    ASSERT_EQ(server.command({"CONFIG", "RESETSTAT"}), "OK");
    RocketQuery fastestFirst;
    fastestFirst.sort = SortField::Speed;
    fastestFirst.descending = true;
    const RocketPage page = stores.rockets().list(fastestFirst);
    ASSERT_EQ(page.total, static_cast<std::size_t>(kRockets));
    EXPECT_EQ(page.rockets.front(), rocket("q" + std::to_string(kRockets - 1), 1, "T", kRockets - 1));
    EXPECT_EQ(calls(server, "zadd"), 0) << "the list found everything indexed";
}

// A list() that comes while the background thread reindexes waits at most for its
// slice, then indexes the rest itself: every rocket written before it is listed.
TEST(RedisLayout, AListDuringTheBackgroundReindexShowsEveryRocketWrittenBeforeIt) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("busy"));
    stores.set("rockets.redis.reindexQuietMs", "1");
    stores.open();
    constexpr int kRounds = 4;
    constexpr int kRockets = 1500;
    for (int round = 0; round < kRounds; ++round) {
        std::vector<RocketWrite> writes;
        for (int c = 0; c < kRockets; ++c) {
            writes.push_back({rocket("b" + std::to_string(c), round + 1, "T", round * kRockets + c), round});
        }
        ASSERT_EQ(stores.rockets().compareAndSetMany(writes), std::vector<bool>(kRockets, true));
        // Lists while the background thread has started or is about to start on them.
        RocketQuery fastest;
        fastest.sort = SortField::Speed;
        fastest.descending = true;
        fastest.limit = 1;
        for (int list = 0; list < 3; ++list) {
            const RocketPage page = stores.rockets().list(fastest);
            ASSERT_EQ(page.total, static_cast<std::size_t>(kRockets));
            ASSERT_EQ(page.rockets.size(), 1u);
            EXPECT_EQ(page.rockets[0].speed, round * kRockets + kRockets - 1) << "round " << round;
        }
    }
}

TEST(RedisLayout, ListServesTheIndexesAsTheyAreWhenRedisRefusesWrites) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("readonly"));
    stores.set("rockets.redis.reindexQuietMs", "0");  // b stays for the list to index
    stores.open();
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("a", 1), 0));
    ASSERT_EQ(stores.rockets().list({}).total, 1u);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("b", 1), 0));

    ASSERT_EQ(server.command({"REPLICAOF", "127.0.0.1", "1"}), "OK");  // read-only from here
    RocketPage stale;
    ASSERT_NO_THROW(stale = stores.rockets().list({}));
    EXPECT_EQ(stale.total, 1u) << "b is not indexed yet, and cannot be on a read-only replica";

    ASSERT_EQ(server.command({"REPLICAOF", "NO", "ONE"}), "OK");
    EXPECT_EQ(stores.rockets().list({}).total, 2u);
}

TEST(RedisLayout, APrefixHoldingTheOlderLayoutIsRefusedAtOpen) {
    const std::string prefix = RedisStores::uniquePrefix("layout1");
    ASSERT_EQ(RedisServer::shared().command({"HSET", prefix + "heads", "c", "3"}), "1");
    RedisStores stores(RedisServer::shared(), prefix);
    EXPECT_THROW(stores.open(), StoreCorruptException);
}

TEST(RedisLayout, AfterTheStoreWasEmptiedAnOldCursorStillSeesEveryNewChannel) {
    RedisServer server;  // private: FLUSHALL below
    RedisStores stores(server, RedisStores::uniquePrefix("emptied"));
    stores.open();
    for (int n = 1; n <= 5; ++n) ASSERT_EQ(stores.events().append(speedUp("old", n, n)), AppendResult::Stored);
    const std::uint64_t cursor = stores.events().changedSince(0).cursor;

    ASSERT_EQ(server.command({"FLUSHALL"}), "OK");
    for (int n = 1; n <= 8; ++n) ASSERT_EQ(stores.events().append(speedUp("new-" + std::to_string(n), 1, 1)), AppendResult::Stored);
    auto heads = stores.events().changedSince(cursor).channels;
    std::sort(heads.begin(), heads.end(), [](auto& a, auto& b) { return a.channel < b.channel; });
    ASSERT_EQ(heads.size(), 8u) << "history does not reach back to the cursor: every channel";
    EXPECT_EQ(heads.front(), (ChannelHead{"new-1", 1, 1}));
}

TEST(RedisLayout, ListServesPagesLargerThanOneScriptSlice) {
    // The list indexes the 2500 rockets first, within one timeout: a generous one, so a
    // machine busy with other tests cannot cut the indexing short (a list then serves
    // the indexes as they are, which ListServesTheIndexesAsTheyAreWhenRedisRefusesWrites tests).
    RedisStores stores(RedisServer::shared(), RedisStores::uniquePrefix("bigpage"), std::chrono::seconds(30));
    stores.open();
    std::vector<RocketWrite> writes;
    for (int i = 0; i < 2500; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "p%04d", i);
        writes.push_back({rocket(name, 1, "T", i), 0});
    }
    ASSERT_EQ(stores.rockets().compareAndSetMany(writes), std::vector<bool>(writes.size(), true));
    RocketQuery query;
    query.limit = 10000;
    const RocketPage page = stores.rockets().list(query);
    EXPECT_EQ(page.total, writes.size());
    ASSERT_EQ(page.rockets.size(), writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) EXPECT_EQ(page.rockets[i], writes[i].rocket);
    const auto many = stores.rockets().getMany({"p0000", "p2499", "none"});
    EXPECT_EQ(many, (std::vector<std::optional<Rocket>>{writes[0].rocket, writes[2499].rocket, std::nullopt}));
}

}  // namespace rockets::test
