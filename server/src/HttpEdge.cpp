#include "HttpEdge.h"

#include "EdgeExchange.h"
#include "HttpUtil.h"

#include "rockets/ThreadName.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rockets::server {

namespace {

/// How long a closing connection may keep sending before it is cut off.
constexpr std::chrono::milliseconds kDrainTime{1000};
/// Pause after accept() ran out of file descriptors, instead of spinning on it.
constexpr std::chrono::milliseconds kAcceptPause{100};

Poco::Logger& logger() { return Poco::Logger::get("rockets.http"); }

std::chrono::milliseconds sweepIntervalFor(const Settings& s) {
    const auto shortest = std::min({s.idleTimeout, s.requestTimeout, s.timeout});
    return std::clamp(shortest / 10, std::chrono::milliseconds(5), std::chrono::milliseconds(100));
}

}  // namespace

HttpEdge::HttpEdge(const Settings& settings, Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Metrics& metrics)
    : settings_(settings),
      factory_(std::move(factory)),
      params_(new Poco::Net::HTTPServerParams),
      metrics_(metrics),
      maxBuffered_(RequestFramer::kMaxHeadBytes + settings.maxBodyBytes + RequestFramer::kMaxChunkFramingBytes),
      sweepInterval_(sweepIntervalFor(settings)) {
    params_->setKeepAlive(true);
    params_->setTimeout(Poco::Timespan(settings.timeout.count() * 1000));
    params_->setServerName("rockets");
}

HttpEdge::~HttpEdge() {
    stop();
    if (epoll_ >= 0) ::close(epoll_);
    if (wake_ >= 0) ::close(wake_);
    if (pressure_ >= 0) ::close(pressure_);
}

void HttpEdge::start() {
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (Poco's one-flag bind
    // sets both): a second server on a busy port must fail, not share its traffic.
    listener_.bind(Poco::Net::SocketAddress(settings_.host, static_cast<Poco::UInt16>(settings_.port)), true, false);
    listener_.listen(settings_.maxQueued);
    listener_.setBlocking(false);
    port_ = listener_.address().port();
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pressure_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0 || pressure_ < 0) throw Poco::Net::NetException("epoll/eventfd: " + std::string(std::strerror(errno)));
    epoll_event listen{EPOLLIN, {.ptr = &listener_}};
    epoll_event wake{EPOLLIN, {.ptr = &wake_}};
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_.impl()->sockfd(), &listen) != 0 ||
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &wake) != 0) {
        throw Poco::Net::NetException("epoll_ctl: " + std::string(std::strerror(errno)));
    }
    if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 &&
                        files.rlim_cur < static_cast<rlim_t>(settings_.maxConnections) + 64) {
        logger().warning("rockets.http.maxConnections is %d but the open-file limit is %lu: connections beyond "
                         "it wait in the backlog (raise ulimit -n)",
                         settings_.maxConnections, static_cast<unsigned long>(files.rlim_cur));
    }
    listening_ = true;
    running_ = true;
    front_ = startNamedThread("http-front", [this] { runFront(); });
}

void HttpEdge::stop() {
    if (!running_) return;
    running_ = false;
    stopping_ = true;
    const std::uint64_t one = 1;
    if (::write(wake_, &one, sizeof one) < 0) {
        logger().error("cannot wake the HTTP front: %s", std::string(std::strerror(errno)));
    }
    front_.join();
    listener_.close();
    {
        std::lock_guard lock(queueMutex_);
        workersStop_ = true;
        setPressure(true);  // lingering workers stop waiting for their next request
    }
    queueReady_.notify_all();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
    std::lock_guard lock(registryMutex_);
    metrics_.openConnections -= static_cast<std::int64_t>(connections_.size());
    connections_.clear();
}

// --- front ----------------------------------------------------------------

