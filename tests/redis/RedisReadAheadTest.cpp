// The read-ahead: the consumer's next read of a channel it just wrote comes with the
// write's round trip, and its read after an append of the channel's highest message
// needs none; each page is used once, for a read from its first number only.
// Counted with Redis' own command statistics (ZRANGEBYSCORE calls).
#include "Messages.h"
#include "RedisStores.h"

#include <gtest/gtest.h>

#include <thread>

namespace rockets::test {

namespace {

/// How many ZRANGEBYSCORE calls the server has run since the last CONFIG RESETSTAT.
int rangeReads(const RedisServer& server) {
    return static_cast<int>(server.infoNumber("commandstats", "cmdstat_zrangebyscore:calls=").value_or(0));
}

std::vector<std::int64_t> numbersOf(const std::vector<Message>& messages) {
    std::vector<std::int64_t> numbers;
    for (const auto& m : messages) numbers.push_back(m.number);
    return numbers;
}

class RedisReadAhead : public ::testing::Test {
protected:
    void SetUp() override {
        stores_.open();
        for (int n = 1; n <= 3; ++n) ASSERT_EQ(stores_.events().append(speedUp("x", n, n)), AppendResult::Stored);
        // The event store is read through this backend, so its writes read ahead.
        ASSERT_EQ(numbersOf(stores_.events().readMany({{"x", 1, 16}})[0]), (std::vector<std::int64_t>{1, 2, 3}));
        // Loads the script: a NOSCRIPT round would send the read-ahead twice.
        ASSERT_TRUE(stores_.rockets().compareAndSet(rocket("warm-up", 1), 0));
        ASSERT_EQ(server_.command({"CONFIG", "RESETSTAT"}), "OK");
    }

    RedisServer server_;  // private: its command statistics are this test's alone
    RedisStores stores_{server_, RedisStores::uniquePrefix("ahead")};
};

}  // namespace

TEST_F(RedisReadAhead, TheReadAfterACompareAndSetComesWithItsRoundTripOnce) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}}), std::vector<bool>{true});
    EXPECT_EQ(rangeReads(server_), 1) << "the write read the log after its version in the same pipeline";
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 16}})[0]), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(rangeReads(server_), 1) << "and that read answered readMany";

    ASSERT_EQ(stores_.events().append(speedUp("x", 4, 4)), AppendResult::Stored);
    const int beforeRead = rangeReads(server_);  // the append script looks the number up with one
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 16}})[0]), (std::vector<std::int64_t>{2, 3, 4}))
        << "a page answers one readMany; later reads see later appends";
    EXPECT_EQ(rangeReads(server_), beforeRead + 1);
}

TEST_F(RedisReadAhead, APageAnswersOnlyAReadFromItsFirstNumberAndIsUsedUpByAnyRead) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}, {rocket("y", 1), 0}}),
              (std::vector<bool>{true, true}));
    const auto pages = stores_.events().readMany({{"x", 3, 16}, {"y", 2, 16}});
    EXPECT_EQ(numbersOf(pages[0]), std::vector<std::int64_t>{3}) << "another start: read from Redis";
    EXPECT_TRUE(pages[1].empty()) << "y has no log, and its page says so";
    EXPECT_EQ(rangeReads(server_), 2 + 1);
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 16}})[0]), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(rangeReads(server_), 2 + 2) << "x's page went with the first read of x";
}

TEST_F(RedisReadAhead, APageIsCutToASmallerMax) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}}), std::vector<bool>{true});
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 1}})[0]), std::vector<std::int64_t>{2});
    EXPECT_EQ(rangeReads(server_), 1);
}

TEST_F(RedisReadAhead, AFullPageDoesNotAnswerALargerRange) {
    for (int n = 4; n <= 100; ++n) ASSERT_EQ(stores_.events().append(speedUp("x", n, n)), AppendResult::Stored);
    ASSERT_EQ(server_.command({"CONFIG", "RESETSTAT"}), "OK");
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}}), std::vector<bool>{true});
    EXPECT_EQ(stores_.events().readMany({{"x", 2, 512}})[0].size(), 99u)
        << "the page read ahead is full, so more may follow it: read from Redis";
    EXPECT_EQ(rangeReads(server_), 2);
}

TEST_F(RedisReadAhead, AnAppendOfTheHighestNumberLeavesItsPageForAnyThread) {
    ASSERT_EQ(stores_.events().append(speedUp("x", 4, 4)), AppendResult::Stored);
    const int afterAppend = rangeReads(server_);  // the append script looks the number up with one
    std::vector<Message> read;
    std::thread consumer([&] { read = stores_.events().readMany({{"x", 4, 16}})[0]; });
    consumer.join();
    EXPECT_EQ(read, std::vector<Message>{speedUp("x", 4, 4)});
    EXPECT_EQ(rangeReads(server_), afterAppend) << "nothing above 4 was stored: the log from 4 is just 4";
}

TEST_F(RedisReadAhead, AnAppendBelowTheHeadLeavesNoPage) {
    ASSERT_EQ(stores_.events().append(speedUp("x", 10, 10)), AppendResult::Stored);
    ASSERT_EQ(stores_.events().append(speedUp("x", 5, 5)), AppendResult::Stored);
    const int afterAppends = rangeReads(server_);
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 5, 16}})[0]), (std::vector<std::int64_t>{5, 10}));
    EXPECT_EQ(rangeReads(server_), afterAppends + 1);
}

TEST_F(RedisReadAhead, ALostCompareAndSetReadsNothingAhead) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 5}}), std::vector<bool>{false});
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 16}})[0]), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(rangeReads(server_), 2) << "the page of a write that did not happen is not kept";
}

}  // namespace rockets::test
