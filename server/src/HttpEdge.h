#pragma once

#include "Connection.h"
#include "Metrics.h"
#include "Settings.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rockets::server {

/// The HTTP server: one epoll thread (the front) accepts connections and holds
/// every connection that is idle or still receiving its request, without a thread;
/// a connection goes to the worker pool only when a whole request (head and body)
/// is buffered, and comes back to the front between keep-alive requests. So slow
/// or idle clients cost a file descriptor and a buffer, never a worker. The front
/// enforces the idle timeout, the whole-request deadline and the connection cap;
/// RequestFramer reads each request's bytes once, and the handlers (Router) answer
/// the EdgeRequest built from that reading through an EdgeResponse. Decision record:
/// docs/decisions/2026-11-27-http-edge.md.
class HttpEdge {
public:
    HttpEdge(const Settings& settings, Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Metrics& metrics);
    ~HttpEdge();

    HttpEdge(const HttpEdge&) = delete;
    HttpEdge& operator=(const HttpEdge&) = delete;

    /// Binds settings.host:port and starts the front. Throws Poco::Net::NetException
    /// when the address cannot be bound.
    void start();

    /// Stops accepting, closes idle and half-received connections, lets the workers
    /// answer every complete request already received (with Connection: close),
    /// joins all threads. Idempotent.
    void stop();

    /// The bound port (useful with port 0).
    int port() const { return port_; }

private:
    using Clock = Connection::Clock;

    void runFront();
    void acceptAll(Clock::time_point now);
    void onReadable(Connection& connection, Clock::time_point now);
    void sweep(Clock::time_point now);
    void dispatch(Connection& connection);

    void runWorker();
    void serve(Connection& connection);
    enum class Outcome { KeepAlive, Close, Dropped, HandedOver };
    /// Runs one framed request through the handlers (EdgeRequest, EdgeResponse).
    Outcome exchange(Connection& connection);
    /// Waits up to settings.keepAliveWait for the next request on a kept-alive
    /// connection when no other connection waits for a worker, and stops waiting as
    /// soon as one does: a client that answers within it is served without the two
    /// thread switches of a round through the front (64 keep-alive clients on two
    /// cores come back after 3–5 ms; bench/PROFILE.md, HTTP edge). True when bytes
    /// arrived.
    bool awaitNextRequest(Connection& connection);
    /// Sets or clears the signal that a queued connection has no idle worker
    /// (queueMutex_ held).
    void setPressure(bool on);
    void reject(Connection& connection, const Framing& framing);

    /// Hands a connection back to the front (worker side).
    void park(Connection& connection);
    /// Closes after our answer; unread input is drained first so that the client
    /// reads the answer instead of a reset.
    void finish(Connection& connection);
    void arm(Connection& connection);
    void close(Connection& connection);
    /// Lets go of a connection whose socket a handler took over (GET /changes), without closing it.
    void forget(Connection& connection);

    const Settings& settings_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Metrics& metrics_;
    const std::size_t maxBuffered_;
    const std::chrono::milliseconds sweepInterval_;

    Poco::Net::ServerSocket listener_;
    int port_ = 0;
    int epoll_ = -1;
    int wake_ = -1;  ///< eventfd that interrupts epoll_wait on stop()
    bool listening_ = false;
    Clock::time_point acceptPausedUntil_{};
    std::thread front_;
    std::atomic<bool> stopping_{false};
    bool running_ = false;

    std::mutex registryMutex_;
    std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;

    std::mutex queueMutex_;
    std::condition_variable queueReady_;
    std::deque<Connection*> queue_;
    std::vector<std::thread> workers_;
    std::size_t idleWorkers_ = 0;
    bool workersStop_ = false;
    int pressure_ = -1;       ///< eventfd, readable while pressured_
    bool pressured_ = false;  ///< queueMutex_
};

}  // namespace rockets::server