void HttpEdge::runFront() {
    std::array<epoll_event, 256> events{};
    auto nextSweep = Clock::now() + sweepInterval_;
    while (!stopping_) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nextSweep - Clock::now());
        const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(std::max<std::int64_t>(wait.count(), 0)));
        const auto now = Clock::now();
        for (int i = 0; i < n; ++i) {
            void* tag = events[static_cast<std::size_t>(i)].data.ptr;
            if (tag == &listener_) {
                acceptAll(now);
            } else if (tag != &wake_) {
                onReadable(*static_cast<Connection*>(tag), now);
            }
        }
        if (now >= nextSweep) {
            sweep(now);
            nextSweep = now + sweepInterval_;
        }
    }
    // Stop accepting; what waits for a request (idle or half-received) is closed,
    // what is with a worker is answered and closed there.
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_.impl()->sockfd(), nullptr);
    std::lock_guard lock(registryMutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
        if (it->first->state.load(std::memory_order_acquire) == Connection::State::Waiting) {
            it = connections_.erase(it);
            --metrics_.openConnections;
        } else {
            ++it;
        }
    }
}

void HttpEdge::acceptAll(Clock::time_point now) {
    while (true) {
        sockaddr_storage peer{};
        socklen_t peerLength = sizeof peer;
        const int fd = ::accept4(listener_.impl()->sockfd(), reinterpret_cast<sockaddr*>(&peer), &peerLength,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // The pending connection stays in the backlog; try again shortly.
                logger().warning("accept: %s; pausing accepts", std::string(std::strerror(errno)));
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_.impl()->sockfd(), nullptr);
                listening_ = false;
                acceptPausedUntil_ = now + kAcceptPause;
            }
            return;
        }
        const int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        auto connection = std::make_unique<Connection>(fd, peer, peerLength, settings_.maxBodyBytes);
        Connection& c = *connection;
        c.since = now;
        if (metrics_.openConnections.load() >= settings_.maxConnections) {
            metrics_.countClose(CloseReason::OverCapacity);
            c.io->trySend(errorResponse(503, "overloaded", "too many open connections; retry later"));
            continue;  // closed by the destructor
        }
        {
            std::lock_guard lock(registryMutex_);
            connections_.emplace(&c, std::move(connection));
            ++metrics_.openConnections;
        }
        // Under load the request is often here already: no epoll round for it.
        onReadable(c, now);
    }
}

void HttpEdge::onReadable(Connection& c, Clock::time_point now) {
    // Pairs with the release in park(): what the worker wrote is visible here.
    if (c.state.load(std::memory_order_acquire) != Connection::State::Waiting) return;
    const std::size_t before = c.io->buffered().size();
    const auto fill = c.io->fill(c.draining ? 64 * 1024 : maxBuffered_);
    if (c.draining) {
        c.io->beginRequest(c.io->buffered().size(), {}, {});
        c.io->endRequest();
        if (fill == BufferedSocketImpl::Fill::Open) arm(c);
        else close(c);
        return;
    }
    if (fill == BufferedSocketImpl::Fill::Failed) {
        close(c);
        return;
    }
    const std::size_t after = c.io->buffered().size();
    if (after > before) {
        if (before == 0) c.since = now;
        c.lastByte = now;
    }
    c.peerClosed = fill == BufferedSocketImpl::Fill::PeerClosed;
    if (after == 0) {
        if (c.peerClosed) close(c);
        else arm(c);
        return;
    }
    c.framing = c.framer.feed(c.io->buffered());
    if (c.framing.kind != Framing::Kind::Incomplete) {
        dispatch(c);
        return;
    }
    if (c.peerClosed) {
        close(c);
        return;
    }
    if (c.framing.expectsContinue && !c.continueSent) {
        c.continueSent = true;
        if (!c.io->trySend("HTTP/1.1 100 Continue\r\n\r\n")) {
            close(c);
            return;
        }
    }
    arm(c);
}

