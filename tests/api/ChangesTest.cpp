// GET /changes (the SSE change stream) and GET /rockets/{channel}/messages (a rocket's
// history) through the real HTTP edge, on the memory backend.
#include "Backends.h"
#include "ExchangeRecorder.h"
#include "HttpClient.h"
#include "Messages.h"
#include "InProcessServer.h"
#include "Service.h"
#include "SseClient.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

class Changes : public ::testing::Test {
protected:
    void SetUp() override { start(); }
    void TearDown() override { service_.reset(); }

    void start(const std::function<void(server::Settings&)>& tweak = {}) {
        service_.reset();
        service_ = startService(backend_.stores(), tweak);
    }

    int port() const { return service_->port(); }

    HttpResult post(const Message& m) { return httpRequest(port(), "POST", "/messages", encodeMessage(m)); }
    void settle() { ASSERT_TRUE(service_->consumer().waitIdle(30s)); }

    Rocket folded(const std::vector<Message>& messages) {
        Rocket r;
        for (const auto& m : messages) apply(r, m);
        return r;
    }

    BackendUnderTest backend_{"memory"};
    std::unique_ptr<server::Service> service_;
};

}  // namespace

TEST_F(Changes, AnAppliedMessageArrivesOnTheStreamAsTheRocketOfGetRockets) {
    SseClient stream(port(), "/changes");
    const std::string head = stream.readUntil("retry: 2000\n\n");
    EXPECT_EQ(stream.status(), 200) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream; charset=utf-8"), std::string::npos) << head;
    EXPECT_NE(head.find("Cache-Control: no-cache"), std::string::npos) << head;

    ASSERT_EQ(post(launched("sse", 1)).status, 202);
    settle();
    const HttpResult one = httpRequest(port(), "GET", "/rockets/sse");
    ASSERT_EQ(one.status, 200);
    ASSERT_TRUE(stream.waitFor("event: rocket\ndata: " + one.body + "\n\n")) << stream.received();
    const std::string got = stream.received();
    EXPECT_NE(got.find("id: " + service_->streams().epoch() + "-"), std::string::npos) << got;
}

TEST_F(Changes, FiltersOfTheQueryApply) {
    SseClient stream(port(), "/changes?type=Saturn-V");
    ASSERT_TRUE(stream.waitFor("retry: 2000\n\n")) << stream.received();
    ASSERT_EQ(post(launched("f1", 1, "Falcon-9")).status, 202);
    ASSERT_EQ(post(launched("s1", 1, "Saturn-V")).status, 202);
    settle();
    ASSERT_TRUE(stream.waitFor(rocketEvent(folded({launched("s1", 1, "Saturn-V")})))) << stream.received();
    const std::string got = stream.received();
    EXPECT_EQ(got.find("\"channel\":\"f1\""), std::string::npos) << got;
}

