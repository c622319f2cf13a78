#include "FakeRocketsServer.h"

#include "rockets/Codec.h"
#include "rockets/sim/Sender.h"
#include "rockets/sim/TrafficGenerator.h"
#include "rockets/sim/Version.h"

#include <Poco/Net/ServerSocket.h>

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using rockets::Message;
using rockets::sim::LiveCounters;
using rockets::sim::Sender;
using rockets::sim::SenderSettings;
using rockets::sim::SendStats;
using rockets::sim::test::FakeRocketsServer;

namespace {

std::vector<Message> messages(std::size_t count) {
    return rockets::sim::TrafficGenerator({444, 3, count, false}).generate();
}

SenderSettings fastRetries(unsigned concurrency = 1) {
    SenderSettings settings;
    settings.concurrency = concurrency;
    settings.retryInterval = 10ms;
    settings.retryFor = 10s;
    return settings;
}

}  // namespace

TEST(Sender, RetriesEveryNon2xxAnswerUntilAcked) {
    FakeRocketsServer fake;
    fake.scriptPostStatuses({503, 400, 500});
    LiveCounters live;
    const SendStats stats = Sender({fake.target()}, fastRetries()).run(messages(1), live);
    EXPECT_EQ(stats.acked, 1u);
    EXPECT_EQ(stats.retries, 3u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.outcomes, (std::map<std::string, std::size_t>{{"202", 1}, {"400", 1}, {"500", 1}, {"503", 1}}));
    const auto posts = fake.posts();
    ASSERT_EQ(posts.size(), 4u);
    for (const auto& post : posts) EXPECT_EQ(post.body, rockets::encodeMessage(messages(1)[0]));
    EXPECT_EQ(live.acked.load(), 1u);
    EXPECT_EQ(live.retries.load(), 3u);
}

TEST(Sender, RetryForZeroRetriesForeverLikeTheRealProgram) {
    FakeRocketsServer fake;
    // Far more failures than any finite retryFor of this test's 10 ms interval would allow.
    fake.scriptPostStatuses(std::deque<int>(300, 503));
    SenderSettings settings = fastRetries();
    settings.retryInterval = 1ms;
    settings.retryFor = std::chrono::nanoseconds(0);
    LiveCounters live;
    const SendStats stats = Sender({fake.target()}, settings).run(messages(1), live);
    EXPECT_EQ(stats.acked, 1u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.retries, 300u);
}

TEST(Sender, SaysWhoItIsInTheUserAgent) {
    FakeRocketsServer fake;
    LiveCounters live;
    ASSERT_EQ(Sender({fake.target()}, fastRetries()).run(messages(1), live).acked, 1u);
    ASSERT_EQ(fake.posts().size(), 1u);
    EXPECT_EQ(fake.posts()[0].userAgent, rockets::sim::userAgent());
    EXPECT_EQ(rockets::sim::userAgent().rfind("rockets-sim/", 0), 0u);
}

TEST(Sender, GivesUpAfterRetryForAndStartsNoNewSends) {
    FakeRocketsServer fake;
    fake.scriptPostStatuses(std::deque<int>(1000, 503));
    SenderSettings settings = fastRetries();
    settings.retryFor = 50ms;
    LiveCounters live;
    const SendStats stats = Sender({fake.target()}, settings).run(messages(3), live);
    EXPECT_EQ(stats.acked, 0u);
    EXPECT_EQ(stats.failed, 1u);
    EXPECT_EQ(stats.unsent, 2u);
    EXPECT_GE(stats.retries, 1u);
}

TEST(Sender, RetriesRefusedConnections) {
    // Bound but not listening: connections are refused, and the port stays ours for
    // the whole test (a closed server's port can be taken by a parallel test's server).
    Poco::Net::ServerSocket notListening;
    notListening.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
    const int port = notListening.address().port();
    SenderSettings settings = fastRetries();
    settings.retryFor = 50ms;
    LiveCounters live;
    const auto target = rockets::sim::Target::parse("http://127.0.0.1:" + std::to_string(port) + "/messages");
    const SendStats stats = Sender({target}, settings).run(messages(1), live);
    EXPECT_EQ(stats.failed, 1u);
    EXPECT_GE(stats.outcomes.at("connection_error"), 1u);
}

TEST(Sender, SpreadsMessagesRoundRobinOverTargets) {
    FakeRocketsServer first;
    FakeRocketsServer second;
    const auto sends = messages(10);
    LiveCounters live;
    const SendStats stats = Sender({first.target(), second.target()}, fastRetries()).run(sends, live);
    EXPECT_EQ(stats.acked, 10u);
    const auto a = first.posts();
    const auto b = second.posts();
    ASSERT_EQ(a.size(), 5u);
    ASSERT_EQ(b.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(a[i].body, rockets::encodeMessage(sends[2 * i]));
        EXPECT_EQ(b[i].body, rockets::encodeMessage(sends[2 * i + 1]));
    }
}

TEST(Sender, ClosesTheConnectionAfterEachMessageUnlessKeepAlive) {
    FakeRocketsServer fake;
    LiveCounters live;
    Sender({fake.target()}, fastRetries(2)).run(messages(4), live);
    SenderSettings keepAlive = fastRetries(2);
    keepAlive.keepAlive = true;
    Sender({fake.target()}, keepAlive).run(messages(4), live);
    const auto posts = fake.posts();
    ASSERT_EQ(posts.size(), 8u);
    std::size_t keptAlive = 0;
    for (const auto& post : posts) keptAlive += post.keepAlive;
    EXPECT_EQ(keptAlive, 4u);
}

TEST(Sender, CountsDuplicateAnswersAndAllConcurrentSendsArrive) {
    FakeRocketsServer fake;
    fake.scriptPostStatuses({200, 200});
    LiveCounters live;
    const auto sends = messages(200);
    const SendStats stats = Sender({fake.target()}, fastRetries(8)).run(sends, live);
    EXPECT_EQ(stats.acked, 200u);
    EXPECT_EQ(stats.serverDuplicates, 2u);
    std::multiset<std::string> received, sent;
    for (const auto& post : fake.posts()) received.insert(post.body);
    for (const auto& m : sends) sent.insert(rockets::encodeMessage(m));
    EXPECT_EQ(received, sent);
}