void HttpEdge::sweep(Clock::time_point now) {
    if (!listening_ && now >= acceptPausedUntil_ && !stopping_) {
        epoll_event listen{EPOLLIN, {.ptr = &listener_}};
        listening_ = ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_.impl()->sockfd(), &listen) == 0;
    }
    std::vector<Connection*> expired;
    {
        std::lock_guard lock(registryMutex_);
        for (const auto& [c, owner] : connections_) {
            if (c->state.load(std::memory_order_acquire) != Connection::State::Waiting) continue;
            if (c->draining) {
                if (now >= c->since + kDrainTime) expired.push_back(c);
            } else if (c->io->buffered().empty()) {
                if (now >= c->since + settings_.idleTimeout) {
                    metrics_.countClose(CloseReason::IdleTimeout);
                    expired.push_back(c);
                }
            } else if (now >= c->since + settings_.requestTimeout || now >= c->lastByte + settings_.timeout) {
                metrics_.countClose(CloseReason::RequestTimeout);
                c->io->trySend(errorResponse(408, "request_timeout", "the request was not received in time"));
                expired.push_back(c);
            }
        }
    }
    for (Connection* c : expired) close(*c);
}

void HttpEdge::dispatch(Connection& c) {
    c.state.store(Connection::State::Busy, std::memory_order_relaxed);
    bool full = false;
    {
        std::lock_guard lock(queueMutex_);
        if (queue_.size() >= static_cast<std::size_t>(settings_.maxQueued)) {
            full = true;
        } else {
            queue_.push_back(&c);
            if (idleWorkers_ == 0 && workers_.size() < static_cast<std::size_t>(settings_.maxThreads)) {
                workers_.push_back(startNamedThread("http-worker", [this] { runWorker(); }));
            } else if (queue_.size() > idleWorkers_) {
                setPressure(true);  // no idle worker for it: lingering ones give up their wait
            }
        }
    }
    if (full) {
        metrics_.countClose(CloseReason::OverCapacity);
        c.io->trySend(errorResponse(503, "overloaded", "too many requests waiting; retry later"));
        close(c);
        return;
    }
    queueReady_.notify_one();
}

// --- workers --------------------------------------------------------------

void HttpEdge::runWorker() {
    std::unique_lock lock(queueMutex_);
    while (true) {
        ++idleWorkers_;
        queueReady_.wait(lock, [this] { return !queue_.empty() || workersStop_; });
        --idleWorkers_;
        if (queue_.empty()) return;
        Connection* c = queue_.front();
        queue_.pop_front();
        if (queue_.empty() && !workersStop_) setPressure(false);
        lock.unlock();
        serve(*c);
        lock.lock();
    }
}

void HttpEdge::serve(Connection& c) {
    while (true) {
        if (c.framing.kind == Framing::Kind::Rejected) {
            reject(c, c.framing);
            return;
        }
        switch (exchange(c)) {
        case Outcome::KeepAlive:
            break;
        case Outcome::Close:
            finish(c);
            return;
        case Outcome::Dropped:
            close(c);
            return;
        case Outcome::HandedOver:
            forget(c);
            return;
        }
        if (stopping_) {
            finish(c);
            return;
        }
        c.framer.reset();
        c.continueSent = false;
        if (c.io->buffered().empty() && !awaitNextRequest(c)) break;
        // Pipelined, or sent while we waited: the next request may already be here.
        c.framing = c.framer.feed(c.io->buffered());
        if (c.framing.kind == Framing::Kind::Incomplete) break;
    }
    if (c.peerClosed) close(c);
    else park(c);
}

