#pragma once

#include "rockets/Rocket.h"
#include "rockets/sim/Target.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rockets::sim::test {

/// What the fake saw of one POST /messages.
struct ReceivedPost {
    std::string body;
    bool keepAlive = false;  ///< the request asked to keep the connection
    std::string userAgent;
};

/// An in-process HTTP server on 127.0.0.1 port 0 that serves whatever rockets the
/// test puts in it (right or deliberately wrong) and answers POST /messages with a
/// scripted sequence of statuses, recording every request.
class FakeRocketsServer {
public:
    FakeRocketsServer();
    ~FakeRocketsServer();

    /// http://127.0.0.1:<port>/messages
    Target target() const;

    /// Serves `rocket` at GET /rockets/{channel} and in GET /rockets.
    void putRocket(const Rocket& rocket);

    /// The next POSTs are answered with these statuses, in order; after that 202.
    /// A 200 answers {"status":"duplicate"}.
    void scriptPostStatuses(std::deque<int> statuses);

    /// Makes GET /rockets send this X-Total-Count instead of the true one.
    void overrideTotalCount(std::size_t total);

    std::vector<ReceivedPost> posts() const;
    /// Raw request paths of every GET, as received (still percent-encoded).
    std::vector<std::string> getPaths() const;

    /// Shared with the request handlers.
    struct State {
        mutable std::mutex mutex;
        std::map<std::string, Rocket> rockets;
        std::deque<int> postStatuses;
        std::optional<std::size_t> totalCountOverride;
        std::vector<ReceivedPost> posts;
        std::vector<std::string> getPaths;
    };

private:
    std::shared_ptr<State> state_;
    Poco::ThreadPool threads_{1, 8};  ///< declared before server_: outlives it
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace rockets::sim::test
