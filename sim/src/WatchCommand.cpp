#include "rockets/sim/WatchCommand.h"

#include "rockets/sim/ReportJson.h"
#include "rockets/sim/SseResponse.h"
#include "rockets/sim/StopSignals.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

namespace rockets::sim {

namespace {

/// The longest the loop sleeps before it looks at the stop flag and the clock.
constexpr auto kPollTimeout = std::chrono::milliseconds(200);
constexpr auto kConnectTimeout = std::chrono::seconds(10);

/// The watched connections, all on non-blocking sockets read by the one thread
/// that calls poll(); what comes on each lands in its WatchedStream of the report.
class Streams {
public:
    Streams(const WatchOptions& options, std::vector<WatchedStream>& outcomes, std::ostream& err)
        : options_(options), outcomes_(outcomes), err_(err), connections_(outcomes.size()) {}

    /// Connects every stream (one after the other) and sends its request.
    void open() {
        const Poco::Net::SocketAddress address(options_.host, options_.port);
        const std::string request = "GET " + options_.path + " HTTP/1.1\r\nHost: " + options_.host + ":" +
                                    std::to_string(options_.port) +
                                    "\r\nAccept: text/event-stream\r\nConnection: keep-alive\r\n\r\n";
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            Connection& connection = connections_[i];
            try {
                connection.socket.connect(address, Poco::Timespan(std::chrono::microseconds(kConnectTimeout).count()));
                connection.socket.sendBytes(request.data(), static_cast<int>(request.size()));
                connection.socket.setBlocking(false);
                connection.live = true;
            } catch (const Poco::Exception& e) {
                fail(i, "cannot open " + options_.url + ": " + e.displayText());
            }
        }
    }

    /// Every stream answered 200 with text/event-stream and sent its first body
    /// bytes: the rockets server writes `retry:` once the stream has joined its change
    /// feed, so from then on no change is missed.
    bool allJoined() const {
        for (std::size_t i = 0; i < connections_.size(); ++i)
            if (!outcomes_[i].opened || connections_[i].response.counts().bytes == 0) return false;
        return true;
    }

    /// Waits up to `timeout` for any live stream to have bytes (or close) and reads
    /// them; false when no stream is live any more.
    bool poll(std::chrono::milliseconds timeout) {
        fds_.clear();
        indexOf_.clear();
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            if (!connections_[i].live) continue;
            fds_.push_back({connections_[i].socket.impl()->sockfd(), POLLIN, 0});
            indexOf_.push_back(i);
        }
        if (fds_.empty()) return false;
        const int ready = ::poll(fds_.data(), fds_.size(), static_cast<int>(timeout.count()));
        if (ready < 0 && errno != EINTR) throw Poco::SystemException("poll failed", std::strerror(errno));
        for (std::size_t k = 0; ready > 0 && k < fds_.size(); ++k)
            if (fds_[k].revents != 0) drain(indexOf_[k]);
        return true;
    }

    /// At the end: reads what every stream already holds (the server may have
    /// written it just before), fails those still without a head, and copies the
    /// counts into the report.
    void finish() {
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            drain(i);
            if (connections_[i].live && !outcomes_[i].opened)
                fail(i, "no response head from GET " + options_.path + " before the watch ended");
            outcomes_[i].counts = connections_[i].response.counts();
        }
    }

private:
    /// One stream's connection and what has come on it so far.
    struct Connection {
        Poco::Net::StreamSocket socket;
        SseResponse response;
        bool live = false;  ///< connected and neither ended nor failed
    };

    void fail(std::size_t i, const std::string& why) {
        connections_[i].live = false;
        connections_[i].socket.close();
        outcomes_[i].error = why;
        err_ << "rockets-sim watch: stream " << i + 1 << ": " << why << std::endl;
    }

    /// Reads everything stream `i` holds now, without blocking.
    void drain(std::size_t i) {
        Connection& connection = connections_[i];
        while (connection.live) {
            const ssize_t got = ::recv(connection.socket.impl()->sockfd(), buffer_, sizeof buffer_, 0);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (got < 0) return fail(i, std::string("connection error: ") + std::strerror(errno));
            if (got == 0) connection.response.closed();
            else connection.response.feed(std::string_view(buffer_, static_cast<std::size_t>(got)));
            switch (connection.response.state()) {
                case SseResponse::State::Head:
                    break;
                case SseResponse::State::Body:
                    outcomes_[i].opened = true;
                    break;
                case SseResponse::State::Ended:
                    outcomes_[i].opened = true;
                    outcomes_[i].closed = true;
                    connection.live = false;
                    connection.socket.close();
                    break;
                case SseResponse::State::Failed:
                    return fail(i, "GET " + options_.path + " " + connection.response.error());
            }
        }
    }

    const WatchOptions& options_;
    std::vector<WatchedStream>& outcomes_;
    std::ostream& err_;
    std::vector<Connection> connections_;
    std::vector<pollfd> fds_;
    std::vector<std::size_t> indexOf_;  ///< the stream of each entry of fds_
    char buffer_[64 * 1024];
};

}  // namespace

WatchCommand::WatchCommand(WatchOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

int WatchCommand::run() {
    const StopSignals stop;
    const auto started = std::chrono::steady_clock::now();
    report_ = WatchReport{};
    report_.url = options_.url;
    report_.streams.resize(options_.streams);
    Streams streams(options_, report_.streams, err_);
    streams.open();
    bool announced = false;
    while (!stop.requested()) {
        if (!announced && streams.allJoined()) {
            out_ << "rockets-sim watch: " << options_.streams << " streams open" << std::endl;
            announced = true;
        }
        auto timeout = kPollTimeout;
        if (options_.duration) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(started + *options_.duration -
                                                                          std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            timeout = std::min(timeout, left);
        }
        if (!streams.poll(timeout)) break;  // the server closed them all, or they failed
    }
    streams.finish();
    report_.elapsed = std::chrono::steady_clock::now() - started;

    report_.writeText(out_);
    if (!options_.report.empty()) writeReportFile(options_.report, report_.toJson());
    return report_.succeeded() ? 0 : 1;
}

}  // namespace rockets::sim
