// The hardened HTTP edge (issue 9): slow and idle clients, one reading of every
// request, header limits, UTF-8 error bodies, the Bearer scheme. Raw sockets
// against the in-process service on port 0.
#include "Backends.h"
#include "HttpUtil.h"
#include "Messages.h"
#include "RawConnection.h"
#include "InProcessServer.h"
#include "Service.h"

#include "rockets/Codec.h"

#include <Poco/String.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

bool isValidUtf8(std::string_view text) {
    Poco::UTF8Encoding utf8;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
        const int left = static_cast<int>(text.size() - i);
        const int length = utf8.sequenceLength(bytes + i, left);
        if (length <= 0 || length > left || utf8.queryConvert(bytes + i, length) < 0) return false;
        i += static_cast<std::size_t>(length);
    }
    return true;
}

/// A well-formed request: if it is ever executed, a message lands in the store.
std::string smuggledPost() {
    const std::string body = encodeMessage(launched("smuggled", 1));
    return "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

class Edge : public ::testing::Test {
protected:
    void SetUp() override { start(); }
    void TearDown() override { service_.reset(); }

    void start(const std::function<void(server::Settings&)>& tweak = {}) {
        service_.reset();
        service_ = startService(backend_->stores(), tweak);
    }

    int port() const { return service_->port(); }

    /// Waits (bounded) until the server counts `n` open connections.
    bool awaitOpenConnections(std::int64_t n, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (service_->metrics().openConnections.load() != n) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::yield();
        }
        return true;
    }

    static void expectError(const RawResponse& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
        EXPECT_EQ(r.body.rfind("{\"error\":{\"code\":\"" + code + "\",\"message\":\"", 0), 0u) << r.body;
    }

    /// Sends `request` followed by a smuggled POST and expects exactly one answer:
    /// `status` with the JSON error `code` and Connection: close, then the server
    /// closes, and the smuggled request is never executed.
    void expectRejectedAndClosed(const std::string& request, int status = 400,
                                 const std::string& code = "bad_request") {
        RawConnection c(port());
        c.send(request + smuggledPost());
        auto r = c.readResponse();
        ASSERT_TRUE(r.has_value()) << "no answer at all";
        expectError(*r, status, code);
        EXPECT_EQ(Poco::toLower(r->header("connection")), "close");
        std::string more;
        EXPECT_TRUE(c.waitClosed(5s, &more)) << "the server keeps the connection open";
        EXPECT_EQ(more, "") << "a second response: the rest was parsed as a request";
        EXPECT_TRUE(backend_->events().changedSince(0).channels.empty()) << "the smuggled message was stored";
    }

    /// Sends `request` (whose body is a smuggled request) and then a real request on
    /// the same connection: the second answer must be the real request's.
    void expectBodyNotExecuted(const std::string& method, const std::string& target, int status,
                               const std::map<std::string, std::string>& headers = {}) {
        const std::string smuggled = smuggledPost();
        std::string request = method + " " + target + " HTTP/1.1\r\nHost: x\r\n";
        for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
        request += "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled;
        RawConnection c(port());
        c.send(request);
        auto first = c.readResponse();
        ASSERT_TRUE(first.has_value());
        EXPECT_EQ(first->status, status) << first->body;
        c.send("GET /rockets/next HTTP/1.1\r\nHost: x\r\n\r\n");
        auto second = c.readResponse();
        ASSERT_TRUE(second.has_value()) << "the connection was closed or hangs";
        expectError(*second, 404, "not_found");
        EXPECT_NE(second->body.find("'next'"), std::string::npos) << second->body;
        EXPECT_TRUE(backend_->events().changedSince(0).channels.empty()) << "the body was executed as a request";
    }

    std::unique_ptr<BackendUnderTest> backend_ = std::make_unique<BackendUnderTest>("memory");
    std::unique_ptr<server::Service> service_;
};

// --- slow and idle clients --------------------------------------------------

class EdgeSlowClients : public Edge, public ::testing::WithParamInterface<std::string> {
protected:
    void SetUp() override {
        backend_ = std::make_unique<BackendUnderTest>(GetParam());
        start();  // default maxThreads (64) and timeouts
    }
};

