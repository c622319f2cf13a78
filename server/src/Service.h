#pragma once

#include "HttpEdge.h"
#include "Metrics.h"
#include "ServiceContext.h"
#include "Settings.h"
#include "SharedFeed.h"
#include "StreamHub.h"
#include "TimedStores.h"

#include "rockets/EventStore.h"
#include "rockets/LogThrottle.h"
#include "rockets/OrderingConsumer.h"
#include "rockets/RocketStore.h"
#include "rockets/Stores.h"

#include <Poco/Util/Timer.h>

#include <atomic>
#include <memory>

namespace rockets::server {

/// The running service on opened stores: the ordering consumer and the HTTP
/// server. Used by the daemon and, in-process on port 0, by the API tests.
/// The stores must be open and outlive it.
class Service {
public:
    Service(const Settings& settings, Stores& stores);
    ~Service();

    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    /// Subscribes the change streams to the store's shared feed when it has one (held
    /// while streams are open, see SharedFeed), starts
    /// the consumer (with its start-up pass), then binds and starts HTTP.
    void start();

    /// Graceful stop: stop accepting, let in-flight requests finish, join the
    /// request threads, drain and stop the consumer, then close the change streams.
    /// Idempotent.
    void stop();

    /// The bound port (useful when settings.port was 0).
    int port() const;

    Metrics& metrics() { return metrics_; }
    OrderingConsumer& consumer() { return consumer_; }
    StreamHub& streams() { return *streams_; }

private:
    /// Ends the shared-feed subscription, if any.
    void unsubscribe();
    void flushThrottle(Poco::Util::TimerTask& task);

    Settings settings_;
    Stores& stores_;
    Metrics metrics_;
    /// The stores as everything in the service sees them: timed per operation.
    TimedEventStore events_;
    TimedRocketStore rockets_;
    LogThrottle throttle_;
    /// Reports warnings the throttle held back once their interval is over.
    Poco::Util::Timer throttleTimer_;
    /// Declared before streams_ so that it outlives the hub, which calls it; made in
    /// the constructor's body, once the hub exists.
    std::unique_ptr<SharedFeed> feed_;
    std::unique_ptr<StreamHub> streams_;
    /// The store delivers every instance's changes to the streams (Redis; only while
    /// feed_ is subscribed); otherwise this process's consumer does. Read by consumer
    /// workers.
    std::atomic<bool> sharedFeed_{false};
    OrderingConsumer consumer_;
    ServiceContext context_;
    std::unique_ptr<HttpEdge> http_;
    bool running_ = false;
};

}  // namespace rockets::server
