// WatchCommand against an in-process TCP server that answers with scripted bytes:
// the sockets, the poll loop and how a watch ends.
#include "rockets/sim/WatchCommand.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
using rockets::sim::WatchCommand;
using rockets::sim::WatchOptions;

namespace {

/// A server on 127.0.0.1 port 0 that answers each of its first `connections`
/// connections with `answer`, sent in pieces of `piece` bytes, then closes it or
/// keeps it open until destroyed. Records each request head.
class ScriptedServer {
public:
    ScriptedServer(std::string answer, std::size_t connections, bool close, std::size_t piece = 7)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this, answer = std::move(answer), connections, close, piece] {
            for (std::size_t i = 0; i < connections; ++i) {
                if (!socket_.poll(Poco::Timespan(10, 0), Poco::Net::Socket::SELECT_READ)) return;
                Poco::Net::StreamSocket peer = socket_.acceptConnection();
                peer.setReceiveTimeout(Poco::Timespan(10, 0));
                std::string head;
                char buffer[1024];
                while (head.find("\r\n\r\n") == std::string::npos) {
                    const int got = peer.receiveBytes(buffer, sizeof buffer);
                    if (got <= 0) break;
                    head.append(buffer, static_cast<std::size_t>(got));
                }
                for (std::size_t at = 0; at < answer.size(); at += piece)
                    peer.sendBytes(answer.data() + at, static_cast<int>(std::min(piece, answer.size() - at)));
                if (close) peer.close();
                std::lock_guard lock(mutex_);
                requests_.push_back(head);
                if (!close) open_.push_back(peer);
                answered_.notify_all();
            }
        });
    }

    ~ScriptedServer() { thread_.join(); }

    int port() const { return socket_.address().port(); }

    /// Waits until `n` connections got their answer.
    bool waitAnswered(std::size_t n) {
        std::unique_lock lock(mutex_);
        return answered_.wait_for(lock, 10s, [&] { return requests_.size() >= n; });
    }

    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    Poco::Net::ServerSocket socket_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::vector<std::string> requests_;
    std::vector<Poco::Net::StreamSocket> open_;
    std::thread thread_;
};

const std::string kStreamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

/// `body` as one chunk.
std::string chunk(const std::string& body) {
    std::ostringstream out;
    out << std::hex << body.size() << "\r\n" << body << "\r\n";
    return out.str();
}

const std::string kRocketEvent = "id: e-1\nevent: rocket\ndata: {\"channel\":\"a\"}\n\n";

WatchOptions optionsFor(int port, unsigned streams, const std::string& path = "/changes") {
    WatchOptions options;
    options.url = "http://127.0.0.1:" + std::to_string(port) + path;
    options.host = "127.0.0.1";
    options.port = static_cast<std::uint16_t>(port);
    options.path = path;
    options.streams = streams;
    return options;
}

}  // namespace

TEST(WatchCommand, CountsEveryStreamUntilTheServerClosesThemAll) {
    std::string body = "retry: 2000\n\n";
    for (int i = 0; i < 5; ++i) body += kRocketEvent;
    body += ": heartbeat\n\nevent: resync\ndata: {\"reason\":\"behind\"}\n\n: heartbeat\n\n";
    ScriptedServer server(kStreamHead + chunk(body.substr(0, 50)) + chunk(body.substr(50)) + "0\r\n\r\n", 3, true);
    std::ostringstream out;
    std::ostringstream err;
    WatchCommand command(optionsFor(server.port(), 3, "/changes?status=ACTIVE"), out, err);

    ASSERT_EQ(command.run(), 0) << out.str() << err.str();

    const auto& report = command.report();
    ASSERT_EQ(report.streams.size(), 3u);
    for (const auto& stream : report.streams) {
        EXPECT_TRUE(stream.opened);
        EXPECT_TRUE(stream.closed);
        EXPECT_EQ(stream.counts.eventsOf("rocket"), 5u);
        EXPECT_EQ(stream.counts.eventsOf("resync"), 1u);
        EXPECT_EQ(stream.counts.comments, 2u);
        EXPECT_EQ(stream.counts.bytes, body.size());
    }
    EXPECT_EQ(out.str(), "rockets-sim watch: 3 streams open\nrockets-sim watch: 3 streams, 18 events (rocket 15, resync 3), "
                         "6 heartbeats, " + std::to_string(3 * body.size()) + " bytes, 3 closed by the server\n");
    EXPECT_EQ(err.str(), "");
    const std::string hostHeader = "\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";
    for (const std::string& request : server.requests()) {
        EXPECT_EQ(request.rfind("GET /changes?status=ACTIVE HTTP/1.1\r\n", 0), 0u) << request;
        EXPECT_NE(request.find(hostHeader), std::string::npos) << request;
        EXPECT_NE(request.find("\r\nAccept: text/event-stream\r\n"), std::string::npos) << request;
    }
}

