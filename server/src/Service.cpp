#include "Service.h"

#include "Router.h"

#include <Poco/Logger.h>
#include <Poco/Util/TimerTaskAdapter.h>

namespace rockets::server {

namespace {

OrderingConsumer::Options consumerOptions(const Settings& settings) {
    OrderingConsumer::Options options;
    options.workers = settings.consumerWorkers;
    options.sweepInterval = settings.sweepInterval;
    options.maxUnappliedPerChannel = settings.maxUnappliedPerChannel;
    options.maxUnappliedTotal = settings.maxUnappliedTotal;
    return options;
}

StreamHub::Options streamOptions(const Settings& settings, std::function<void()> onReserve,
                                 std::function<void()> onIdle) {
    StreamHub::Options options;
    options.maxStreams = static_cast<std::size_t>(settings.maxStreams);
    options.heartbeat = settings.streamHeartbeat;
    options.onReserve = std::move(onReserve);
    options.onIdle = std::move(onIdle);
    return options;
}

/// The plugin serving `role` ("events" or "rockets").
std::string pluginFor(const Stores& stores, const std::string& role) {
    for (const Stores::Member& member : stores.members()) {
        if (member.role.find(role) != std::string::npos) return member.plugin;
    }
    return "unknown";
}

}  // namespace

Service::Service(const Settings& settings, Stores& stores)
    : settings_(settings),
      stores_(stores),
      events_(stores.events(), metrics_, pluginFor(stores, "events")),
      rockets_(stores.rockets(), metrics_, pluginFor(stores, "rockets")),
      throttle_(Poco::Logger::get("rockets.http")),
      streams_(std::make_unique<StreamHub>(
          streamOptions(settings, [this] { feed_->hold(); }, [this] { feed_->idle(); }))),
      consumer_(events_, rockets_, consumerOptions(settings),
                [this](const Rocket& before, const Rocket& after) {
                    if (!sharedFeed_.load(std::memory_order_relaxed)) streams_->publish(after, before);
                }),
      context_{settings_, stores, events_, rockets_, consumer_, metrics_, *streams_, throttle_} {
    feed_ = std::make_unique<SharedFeed>(rockets_, *streams_, settings.streamFeedLinger);
    throttleTimer_.scheduleAtFixedRate(new Poco::Util::TimerTaskAdapter<Service>(*this, &Service::flushThrottle),
                                       10000, 10000);
}

void Service::flushThrottle(Poco::Util::TimerTask&) { throttle_.flush(); }

Service::~Service() {
    stop();
    throttleTimer_.cancel(true);
}

void Service::start() {
    sharedFeed_ = feed_->start();
    try {
        consumer_.start();
        http_ = std::make_unique<HttpEdge>(settings_, new Router(context_), metrics_);
        http_->start();
    } catch (...) {
        http_.reset();
        consumer_.stop();
        unsubscribe();
        throw;
    }
    running_ = true;
    Poco::Logger::get("rockets").information("listening on http://%s:%d", settings_.host, port());
}

void Service::stop() {
    if (!running_) return;
    running_ = false;
    // Stop accepting; requests in flight complete, idle keep-alive connections close.
    http_->stop();
    consumer_.waitIdle(std::chrono::seconds(30));
    consumer_.stop();
    unsubscribe();
    http_.reset();
    // Clients reconnect (to the next process) and resync.
    streams_->closeAll();
}

void Service::unsubscribe() {
    feed_->stop();
    sharedFeed_ = false;
}

int Service::port() const { return http_ ? http_->port() : settings_.port; }

}  // namespace rockets::server
