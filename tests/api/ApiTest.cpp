#include "Backends.h"
#include "InProcessServer.h"
#include "HttpClient.h"
#include "Messages.h"
#include "Service.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"
#include "rockets/PluginLoader.h"
#include "rockets/StoreErrors.h"
#include "rockets/Stores.h"

#include <Poco/AutoPtr.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

namespace rockets::test {

namespace {

class Api : public ::testing::Test {
protected:
    void SetUp() override {
        startService({});
    }
    void TearDown() override { service_.reset(); }

    void startService(const std::string& token, std::size_t maxBody = 65536) {
        service_.reset();
        service_ = rockets::test::startService(stores_, [&](server::Settings& settings) {
            settings.webhookToken = token;
            settings.maxBodyBytes = maxBody;
            settings.consumerWorkers = 2;
            settings.maxThreads = 16;
        });
    }

    HttpResult post(const std::string& body, const std::map<std::string, std::string>& headers = {}) {
        return httpRequest(service_->port(), "POST", "/messages", body, headers);
    }
    HttpResult get(const std::string& target) { return httpRequest(service_->port(), "GET", target); }

    /// Waits for the consumer to apply everything accepted so far.
    void settle() { ASSERT_TRUE(service_->consumer().waitIdle(std::chrono::seconds(30))); }

    static void expectError(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
        auto parsed = r.body.find("\"code\":\"" + code + "\"");
        EXPECT_NE(parsed, std::string::npos) << r.body;
        EXPECT_EQ(r.body.rfind("{\"error\":{\"code\":", 0), 0u) << r.body;
        EXPECT_NE(r.body.find("\"message\":\""), std::string::npos) << r.body;
    }

    FaultInjectingMemory memory_;
    Stores& stores_ = memory_.stores();
    FaultInjectingEventStore& events_ = memory_.events();
    std::unique_ptr<server::Service> service_;
};

const std::string kChannel = "193270a9-c9cf-404a-8f83-838e71d9ae67";

}  // namespace

TEST_F(Api, NewMessageIsAcceptedAndApplied) {
    auto r = post(encodeMessage(launched(kChannel, 1)));
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, R"({"status":"accepted"})");
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    settle();
    auto rocket = get("/rockets/" + kChannel);
    EXPECT_EQ(rocket.status, 200);
    EXPECT_EQ(decodeRocket(rocket.body), [] { Rocket x; apply(x, launched(kChannel, 1)); return x; }());
}

TEST_F(Api, EveryAnswerIsDatedNowAndTheDateMovesOn) {
    // RFC 9110 §6.6.1: an origin server with a clock sends Date. The edge formats it
    // once per second and thread; a cached text must still follow the clock.
    const auto dateOf = [](const HttpResult& r) {
        int zone = 0;
        return Poco::DateTimeParser::parse(Poco::DateTimeFormat::HTTP_FORMAT, r.header("Date"), zone).timestamp();
    };
    const auto near = [](const Poco::Timestamp& date) {
        return std::abs(date.epochTime() - Poco::Timestamp().epochTime()) <= 2;
    };
    const HttpResult first = get("/rockets");
    ASSERT_EQ(first.status, 200);
    EXPECT_TRUE(near(dateOf(first))) << first.header("Date");
    const HttpResult rejected = post("{");
    ASSERT_EQ(rejected.status, 400);
    EXPECT_TRUE(near(dateOf(rejected))) << rejected.header("Date");

    // Ask until the second turns (a bounded wait on the clock, not a sleep).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    HttpResult later = get("/rockets");
    while (later.header("Date") == first.header("Date") && std::chrono::steady_clock::now() < deadline) {
        later = get("/rockets");
    }
    EXPECT_NE(later.header("Date"), first.header("Date")) << "the Date header stood still for 5 s";
    EXPECT_TRUE(near(dateOf(later))) << later.header("Date");
}

TEST_F(Api, SameMessageAgainIsDuplicateEvenWithAnotherTime) {
    ASSERT_EQ(post(encodeMessage(speedUp(kChannel, 2, 5, "2022-01-01T00:00:00Z"))).status, 202);
    auto r = post(encodeMessage(speedUp(kChannel, 2, 5, "2022-01-01T00:00:09.123Z")));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"duplicate"})");
}