TEST_P(EdgeSlowClients, TricklingClientsDoNotStarveANormalOne) {
    constexpr int kTricklers = 250;  // 4x the default request threads
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kTricklers; ++i) {
        slow.push_back(std::make_unique<RawConnection>(port()));
        slow.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    }
    ASSERT_TRUE(awaitOpenConnections(kTricklers));
    // One more header byte per connection every 200 ms; the head never completes.
    std::atomic<bool> done{false};
    std::atomic<int> rounds{0};
    std::thread trickler([&] {
        while (!done) {
            for (auto& c : slow) c->send("a");
            ++rounds;
            for (int i = 0; i < 20 && !done; ++i) std::this_thread::sleep_for(10ms);
        }
    });
    while (rounds < 2) std::this_thread::yield();  // the slow clients are trickling
    for (int i = 0; i < 10; ++i) {
        RawConnection normal(port());
        normal.send(kHealthz);
        auto r = normal.readResponse(2s);
        ASSERT_TRUE(r.has_value()) << "request " << i << " not answered within 2 s";
        EXPECT_EQ(r->status, 200) << r->body;
    }
    EXPECT_GE(service_->metrics().openConnections.load(), kTricklers) << "the slow clients were not all held";
    done = true;
    trickler.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, EdgeSlowClients, ::testing::ValuesIn(builtPlugins()));

TEST_F(Edge, AWorkerWaitingForAKeptAliveClientGivesWayToAQueuedRequest) {
    // One worker, which after answering `a` would wait 30 s for a's next request:
    // b's request, queued with no idle worker, must end that wait at once.
    start([](server::Settings& s) {
        s.maxThreads = 1;
        s.keepAliveWait = 30s;
    });
    RawConnection a(port());
    a.send(kHealthz);
    ASSERT_TRUE(a.readResponse().has_value());
    RawConnection b(port());
    b.send(kHealthz);
    const auto answer = b.readResponse(10s);
    ASSERT_TRUE(answer.has_value()) << "the worker kept waiting for a's next request";
    EXPECT_EQ(answer->status, 200);
    // a's connection went back to the front and is still served.
    a.send(kHealthz);
    const auto again = a.readResponse(10s);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->status, 200);
}

TEST_F(Edge, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    start([](server::Settings& s) { s.idleTimeout = 300ms; });
    RawConnection c(port());
    c.send(kHealthz);
    auto first = c.readResponse();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(Poco::toLower(first->header("connection")), "keep-alive");
    c.send(kHealthz);
    ASSERT_TRUE(c.readResponse().has_value()) << "kept alive between requests";
    const auto idleSince = std::chrono::steady_clock::now();
    std::string more;
    EXPECT_TRUE(c.waitClosed(10s, &more));
    EXPECT_GE(std::chrono::steady_clock::now() - idleSince, 250ms) << "closed before the idle timeout";
    EXPECT_EQ(more, "") << "an idle close sends nothing";
    EXPECT_TRUE(awaitOpenConnections(0));
    EXPECT_EQ(service_->metrics().total(server::CloseReason::IdleTimeout), 1u);
}

/// Trickles `prefix` and then one byte of `filler` every 50 ms until the server
/// closes; returns what it answered. Gives up after 10 s.
std::string trickleUntilClosed(RawConnection& c, const std::string& prefix, bool& closed) {
    c.send(prefix);
    std::string received;
    for (int i = 0; i < 200; ++i) {
        if (c.waitClosed(50ms, &received)) {
            closed = true;
            return received;
        }
        try {
            c.send("a");
        } catch (const Poco::Exception&) {
            // The server closed in between.
        }
    }
    closed = false;
    return received;
}

