// The read-ahead of compareAndSetMany: the consumer's next read of a channel it just
// wrote comes with the write's round trip, once, for that range only, on that thread.
// Counted with Redis' own command statistics (ZRANGEBYSCORE calls).
#include "Messages.h"
#include "RedisStores.h"

#include <gtest/gtest.h>

#include <thread>

namespace rockets::test {

namespace {

/// How many ZRANGEBYSCORE calls the server has run since the last CONFIG RESETSTAT.
int rangeReads(const RedisServer& server) {
    const std::string stats = server.command({"INFO", "commandstats"});
    const std::string field = "cmdstat_zrangebyscore:calls=";
    const auto at = stats.find(field);
    return at == std::string::npos ? 0 : std::stoi(stats.substr(at + field.size()));
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

TEST_F(RedisReadAhead, APageAnswersOnlyTheRangeItHolds) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}, {rocket("y", 1), 0}}),
              (std::vector<bool>{true, true}));
    const auto pages = stores_.events().readMany({{"x", 3, 16}, {"x", 2, 1}, {"y", 2, 16}});
    EXPECT_EQ(numbersOf(pages[0]), std::vector<std::int64_t>{3}) << "another start: read from Redis";
    EXPECT_EQ(numbersOf(pages[1]), std::vector<std::int64_t>{2}) << "a page cut to a smaller max";
    EXPECT_TRUE(pages[2].empty()) << "y has no log";
    EXPECT_EQ(rangeReads(server_), 2 + 1) << "two read ahead, only the one for x from 3 read again";
}

TEST_F(RedisReadAhead, AFullPageDoesNotAnswerALargerRange) {
    for (int n = 4; n <= 100; ++n) ASSERT_EQ(stores_.events().append(speedUp("x", n, n)), AppendResult::Stored);
    ASSERT_EQ(server_.command({"CONFIG", "RESETSTAT"}), "OK");
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}}), std::vector<bool>{true});
    EXPECT_EQ(stores_.events().readMany({{"x", 2, 512}})[0].size(), 99u)
        << "the page read ahead is full, so more may follow it: read from Redis";
    EXPECT_EQ(rangeReads(server_), 2);
}

TEST_F(RedisReadAhead, PagesBelongToTheThreadThatWrote) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 0}}), std::vector<bool>{true});
    std::vector<Message> read;
    std::thread other([&] { read = stores_.events().readMany({{"x", 2, 16}})[0]; });
    other.join();
    EXPECT_EQ(numbersOf(read), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(rangeReads(server_), 2) << "another thread's read is its own";
}

TEST_F(RedisReadAhead, ALostCompareAndSetReadsNothingAhead) {
    ASSERT_EQ(stores_.rockets().compareAndSetMany({{rocket("x", 1), 5}}), std::vector<bool>{false});
    EXPECT_EQ(numbersOf(stores_.events().readMany({{"x", 2, 16}})[0]), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(rangeReads(server_), 2) << "the page of a write that did not happen is not kept";
}

}  // namespace rockets::test