TEST_F(Api, SameKeyOtherPayloadIsConflictAndFirstWins) {
    ASSERT_EQ(post(encodeMessage(launched(kChannel, 1))).status, 202);
    ASSERT_EQ(post(encodeMessage(speedUp(kChannel, 2, 5))).status, 202);
    auto r = post(encodeMessage(speedUp(kChannel, 2, 6)));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"conflict"})");
    settle();
    EXPECT_EQ(decodeRocket(get("/rockets/" + kChannel).body)->speed, 505);
    EXPECT_EQ(service_->metrics().total(server::Outcome::Conflict), 1u);
}

TEST_F(Api, MalformedAndInvalidBodiesAre400AndChangeNothing) {
    expectError(post("{not json"), 400, "malformed_json");
    expectError(post(""), 400, "malformed_json");
    expectError(post(R"({"metadata":{"channel":"c","messageNumber":1.0,"messageTime":"2022-01-01T00:00:00Z",)"
                     R"("messageType":"RocketLaunched"},"message":{"type":"T","launchSpeed":1,"mission":"M"}})"),
                400, "invalid_message");
    expectError(post(R"({"metadata":{"channel":"c","messageNumber":1,"messageTime":"2022-01-01T00:00:00Z",)"
                     R"("messageType":"RocketLaunched"},"message":{"type":"T","launchSpeed":"1","mission":"M"}})"),
                400, "invalid_message");
    expectError(post("{\"metadata\":\"\xff\"}"), 400, "malformed_json");
    settle();
    EXPECT_TRUE(stores_.events().changedSince(0).channels.empty());
    EXPECT_EQ(get("/rockets").header("X-Total-Count"), "0");
}

TEST_F(Api, BodyOverTheLimitIs413) {
    startService("", 200);
    std::string big = encodeMessage(launched(std::string(150, 'x'), 1, std::string(100, 'T')));
    ASSERT_GT(big.size(), 200u);
    expectError(post(big), 413, "payload_too_large");
    // Without Content-Length (chunked) the limit holds as well.
    expectError(post(big, {{"Transfer-Encoding", "chunked"}}), 413, "payload_too_large");
    EXPECT_TRUE(stores_.events().changedSince(0).channels.empty());
    EXPECT_EQ(post(encodeMessage(launched("small", 1))).status, 202) << "the server still serves";
}

TEST_F(Api, ChunkedBodyWithinTheLimitIsAccepted) {
    auto r = post(encodeMessage(launched("chunky", 1)), {{"Transfer-Encoding", "chunked"}});
    EXPECT_EQ(r.status, 202) << r.body;
}

TEST_F(Api, WebhookTokenIsRequiredWhenSet) {
    startService("s3cret");
    const std::string body = encodeMessage(launched(kChannel, 1));
    expectError(post(body), 401, "unauthorized");
    expectError(post(body, {{"Authorization", "Bearer wrong"}}), 401, "unauthorized");
    expectError(post(body, {{"Authorization", "s3cret"}}), 401, "unauthorized");
    EXPECT_TRUE(stores_.events().changedSince(0).channels.empty());
    EXPECT_EQ(post(body, {{"Authorization", "Bearer s3cret"}}).status, 202);
    EXPECT_EQ(get("/rockets").status, 200) << "reads need no token";
}

TEST_F(Api, UnavailableStoreIs503WithRetryAfterAndRecovers) {
    events_.down = true;
    auto r = post(encodeMessage(launched(kChannel, 1)));
    expectError(r, 503, "unavailable");
    EXPECT_EQ(r.header("Retry-After"), "1");
    EXPECT_EQ(get("/healthz").status, 503);
    events_.down = false;
    EXPECT_EQ(post(encodeMessage(launched(kChannel, 1))).status, 202);
    EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(Api, UnknownRocketAndUnlaunchedRocketAre404) {
    expectError(get("/rockets/nope"), 404, "not_found");
    ASSERT_EQ(post(encodeMessage(speedUp("early", 2, 5))).status, 202);
    ASSERT_EQ(post(encodeMessage(speedUp("early", 1, 5))).status, 202);  // applied, but not a launch
    settle();
    EXPECT_EQ(stores_.rockets().get("early")->lastMessageNumber, 2);
    expectError(get("/rockets/early"), 404, "not_found");
    EXPECT_EQ(get("/rockets").body, "[]");
}

TEST_F(Api, UnknownPathIs404AndWrongMethodIs405WithAllow) {
    expectError(get("/nope"), 404, "not_found");
    expectError(get("/rockets/a/b"), 404, "not_found");
    expectError(get("/assets/nope.js"), 404, "not_found");
    auto r = httpRequest(service_->port(), "GET", "/messages");
    expectError(r, 405, "method_not_allowed");
    EXPECT_EQ(r.header("Allow"), "POST, OPTIONS");
    r = httpRequest(service_->port(), "DELETE", "/rockets/" + kChannel);
    expectError(r, 405, "method_not_allowed");
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, OPTIONS");
    r = httpRequest(service_->port(), "POST", "/rockets", "{}");
    expectError(r, 405, "method_not_allowed");
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, OPTIONS");
    r = httpRequest(service_->port(), "PUT", "/messages", "{}");
    EXPECT_EQ(r.header("Allow"), "POST, OPTIONS");
    r = httpRequest(service_->port(), "HEAD", "/messages");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "POST, OPTIONS");
}

