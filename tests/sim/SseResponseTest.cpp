#include "rockets/sim/SseResponse.h"

#include <gtest/gtest.h>

#include <string>

using rockets::sim::SseResponse;
using State = rockets::sim::SseResponse::State;

namespace {

/// The head the rockets server sends for GET /changes (no chunking, no length: the
/// stream ends with the connection).
const std::string kHead =
    "HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nConnection: Close\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\nX-Accel-Buffering: no\r\n\r\n";
const std::string kEvents = "retry: 2000\n\nid: e-1\nevent: rocket\ndata: {}\n\n: heartbeat\n\nevent: resync\ndata: {}\n\n";

}  // namespace

TEST(SseResponse, CountsTheBodyAfterTheHeadUntilTheServerCloses) {
    const std::string answer = kHead + kEvents;
    for (std::size_t cut = 0; cut <= answer.size(); ++cut) {
        SseResponse response;
        response.feed(std::string_view(answer).substr(0, cut));
        EXPECT_EQ(response.state(), cut < kHead.size() ? State::Head : State::Body) << cut;
        response.feed(std::string_view(answer).substr(cut));
        ASSERT_EQ(response.state(), State::Body) << cut << ": " << response.error();
        EXPECT_EQ(response.status(), 200);
        EXPECT_EQ(response.counts().eventsOf("rocket"), 1u) << cut;
        EXPECT_EQ(response.counts().eventsOf("resync"), 1u) << cut;
        EXPECT_EQ(response.counts().comments, 1u) << cut;
        EXPECT_EQ(response.counts().bytes, kEvents.size()) << "the head is not body: cut at " << cut;
        response.closed();
        EXPECT_EQ(response.state(), State::Ended);
        EXPECT_TRUE(response.error().empty());
    }
}

TEST(SseResponse, DecodesAChunkedBodyAndEndsWithItsLastChunk) {
    const std::string chunkedHead =
        "HTTP/1.1 200 OK\r\ncontent-type: TEXT/EVENT-STREAM\r\ntransfer-encoding: Chunked\r\n\r\n";
    const std::string body = "event: rocket\ndata: {}\n\n";  // 0x18 bytes
    const std::string answer = chunkedHead + "5\r\n" + body.substr(0, 5) + "\r\n13\r\n" + body.substr(5) + "\r\n0\r\n\r\n";
    for (std::size_t cut = 0; cut <= answer.size(); ++cut) {
        SseResponse response;
        response.feed(std::string_view(answer).substr(0, cut));
        response.feed(std::string_view(answer).substr(cut));
        ASSERT_EQ(response.state(), State::Ended) << cut << ": " << response.error();
        EXPECT_EQ(response.counts().eventsOf("rocket"), 1u) << cut;
        EXPECT_EQ(response.counts().bytes, body.size()) << "chunk sizes are not body: cut at " << cut;
    }
}

TEST(SseResponse, AMalformedChunkFailsTheStream) {
    SseResponse response;
    response.feed("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n");
    EXPECT_EQ(response.state(), State::Failed);
    EXPECT_NE(response.error().find("malformed chunked body"), std::string::npos) << response.error();
}

TEST(SseResponse, EndsAfterItsContentLength) {
    SseResponse response;
    response.feed("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 21\r\n\r\n");
    EXPECT_EQ(response.state(), State::Body);
    response.feed("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n");
    EXPECT_EQ(response.state(), State::Ended);
    EXPECT_EQ(response.counts().bytes, 21u);
    EXPECT_EQ(response.counts().eventsOf("a"), 1u);
    EXPECT_EQ(response.counts().eventsOf("b"), 0u) << "beyond the length";
}

TEST(SseResponse, ANon200StatusFailsWithTheStatusLine) {
    SseResponse response;
    response.feed("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    EXPECT_EQ(response.state(), State::Failed);
    EXPECT_EQ(response.status(), 404);
    EXPECT_EQ(response.error(), "answered 404 Not Found, not 200");
    EXPECT_EQ(response.counts().bytes, 0u);
}

TEST(SseResponse, AnotherContentTypeFails) {
    SseResponse json;
    json.feed("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[]");
    EXPECT_EQ(json.state(), State::Failed);
    EXPECT_EQ(json.error(), "answered 200 with Content-Type 'application/json', not text/event-stream");
    SseResponse none;
    none.feed("HTTP/1.1 200 OK\r\n\r\n");
    EXPECT_EQ(none.state(), State::Failed);
    EXPECT_NE(none.error().find("without a Content-Type"), std::string::npos) << none.error();
}

TEST(SseResponse, ClosingBeforeTheHeadFails) {
    SseResponse response;
    response.feed("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n");
    response.closed();
    EXPECT_EQ(response.state(), State::Failed);
    EXPECT_NE(response.error().find("before the response head"), std::string::npos) << response.error();
}

TEST(SseResponse, SomethingElseThanHttpFails) {
    SseResponse response;
    response.feed("SSH-2.0-OpenSSH_9.2\r\n\r\n");
    EXPECT_EQ(response.state(), State::Failed);
    EXPECT_NE(response.error().find("not an HTTP response: 'SSH-2.0-OpenSSH_9.2'"), std::string::npos)
        << response.error();
}