TEST(WatchCommand, ANon200AnswerFailsTheStreamWithItsStatus) {
    ScriptedServer server("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", 2,
                          true);
    std::ostringstream out;
    std::ostringstream err;
    WatchCommand command(optionsFor(server.port(), 2, "/nope"), out, err);

    EXPECT_EQ(command.run(), 1);
    EXPECT_EQ(err.str(), "rockets-sim watch: stream 1: GET /nope answered 404 Not Found, not 200\n"
                         "rockets-sim watch: stream 2: GET /nope answered 404 Not Found, not 200\n");
    EXPECT_EQ(out.str().find("streams open"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find(", 2 failed\n"), std::string::npos) << out.str();
    EXPECT_FALSE(command.report().streams[0].opened);
}

TEST(WatchCommand, ARefusedConnectionFailsTheStream) {
    int port = 0;
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = probe.address().port();
    }
    std::ostringstream out;
    std::ostringstream err;
    WatchCommand command(optionsFor(port, 1), out, err);
    EXPECT_EQ(command.run(), 1);
    EXPECT_NE(err.str().find("stream 1: cannot open http://127.0.0.1:" + std::to_string(port) + "/changes: "),
              std::string::npos)
        << err.str();
}

TEST(WatchCommand, SecondsEndsAWatchOfStreamsThatStayOpen) {
    ScriptedServer server(kStreamHead + chunk(kRocketEvent + ": heartbeat\n\n"), 2, false);
    std::ostringstream out;
    std::ostringstream err;
    WatchOptions options = optionsFor(server.port(), 2);
    options.duration = 1s;
    WatchCommand command(options, out, err);

    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(command.run(), 0) << err.str();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_GE(took, 1s);
    EXPECT_LT(took, 5s);
    EXPECT_GE(command.report().elapsed, 1s);
    for (const auto& stream : command.report().streams) {
        EXPECT_FALSE(stream.closed);
        EXPECT_EQ(stream.counts.eventsOf("rocket"), 1u);
        EXPECT_EQ(stream.counts.comments, 1u);
    }
}

TEST(WatchCommand, SigtermEndsTheWatchAndCountsWhatHadArrived) {
    ScriptedServer server(kStreamHead + chunk(kRocketEvent + kRocketEvent), 2, false);
    std::ostringstream out;
    std::ostringstream err;
    WatchCommand command(optionsFor(server.port(), 2), out, err);
    // The connections exist only once run() has put its handlers in place.
    std::thread stopper([&] {
        if (server.waitAnswered(2)) ::kill(::getpid(), SIGTERM);
    });

    const int exit = command.run();
    stopper.join();
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(exit, 0) << err.str();
    EXPECT_EQ(command.report().total().eventsOf("rocket"), 4u);
    for (const auto& stream : command.report().streams) EXPECT_FALSE(stream.closed);
}

TEST(WatchCommand, AStreamWithoutAHeadBeforeTheEndFails) {
    ScriptedServer server("", 1, false);
    std::ostringstream out;
    std::ostringstream err;
    WatchOptions options = optionsFor(server.port(), 1);
    options.duration = 1s;
    WatchCommand command(options, out, err);
    EXPECT_EQ(command.run(), 1);
    EXPECT_NE(err.str().find("stream 1: no response head from GET /changes before the watch ended"), std::string::npos)
        << err.str();
}