TEST_F(Api, ChannelIdsArePercentDecoded) {
    const std::string channel = "rocket one/é?#%";
    ASSERT_EQ(post(encodeMessage(launched(channel, 1))).status, 202);
    settle();
    auto r = get("/rockets/rocket%20one%2F%C3%A9%3F%23%25");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(decodeRocket(r.body)->channel, channel);
    expectError(get("/rockets/rocket%20one"), 404, "not_found");
}

TEST_F(Api, ListSortsFiltersAndPagesWithTotalCount) {
    // speeds 500 + 100*i, types alternate, every third exploded
    for (int i = 0; i < 9; ++i) {
        const std::string channel = "r" + std::to_string(i);
        ASSERT_EQ(post(encodeMessage(launched(channel, 1, i % 2 ? "Saturn-V" : "Falcon-9", 500 + 100 * i,
                                              i < 4 ? "APOLLO" : "ARTEMIS"))).status, 202);
        if (i % 3 == 0) {
            ASSERT_EQ(post(encodeMessage(exploded(channel, 2, "BOOM"))).status, 202);
        }
    }
    settle();
    auto r = get("/rockets?sort=speed&order=desc&limit=3&offset=1");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("X-Total-Count"), "9");
    auto page = decodeRockets(r.body);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->size(), 3u);
    EXPECT_EQ((*page)[0].channel, "r7");
    EXPECT_EQ((*page)[2].channel, "r5");

    r = get("/rockets?status=EXPLODED&sort=speed");
    EXPECT_EQ(r.header("X-Total-Count"), "3");
    page = decodeRockets(r.body);
    ASSERT_EQ(page->size(), 3u);
    EXPECT_EQ((*page)[0].channel, "r0");
    EXPECT_EQ((*page)[0].reason, "BOOM");

    r = get("/rockets?type=Saturn-V&mission=ARTEMIS&status=ACTIVE");
    EXPECT_EQ(r.header("X-Total-Count"), "2");  // odd i >= 4 and not exploded: r5, r7
    page = decodeRockets(r.body);
    std::vector<std::string> channels;
    for (auto& x : *page) channels.push_back(x.channel);
    EXPECT_EQ(channels, (std::vector<std::string>{"r5", "r7"}));

    r = get("/rockets?mission=Mars%20One");
    EXPECT_EQ(r.header("X-Total-Count"), "0");
    EXPECT_EQ(r.body, "[]");

    r = get("/rockets?sort=channel&order=desc&limit=2");
    page = decodeRockets(r.body);
    EXPECT_EQ((*page)[0].channel, "r8");
    EXPECT_EQ(r.header("X-Total-Count"), "9");
}

TEST_F(Api, BadListParametersAre400) {
    for (const char* q : {"sort=colour", "order=up", "limit=0", "limit=10001", "limit=-1", "limit=abc", "limit=1.5",
                          "offset=-1", "offset=x", "status=LOST", "sort=", "limit="}) {
        expectError(get(std::string("/rockets?") + q), 400, "invalid_query");
    }
    EXPECT_EQ(get("/rockets?limit=10000&offset=0&sort=lastMessageNumber&order=asc&status=ACTIVE&type=T&mission=M")
                  .status,
              200);
}