TEST_F(Changes, BadQueriesAreRefusedBeforeTheStreamStarts) {
    for (const std::string target : {"/changes?status=BURNING", "/changes?sort=speed", "/changes?snapshot=yes",
                                    "/changes?every=1"}) {
        const HttpResult r = httpRequest(port(), "GET", target);
        EXPECT_EQ(r.status, 400) << target;
        EXPECT_NE(r.body.find("\"code\":\"invalid_query\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(httpRequest(port(), "POST", "/changes", "{}").status, 405);
}

TEST_F(Changes, EveryTrueSendsEveryChangeWhereTheDefaultSendsARocketsNewestState) {
    SseClient first(port(), "/changes");
    ASSERT_TRUE(first.waitFor("retry: 2000\n\n")) << first.received();
    const std::vector<Message> messages = {launched("e", 1), speedUp("e", 2, 10), speedUp("e", 3, 20)};
    std::vector<Message> applied;
    for (const Message& m : messages) {
        // One change each: the next is posted once this one is on the stream.
        ASSERT_EQ(post(m).status, 202);
        applied.push_back(m);
        ASSERT_TRUE(first.waitFor(rocketEvent(folded(applied)))) << first.received();
    }
    const std::string got = first.received();
    const auto idAt = got.find("id: ");
    ASSERT_NE(idAt, std::string::npos) << got;
    const std::string epoch = got.substr(idAt + 4, got.find('-', idAt) - idAt - 4);
    // Replayed from the first change on, all three are taken in one flush.
    SseClient every(port(), "/changes?every=true", "Last-Event-ID: " + epoch + "-0\r\n");
    SseClient newest(port(), "/changes", "Last-Event-ID: " + epoch + "-0\r\n");
    const std::string last = rocketEvent(folded(messages));
    ASSERT_TRUE(every.waitFor(last)) << every.received();
    ASSERT_TRUE(newest.waitFor(last)) << newest.received();
    for (const std::string& earlier : {rocketEvent(folded({messages[0]})), rocketEvent(folded({messages[0], messages[1]}))}) {
        EXPECT_NE(every.received().find(earlier), std::string::npos) << every.received();
        EXPECT_EQ(newest.received().find(earlier), std::string::npos) << newest.received();
    }
}

TEST_F(Changes, SnapshotSendsTheStoredRocketsFirst) {
    ASSERT_EQ(post(launched("old", 1)).status, 202);
    settle();
    SseClient stream(port(), "/changes?snapshot=true");
    ASSERT_TRUE(stream.waitFor(rocketEvent(folded({launched("old", 1)})))) << stream.received();
}

// The snapshot is read a page (1000 rockets) at a time. With the stream's filter in the
// list query, a rocket leaving the filter before the next page's offset would shift that
// page by one and the rocket at the boundary would be in neither page, nor ever on the
// stream (it did not change). Rockets never leave the unfiltered list.
TEST(ChangesSnapshot, ARocketLeavingTheFilterBetweenPagesDoesNotHideAnother) {
    FaultInjectingMemory memory;
    RocketStore& rockets = memory.stores().rockets();
    char name[16];
    for (int i = 0; i <= 1000; ++i) {  // a0000 .. a1000: 1001 active rockets, one more than a page
        std::snprintf(name, sizeof name, "a%04d", i);
        ASSERT_TRUE(rockets.compareAndSet(rocket(name, 1), 0));
    }
    std::atomic<bool> exploded{false};
    memory.rockets().afterList = [&](const RocketQuery& query) {
        // After the snapshot's first page, the first rocket explodes: it leaves status=ACTIVE.
        if (query.offset != 0 || query.limit != 1000 || exploded.exchange(true)) return;
        ASSERT_TRUE(rockets.compareAndSet(
            rocket("a0000", 2, "Falcon-9", 500, "ARTEMIS", RocketStatus::Exploded), 1));
    };
    auto service = startService(memory.stores());
    SseClient stream(service->port(), "/changes?snapshot=true&status=ACTIVE");
    ASSERT_TRUE(stream.waitFor("event: rocket\ndata: " + encodeRocket(rocket("a1000", 1)) + "\n\n"))
        << stream.received().substr(0, 300) << " ... " << stream.received().substr(stream.received().size() - 300);
    EXPECT_TRUE(exploded);
}

TEST_F(Changes, ALastEventIdResumesAndOneFromAnotherProcessResyncs) {
    SseClient first(port(), "/changes");
    ASSERT_TRUE(first.waitFor("retry: 2000\n\n")) << first.received();
    ASSERT_EQ(post(launched("r", 1)).status, 202);
    settle();
    ASSERT_TRUE(first.waitFor(rocketEvent(folded({launched("r", 1)})))) << first.received();
    const std::string got = first.received();
    const auto idAt = got.rfind("id: ");
    const std::string id = got.substr(idAt + 4, got.find('\n', idAt) - idAt - 4);
    ASSERT_EQ(post(speedUp("r", 2, 10)).status, 202);
    settle();
    // A client that reconnects with the id of the first change gets the second one replayed.
    SseClient resumed(port(), "/changes", "Last-Event-ID: " + id + "\r\n");
    ASSERT_TRUE(resumed.waitFor(rocketEvent(folded({launched("r", 1), speedUp("r", 2, 10)})))) << resumed.received();
    const std::string replay = resumed.received();
    EXPECT_EQ(replay.find("resync"), std::string::npos) << replay;
    SseClient stranger(port(), "/changes", "Last-Event-ID: 0badc0de-12\r\n");
    ASSERT_TRUE(stranger.waitFor("event: resync\ndata: {\"reason\":\"restart\"}\n\n")) << stranger.received();
}

TEST_F(Changes, StreamsAreCappedWith503) {
    start([](server::Settings& s) { s.maxStreams = 2; });
    SseClient a(port(), "/changes");
    SseClient b(port(), "/changes");
    ASSERT_TRUE(a.waitFor("retry: 2000\n\n")) << a.received();
    ASSERT_TRUE(b.waitFor("retry: 2000\n\n")) << b.received();
    const HttpResult third = httpRequest(port(), "GET", "/changes");
    EXPECT_EQ(third.status, 503);
    EXPECT_NE(third.body.find("\"code\":\"too_many_streams\""), std::string::npos) << third.body;
    EXPECT_FALSE(third.header("Retry-After").empty());
}

TEST_F(Changes, OpenStreamsDoNotTakeTheWorkersThatPostsNeed) {
    start([](server::Settings& s) { s.maxThreads = 2; });
    std::vector<std::unique_ptr<SseClient>> streams;
    for (int i = 0; i < 6; ++i) {
        streams.push_back(std::make_unique<SseClient>(port(), "/changes"));
        ASSERT_TRUE(streams.back()->waitFor("retry: 2000\n\n")) << streams.back()->received();
    }
    // Three times as many streams as workers, and the webhook still answers.
    ASSERT_EQ(post(launched("w", 1)).status, 202);
    settle();
    for (auto& stream : streams) {
        ASSERT_TRUE(stream->waitFor(rocketEvent(folded({launched("w", 1)})))) << stream->received();
    }
}

TEST_F(Changes, StopClosesOpenStreams) {
    SseClient stream(port(), "/changes");
    ASSERT_TRUE(stream.waitFor("retry: 2000\n\n")) << stream.received();
    service_->stop();
    EXPECT_FALSE(stream.waitFor("never sent"));
    EXPECT_TRUE(stream.closed()) << "the server closed the stream: " << stream.received();
}

// ---- GET /rockets/{channel}/messages ------------------------------------------

TEST_F(Changes, HistoryListsStoredMessagesInOrderWithWhetherTheyAreApplied) {
    for (const Message& m : {speedUp("h", 3, 7), launched("h", 1), speedUp("h", 2, 5)}) ASSERT_EQ(post(m).status, 202);
    ASSERT_EQ(post(slowDown("h", 5, 1)).status, 202);  // 4 is missing: 5 waits
    settle();
    const HttpResult r = httpRequest(port(), "GET", "/rockets/h/messages");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("X-Applied-Version"), "3");
    const std::string expected =
        "[{\"messageNumber\":1,\"messageType\":\"RocketLaunched\",\"messageTime\":\"" + launched("h", 1).time +
        "\",\"message\":" + encodePayload(launched("h", 1).payload) + ",\"applied\":true}," +
        "{\"messageNumber\":2,\"messageType\":\"RocketSpeedIncreased\",\"messageTime\":\"" + speedUp("h", 2, 5).time +
        "\",\"message\":{\"by\":5},\"applied\":true}," +
        "{\"messageNumber\":3,\"messageType\":\"RocketSpeedIncreased\",\"messageTime\":\"" + speedUp("h", 3, 7).time +
        "\",\"message\":{\"by\":7},\"applied\":true}," +
        "{\"messageNumber\":5,\"messageType\":\"RocketSpeedDecreased\",\"messageTime\":\"" + slowDown("h", 5, 1).time +
        "\",\"message\":{\"by\":1},\"applied\":false}]";
    EXPECT_EQ(r.body, expected);
    const HttpResult page = httpRequest(port(), "GET", "/rockets/h/messages?from=2&limit=2");
    EXPECT_EQ(page.body.find("\"messageNumber\":1,"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("\"messageNumber\":2,"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("\"messageNumber\":3,"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("\"messageNumber\":5,"), std::string::npos) << page.body;
}

TEST_F(Changes, HistoryOfAnUnknownChannelIs404AndBadParametersAre400) {
    EXPECT_EQ(httpRequest(port(), "GET", "/rockets/nobody/messages").status, 404);
    ASSERT_EQ(post(launched("a/b", 1)).status, 202);
    EXPECT_EQ(httpRequest(port(), "GET", "/rockets/a%2Fb/messages").status, 200) << "a '/' in a channel is %2F";
    EXPECT_EQ(httpRequest(port(), "GET", "/rockets/a/b/messages").status, 404);
    for (const std::string query : {"from=0", "from=x", "limit=0", "limit=1001", "offset=3"}) {
        const HttpResult r = httpRequest(port(), "GET", "/rockets/a%2Fb/messages?" + query);
        EXPECT_EQ(r.status, 400) << query;
        EXPECT_NE(r.body.find("\"code\":\"invalid_query\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(httpRequest(port(), "DELETE", "/rockets/a%2Fb/messages").status, 405);
}

}  // namespace rockets::test
