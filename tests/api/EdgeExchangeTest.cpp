// EdgeRequest and EdgeResponse on a real loopback connection: a request built from
// RequestFramer's one reading of the bytes, and answers framed as HTTP/1.1 says
// (what Poco's HTTPServerRequestImpl / HTTPServerResponseImpl did before them).
#include "AcceptedPair.h"
#include "EdgeExchange.h"
#include "RequestFramer.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace rockets::test {

using server::EdgeRequest;
using server::EdgeResponse;
using server::Framing;
using server::RequestFramer;
using Poco::Net::HTTPResponse;

namespace {

/// A request's bytes, framed as the edge frames them, and the exchange built on them.
struct Exchange {
    explicit Exchange(std::string raw) : bytes(std::move(raw)), framer(1 << 20) {
        const Framing framing = framer.feed(bytes);
        EXPECT_EQ(framing.kind, Framing::Kind::Complete) << framing.message;
        EXPECT_EQ(framing.length, bytes.size());
        request.emplace(bytes, framer.head(), response, pair.server, *params);
        response.setVersion(request->getVersion());
    }

    std::string body() {
        std::string text;
        Poco::StreamCopier::copyToString(request->stream(), text);
        return text;
    }

    std::string bytes;
    RequestFramer framer;
    AcceptedPair pair;
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    EdgeResponse response{*pair.io};
    std::optional<EdgeRequest> request;
};

}  // namespace

TEST(EdgeRequest, CarriesTheFramersReadingOfMethodTargetVersionFieldsAndBody) {
    Exchange x("POST /messages?x=1 HTTP/1.1\r\nHost: example\r\ncontent-type:  application/json \r\n"
               "X-Twice: a\r\nX-Twice: b\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    const EdgeRequest& r = *x.request;
    EXPECT_EQ(r.getMethod(), "POST");
    EXPECT_EQ(r.getURI(), "/messages?x=1");
    EXPECT_EQ(r.getVersion(), "HTTP/1.1");
    EXPECT_EQ(r.getHost(), "example");
    EXPECT_EQ(r.get("Content-Type"), "application/json") << "names match in any case, values lose their OWS";
    EXPECT_EQ(r.getContentLength(), 7);
    EXPECT_TRUE(r.getKeepAlive());
    std::vector<std::string> twice;
    for (auto it = r.find("x-twice"); it != r.end() && it->first == "X-Twice"; ++it) twice.push_back(it->second);
    EXPECT_EQ(twice, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(x.body(), "{\"a\":1}");
    EXPECT_EQ(r.clientAddress().toString(), x.pair.client.address().toString());
    EXPECT_EQ(r.serverAddress().toString(), x.pair.client.peerAddress().toString());
}

TEST(EdgeRequest, WithoutABodyReadsEmptyAndHttp10ClosesUnlessAskedToKeepAlive) {
    Exchange get("GET /rockets HTTP/1.0\r\n\r\n");
    EXPECT_EQ(get.body(), "");
    EXPECT_FALSE(get.request->getKeepAlive());
    Exchange kept("GET /rockets HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_TRUE(kept.request->getKeepAlive());
    Exchange closed("GET /rockets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_FALSE(closed.request->getKeepAlive());
}

TEST(EdgeRequest, ChunkedBodyIsItsChunksDataJoinedWithoutFramingOrTrailers) {
    Exchange x("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               "4\r\n{\"a\"\r\n3;ext=1\r\n:12\r\nA\r\n3456789012\r\n0\r\nTrailer: t\r\n\r\n");
    EXPECT_EQ(x.body(), "{\"a\":123456789012");
    Exchange one("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    EXPECT_EQ(one.body(), "ok");
}

TEST(EdgeRequest, DetachingHandsTheSocketOverWithoutClosingIt) {
    Exchange x("GET /changes HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_FALSE(x.request->detached());
    Poco::Net::StreamSocket taken = x.request->detachSocket();
    EXPECT_TRUE(x.request->detached());
    EXPECT_EQ(taken.impl(), x.pair.server.impl());
    taken.sendBytes("still open", 10);
    EXPECT_EQ(x.pair.receivedByClient(), "still open");
}

TEST(EdgeResponse, SendBufferAnswersHeadAndBodyWithTheirLength) {
    Exchange x("GET /rockets HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.setStatusAndReason(HTTPResponse::HTTP_CREATED);
    x.response.set("X-Kind", "test");
    EXPECT_FALSE(x.response.sent());
    x.response.sendBuffer("hello", 5);
    EXPECT_TRUE(x.response.sent());
    x.response.finish();
    EXPECT_EQ(x.pair.receivedByClient(), "HTTP/1.1 201 Created\r\nX-Kind: test\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_THROW(x.response.sendBuffer("again", 5), Poco::IllegalStateException) << "one answer per request";
}

TEST(EdgeResponse, AnswerToHeadCarriesTheLengthOfTheBodyItLeavesOut) {
    Exchange x("HEAD /rockets HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.answerHeadOnly(x.request->getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
    x.response.sendBuffer("hello", 5);
    x.response.finish();
    EXPECT_EQ(x.pair.receivedByClient(), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
}

TEST(EdgeResponse, StreamedBodyIsChunkedWhenAskedAndEndsWithTheLastChunk) {
    Exchange x("GET /rockets HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.setChunkedTransferEncoding(true);
    std::ostream& out = x.response.send();
    out << "hello";
    out.flush();
    out << ", " << "world!";
    x.response.finish();
    EXPECT_EQ(x.pair.receivedByClient(),
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n8\r\n, world!\r\n0\r\n\r\n");
}

TEST(EdgeResponse, StreamedBodyStopsAtItsContentLength) {
    Exchange x("GET /rockets HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.setContentLength(4);
    x.response.send() << "abcdefgh";
    x.response.finish();
    EXPECT_EQ(x.pair.receivedByClient(), "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd");
}

TEST(EdgeResponse, StreamedBodyWithoutALengthEndsWithTheConnection) {
    Exchange x("GET /changes HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.setKeepAlive(true);
    x.response.send() << "data: 1\n\n";
    x.response.finish();
    EXPECT_FALSE(x.response.getKeepAlive());
    EXPECT_EQ(x.pair.receivedByClient(), "HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\ndata: 1\n\n");
}

TEST(EdgeResponse, NoContentAndNotModifiedNeverCarryABody) {
    for (const auto status : {HTTPResponse::HTTP_NO_CONTENT, HTTPResponse::HTTP_NOT_MODIFIED}) {
        Exchange x("GET /rockets HTTP/1.1\r\nHost: x\r\n\r\n");
        x.response.setStatusAndReason(status);
        x.response.send() << "dropped";
        x.response.finish();
        EXPECT_EQ(x.pair.receivedByClient(), "HTTP/1.1 " + std::to_string(static_cast<int>(status)) + " " +
                                                 HTTPResponse::getReasonForStatus(status) + "\r\n\r\n");
    }
}

TEST(EdgeResponse, ContinueRedirectAndAuthenticationAreWholeAnswers) {
    Exchange x("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    x.response.sendContinue();
    x.response.redirect("/b");
    EXPECT_EQ(x.pair.receivedByClient(),
              "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nContent-Length: 0\r\nLocation: /b\r\n\r\n");
    Exchange y("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    y.response.requireAuthentication("rockets");
    EXPECT_EQ(y.pair.receivedByClient(), "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"rockets\"\r\n"
                                         "Content-Length: 0\r\n\r\n");
}

}  // namespace rockets::test