TEST_F(Edge, RequestHeadNotCompleteByTheDeadlineIsAnswered408AndClosed) {
    start([](server::Settings& s) { s.requestTimeout = 600ms; });  // per-byte timeout stays 10 s
    // Taken before connecting: the server's deadline starts at its accept, which can
    // come before connect() returns here (the check once saw 599.5 ms).
    const auto started = std::chrono::steady_clock::now();
    RawConnection c(port());
    bool closed = false;
    const std::string answer = trickleUntilClosed(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", closed);
    EXPECT_TRUE(closed) << "a trickled head is never cut off";
    EXPECT_GE(std::chrono::steady_clock::now() - started, 600ms);
    EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
    EXPECT_NE(answer.find("{\"error\":{\"code\":\"request_timeout\""), std::string::npos) << answer;
    EXPECT_EQ(service_->metrics().total(server::CloseReason::RequestTimeout), 1u);
}

TEST_F(Edge, RequestBodyNotCompleteByTheDeadlineIsAnswered408AndClosed) {
    start([](server::Settings& s) { s.requestTimeout = 600ms; });
    RawConnection c(port());
    bool closed = false;
    const std::string answer =
        trickleUntilClosed(c, "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n{", closed);
    EXPECT_TRUE(closed) << "a trickled body is never cut off";
    EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
    EXPECT_TRUE(backend_->events().changedSince(0).channels.empty());
}

TEST_F(Edge, RequestThatStopsSendingIsClosedAfterTheReceiveTimeout) {
    start([](server::Settings& s) { s.timeout = 300ms; });  // rockets.http.timeoutMs keeps its meaning
    RawConnection c(port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    std::string answer;
    EXPECT_TRUE(c.waitClosed(10s, &answer));
    EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
}

TEST_F(Edge, ConnectionsBeyondTheCapAreAnswered503) {
    start([](server::Settings& s) { s.maxConnections = 3; });
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_TRUE(awaitOpenConnections(3));
    RawConnection extra(port());
    auto r = extra.readResponse();
    ASSERT_TRUE(r.has_value());
    expectError(*r, 503, "overloaded");
    EXPECT_EQ(r->header("retry-after"), "1");
    EXPECT_TRUE(extra.waitClosed(5s));
    held.pop_back();
    ASSERT_TRUE(awaitOpenConnections(2));
    RawConnection again(port());
    again.send(kHealthz);
    auto ok = again.readResponse();
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->status, 200);
}

TEST_F(Edge, StopClosesIdleConnectionsAndAnswersRequestsInFlight) {
    RawConnection idle(port());
    RawConnection halfway(port());
    halfway.send("GET /healthz HTTP/1.1\r\n");
    RawConnection kept(port());
    kept.send(kHealthz);
    ASSERT_TRUE(kept.readResponse().has_value());
    ASSERT_TRUE(awaitOpenConnections(3));
    service_->stop();
    EXPECT_TRUE(idle.waitClosed(5s));
    EXPECT_TRUE(halfway.waitClosed(5s));
    EXPECT_TRUE(kept.waitClosed(5s));
    start();  // and the service starts again in the same process
    RawConnection after(port());
    after.send(kHealthz);
    ASSERT_TRUE(after.readResponse().has_value());
}

// --- one reading of every request --------------------------------------------

TEST_F(Edge, ContentLengthWithTransferEncodingIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

TEST_F(Edge, TransferEncodingBeforeContentLengthIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                            "Content-Length: 5\r\n\r\n0\r\n\r\n");
}

TEST_F(Edge, TwoDifferentContentLengthsAreRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 0\r\n\r\n{}");
}

TEST_F(Edge, DuplicatedContentLengthIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
}

TEST_F(Edge, ContentLengthListIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}");
}

class EdgeMalformedContentLength : public Edge, public ::testing::WithParamInterface<std::string> {};

TEST_P(EdgeMalformedContentLength, IsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\n" + GetParam() + "\r\n\r\n{}");
}

INSTANTIATE_TEST_SUITE_P(Values, EdgeMalformedContentLength,
                         ::testing::Values("Content-Length: abc", "Content-Length: +5", "Content-Length: -1",
                                           "Content-Length:  5x", "Content-Length:", "Content-Length : 5",
                                           "Content-Length: 0x5", "Content-Length: 5 5"));

class EdgeTransferCoding : public Edge, public ::testing::WithParamInterface<std::string> {};

TEST_P(EdgeTransferCoding, OtherThanChunkedIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + GetParam() +
                            "\r\n\r\n0\r\n\r\n");
}

INSTANTIATE_TEST_SUITE_P(Values, EdgeTransferCoding,
                         ::testing::Values("gzip, chunked", "chunked, chunked", "identity", "xchunked", "chunked;q=1",
                                           "gzip"));

TEST_F(Edge, TwoTransferEncodingHeadersAreRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

TEST_F(Edge, MalformedChunkSizeIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "zz\r\n{}\r\n0\r\n\r\n");
}

TEST_F(Edge, ChunkDataLongerThanItsSizeIsRejected) {
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "1\r\n{}\r\n0\r\n\r\n");
}