TEST_F(Api, UnknownQueryParameterIs400NamingIt) {
    auto r = get("/rockets?sortt=speed");
    expectError(r, 400, "invalid_query");
    EXPECT_NE(r.body.find("'sortt'"), std::string::npos) << r.body;
    r = get("/rockets?sort=speed&Limit=5");
    expectError(r, 400, "invalid_query");
    EXPECT_NE(r.body.find("'Limit'"), std::string::npos) << "names are case-sensitive: " << r.body;
    r = get("/rockets/" + kChannel + "?verbose=1");
    expectError(r, 400, "invalid_query");
    EXPECT_NE(r.body.find("'verbose'"), std::string::npos) << r.body;
}

TEST_F(Api, HostileRequestsNeverCrashOrHangTheServer) {
    rawExchange(service_->port(), "GARBAGE\r\n\r\n");
    rawExchange(service_->port(), std::string(100000, 'A'));
    rawExchange(service_->port(), "POST /messages HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n{");
    rawExchange(service_->port(), "POST /messages HTTP/1.1\r\nContent-Length: 10\r\n\r\n{", 300);  // short body
    rawExchange(service_->port(), "GET /rockets/%zz HTTP/1.1\r\n\r\n");
    rawExchange(service_->port(), "POST /messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    std::string deep;
    for (int i = 0; i < 50000; ++i) deep += "[";
    expectError(post(deep), 400, "invalid_message");
    EXPECT_EQ(get("/healthz").status, 200);
    EXPECT_EQ(post(encodeMessage(launched("alive", 1))).status, 202);
}

TEST_F(Api, MetricsCountOutcomes) {
    post(encodeMessage(launched("m", 1)));
    post(encodeMessage(launched("m", 1)));
    post("nope");
    settle();
    auto r = get("/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("rockets_messages_total{outcome=\"accepted\"} 1\n"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("rockets_messages_total{outcome=\"duplicate\"} 1\n"), std::string::npos);
    EXPECT_NE(r.body.find("rockets_messages_total{outcome=\"invalid\"} 1\n"), std::string::npos);
    EXPECT_NE(r.body.find("rockets_messages_applied_total 1\n"), std::string::npos);
}

TEST_F(Api, ShuffledDuplicatedStreamFromEightClientsConvergesToInOrderFold) {
    constexpr int kChannels = 100;
    constexpr int kMessages = 10000;
    std::mt19937 rng(2024);
    std::vector<Message> stream;
    std::map<std::string, Rocket> expected;
    for (int n = 1; n <= kMessages / kChannels; ++n) {
        for (int c = 0; c < kChannels; ++c) {
            const std::string channel = "stream-" + std::to_string(c);
            const std::string time = "2022-02-02T10:" + std::to_string(10 + n / 60) + ":" + std::to_string(10 + n % 49) + "Z";
            Message m = n == 1        ? launched(channel, 1, "T", 500, "M", time)
                        : n % 17 == 0 ? missionChanged(channel, n, "M" + std::to_string(n), time)
                        : n == 95 && c % 10 == 0 ? exploded(channel, n, "late", time)
                        : n % 2       ? speedUp(channel, n, rng() % 100, time)
                                      : slowDown(channel, n, rng() % 100, time);
            apply(expected[channel], m);
            stream.push_back(std::move(m));
        }
    }
    std::vector<Message> delivery = stream;
    for (int i = 0; i < kMessages / 5; ++i) delivery.push_back(stream[rng() % stream.size()]);  // 20% duplicates
    std::shuffle(delivery.begin(), delivery.end(), rng);

    std::atomic<std::size_t> next{0};
    std::atomic<int> accepted{0}, duplicates{0}, other{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
        clients.emplace_back([&] {
            for (std::size_t i = next++; i < delivery.size(); i = next++) {
                auto r = post(encodeMessage(delivery[i]));
                if (r.status == 202) ++accepted;
                else if (r.status == 200 && r.body == R"({"status":"duplicate"})") ++duplicates;
                else ++other;
            }
        });
    }
    for (auto& c : clients) c.join();
    EXPECT_EQ(accepted.load(), kMessages);
    EXPECT_EQ(duplicates.load(), kMessages / 5);
    EXPECT_EQ(other.load(), 0);
    settle();
    for (const auto& [channel, rocket] : expected) {
        auto r = get("/rockets/" + channel);
        ASSERT_EQ(r.status, 200) << channel;
        EXPECT_EQ(decodeRocket(r.body), rocket) << channel;
    }
    auto all = get("/rockets?limit=10000");
    EXPECT_EQ(all.header("X-Total-Count"), std::to_string(kChannels));
}

}  // namespace rockets::test