HttpEdge::Outcome HttpEdge::exchange(Connection& c) {
    c.io->beginRequest(c.framing.length, settings_.timeout, settings_.requestTimeout);
    Outcome outcome = Outcome::Close;
    try {
        EdgeResponse response(*c.io);
        EdgeRequest request(c.io->buffered().substr(0, c.framing.length), c.framer.head(), response, c.socket,
                            *params_);
        response.answerHeadOnly(request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
        setDateNow(response);
        response.setVersion(request.getVersion());
        response.setKeepAlive(request.getKeepAlive() && !c.peerClosed && !stopping_);
        response.set("Server", "rockets");
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory_->createRequestHandler(request));
        handler->handleRequest(request, response);
        if (request.detached()) {
            outcome = Outcome::HandedOver;  // the handler took the socket and owns it now
        } else {
            response.finish();
            if (response.sent() && response.getKeepAlive()) outcome = Outcome::KeepAlive;
        }
    } catch (const std::exception& e) {
        // The client vanished or stopped reading its answer.
        logger().debug("connection dropped: %s", std::string(e.what()));
        outcome = Outcome::Dropped;
    }
    c.io->endRequest();
    return outcome;
}

bool HttpEdge::awaitNextRequest(Connection& c) {
    {
        std::lock_guard lock(queueMutex_);
        if (!queue_.empty()) return false;  // others are waiting for a worker
    }
    std::array<pollfd, 2> p{pollfd{c.io->sockfd(), POLLIN, 0}, pollfd{pressure_, POLLIN, 0}};
    if (::poll(p.data(), p.size(), static_cast<int>(settings_.keepAliveWait.count())) < 1 || p[1].revents != 0 ||
        p[0].revents == 0) {
        return false;
    }
    const auto fill = c.io->fill(maxBuffered_);
    c.peerClosed = fill == BufferedSocketImpl::Fill::PeerClosed;
    return fill != BufferedSocketImpl::Fill::Failed && !c.io->buffered().empty();
}

void HttpEdge::setPressure(bool on) {
    if (on == pressured_) return;
    pressured_ = on;
    std::uint64_t value = 1;
    // Readable while set: every lingering worker's poll returns. Clearing reads it back to zero.
    const auto done = on ? ::write(pressure_, &value, sizeof value) : ::read(pressure_, &value, sizeof value);
    if (done < 0 && errno != EAGAIN) logger().error("pressure eventfd: %s", std::string(std::strerror(errno)));
}

void HttpEdge::reject(Connection& c, const Framing& framing) {
    metrics_.countClose(CloseReason::Rejected);
    c.io->beginRequest(0, settings_.timeout, settings_.requestTimeout);
    try {
        c.io->sendAll(errorResponse(framing.status, framing.code, framing.message));
    } catch (const std::exception&) {
        close(c);
        return;
    }
    finish(c);
}

void HttpEdge::finish(Connection& c) {
    if (c.io->buffered().empty() || c.peerClosed) {
        close(c);
        return;
    }
    ::shutdown(c.io->sockfd(), SHUT_WR);
    c.draining = true;
    c.since = Clock::now();
    park(c);
}

void HttpEdge::park(Connection& c) {
    std::unique_lock lock(registryMutex_);
    if (stopping_) {
        lock.unlock();
        close(c);
        return;
    }
    if (!c.draining) c.since = c.lastByte = Clock::now();
    c.state.store(Connection::State::Waiting, std::memory_order_release);
    arm(c);
}

void HttpEdge::arm(Connection& c) {
    epoll_event event{EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, {.ptr = &c}};
    // A connection served straight from accept() was never registered.
    if (::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.io->sockfd(), &event) != 0 &&
        (errno != ENOENT || ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.io->sockfd(), &event) != 0)) {
        logger().error("epoll_ctl: %s", std::string(std::strerror(errno)));
    }
}

void HttpEdge::close(Connection& c) {
    std::lock_guard lock(registryMutex_);
    if (connections_.erase(&c) > 0) --metrics_.openConnections;
}

void HttpEdge::forget(Connection& c) {
    // The socket stays open (the new owner holds its impl); only epoll and the registry let go.
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.io->sockfd(), nullptr);
    close(c);
}

}  // namespace rockets::server