TEST_F(Edge, ChunkedBodyWithTrailersIsReadWholeAndTheConnectionReused) {
    const std::string body = encodeMessage(launched("chunky", 1));
    RawConnection c(port());
    std::ostringstream size;
    size << std::hex << body.size();
    c.send("POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + size.str() + ";ext=1\r\n" +
           body + "\r\n0\r\nX-Trailer: GET /healthz HTTP/1.1\r\n\r\n" +
           "GET /rockets/next HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = c.readResponse();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 202) << first->body;
    auto second = c.readResponse();
    ASSERT_TRUE(second.has_value());
    expectError(*second, 404, "not_found");
    EXPECT_NE(second->body.find("'next'"), std::string::npos) << second->body;
}

TEST_F(Edge, HealthzBodyIsNotExecutedAsARequest) { expectBodyNotExecuted("GET", "/healthz", 200); }

TEST_F(Edge, MetricsBodyIsNotExecutedAsARequest) { expectBodyNotExecuted("GET", "/metrics", 200); }

TEST_F(Edge, UnknownPathBodyIsNotExecutedAsARequest) { expectBodyNotExecuted("PUT", "/nowhere", 404); }

TEST_F(Edge, UnauthorizedPostBodyIsNotExecutedAsARequest) {
    start([](server::Settings& s) { s.webhookToken = "s3cret"; });
    expectBodyNotExecuted("POST", "/messages", 401, {{"Authorization", "Bearer wrong"}});
}

TEST_F(Edge, BodyOverTheLimitIsRejectedBeforeItArrives) {
    start([](server::Settings& s) { s.maxBodyBytes = 100; });
    expectRejectedAndClosed("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413,
                            "payload_too_large");
}

TEST_F(Edge, PostWithoutLengthHasAnEmptyBody) {
    RawConnection c(port());
    c.send("POST /messages HTTP/1.1\r\nHost: x\r\n\r\n" + smuggledPost());
    auto first = c.readResponse();
    ASSERT_TRUE(first.has_value());
    expectError(*first, 400, "malformed_json");
    auto second = c.readResponse();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->status, 202) << "the next bytes are the next request";
}

TEST_F(Edge, PipelinedRequestsAreAnsweredInOrder) {
    RawConnection c(port());
    c.send(kHealthz + "GET /rockets/one HTTP/1.1\r\nHost: x\r\n\r\n" + smuggledPost() +
           "GET /rockets/two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto r1 = c.readResponse();
    auto r2 = c.readResponse();
    auto r3 = c.readResponse();
    auto r4 = c.readResponse();
    ASSERT_TRUE(r1 && r2 && r3 && r4);
    EXPECT_EQ(r1->status, 200);
    EXPECT_NE(r2->body.find("'one'"), std::string::npos) << r2->body;
    EXPECT_EQ(r3->status, 202);
    EXPECT_NE(r4->body.find("'two'"), std::string::npos) << r4->body;
    EXPECT_TRUE(c.waitClosed(5s));
}

TEST_F(Edge, ExpectContinueGetsAnInterimAnswerBeforeTheBody) {
    const std::string body = encodeMessage(launched("patient", 1));
    RawConnection c(port());
    c.send("POST /messages HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n");
    auto interim = c.readResponse();
    ASSERT_TRUE(interim.has_value());
    EXPECT_EQ(interim->status, 100);
    c.send(body);
    auto r = c.readResponse();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 202) << r->body;
}

// --- request line and header limits, and odd syntax ---------------------------

TEST_F(Edge, OverlongHeaderFieldIs431) {
    expectRejectedAndClosed("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", 431,
                            "header_fields_too_large");
}

TEST_F(Edge, OverlongHeadIs431) {
    std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 8; ++i) head += "X-Part-" + std::to_string(i) + ": " + std::string(5000, 'a') + "\r\n";
    expectRejectedAndClosed(head + "\r\n", 431, "header_fields_too_large");
}

TEST_F(Edge, TooManyHeaderFieldsIs431) {
    std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 120; ++i) head += "X-" + std::to_string(i) + ": y\r\n";
    expectRejectedAndClosed(head + "\r\n", 431, "header_fields_too_large");
}

TEST_F(Edge, OverlongRequestTargetIs414) {
    expectRejectedAndClosed("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long");
}

TEST_F(Edge, ObsoleteLineFoldingIsRejected) {
    expectRejectedAndClosed("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n");
}

TEST_F(Edge, NulInAHeaderIsRejected) {
    expectRejectedAndClosed("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Nul: a" + std::string(1, '\0') + "b\r\n\r\n");
}

TEST_F(Edge, BareLineFeedsAreRejected) { expectRejectedAndClosed("GET /healthz HTTP/1.1\nHost: x\n\n"); }

TEST_F(Edge, MissingOrRepeatedHostIsRejected) {
    expectRejectedAndClosed("GET /healthz HTTP/1.1\r\n\r\n");
    expectRejectedAndClosed("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
}

TEST_F(Edge, MalformedRequestLineIsRejected) {
    expectRejectedAndClosed("GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expectRejectedAndClosed("GET healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expectRejectedAndClosed("GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n");
}

TEST_F(Edge, UnsupportedHttpVersionIs505) {
    expectRejectedAndClosed("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505, "http_version_not_supported");
}

TEST_F(Edge, AbsoluteFormTargetIsServedByItsPath) {
    RawConnection c(port());
    c.send("GET http://rockets.example:8088/healthz HTTP/1.1\r\nHost: rockets.example:8088\r\n\r\n");
    auto r = c.readResponse();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200) << r->body;
}

// --- error bodies and authentication ------------------------------------------

TEST_F(Edge, NotFoundBodyIsValidUtf8WhenThePathDecodesToInvalidBytes) {
    RawConnection c(port());
    c.send("GET /rockets/%FF%C0%AFok HTTP/1.1\r\nHost: x\r\n\r\nGET /nope\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < 2; ++i) {
        auto r = c.readResponse();
        ASSERT_TRUE(r.has_value());
        expectError(*r, 404, "not_found");
        EXPECT_TRUE(isValidUtf8(r->body)) << r->body;
        EXPECT_NE(r->body.find("\xEF\xBF\xBD"), std::string::npos) << "invalid bytes become U+FFFD: " << r->body;
    }
}

TEST(Utf8Replacement, KeepsValidTextAndReplacesEachInvalidByte) {
    EXPECT_EQ(server::replaceInvalidUtf8("plain é 漢 😀"), "plain é 漢 😀");
    EXPECT_EQ(server::replaceInvalidUtf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(server::replaceInvalidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");               // overlong '/'
    EXPECT_EQ(server::replaceInvalidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    EXPECT_EQ(server::replaceInvalidUtf8("\xF4\x90\x80\x80").size(), 12u);                          // > U+10FFFF
    EXPECT_EQ(server::replaceInvalidUtf8("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD");                // truncated
}

TEST_F(Edge, BearerSchemeIsCaseInsensitiveAndTheTokenExact) {
    start([](server::Settings& s) { s.webhookToken = "s3cret"; });
    const std::string body = encodeMessage(launched("auth", 1));
    auto post = [&](const std::string& authorization) {
        RawConnection c(port());
        c.send("POST /messages HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        auto r = c.readResponse();
        return r ? r->status : 0;
    };
    EXPECT_EQ(post("Bearer S3CRET"), 401);
    EXPECT_EQ(post("bearer s3cret2"), 401);
    EXPECT_EQ(post("Basic s3cret"), 401);
    EXPECT_EQ(post("bearer s3cret"), 202);
    EXPECT_EQ(post("BEARER s3cret"), 200);  // the same message again: a duplicate
}

TEST(EdgeSettings, NewKeysAreReadWithDefaultsAndValidated) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    server::Settings defaults = server::Settings::fromConfig(*config, "/plugins");
    EXPECT_EQ(defaults.requestTimeout, 10000ms);
    EXPECT_EQ(defaults.idleTimeout, 10000ms);
    EXPECT_EQ(defaults.maxConnections, 10000);
    config->setString("rockets.http.requestTimeoutMs", "2500");
    config->setString("rockets.http.idleTimeoutMs", "750");
    config->setString("rockets.http.maxConnections", "300");
    server::Settings s = server::Settings::fromConfig(*config, "/plugins");
    EXPECT_EQ(s.requestTimeout, 2500ms);
    EXPECT_EQ(s.idleTimeout, 750ms);
    EXPECT_EQ(s.maxConnections, 300);
    config->setString("rockets.http.maxConnections", "0");
    EXPECT_THROW(server::Settings::fromConfig(*config, "/plugins"), Poco::InvalidArgumentException);
}

}  // namespace

}  // namespace rockets::test
