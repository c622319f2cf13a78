#include "Service.h"

#include "Router.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

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

}  // namespace

Service::Service(const Settings& settings, Stores& stores)
    : settings_(settings),
      consumer_(stores.events(), stores.rockets(), consumerOptions(settings)),
      context_{settings_, stores, stores.events(), stores.rockets(), consumer_, metrics_},
      threads_("rockets-http", 2, settings.maxThreads) {}

Service::~Service() { stop(); }

void Service::start() {
    consumer_.start();
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (Poco's one-flag bind
    // sets both): a second server on a busy port must fail, not share its traffic.
    socket.bind(Poco::Net::SocketAddress(settings_.host, static_cast<Poco::UInt16>(settings_.port)), true, false);
    socket.listen(settings_.maxQueued);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(settings_.maxThreads);
    params->setMaxQueued(settings_.maxQueued);
    params->setTimeout(Poco::Timespan(settings_.timeout.count() * 1000));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings_.timeout.count() * 1000));
    params->setServerName("rockets");
    http_ = std::make_unique<Poco::Net::HTTPServer>(new Router(context_), threads_, socket, params);
    http_->start();
    running_ = true;
    Poco::Logger::get("rockets").information("listening on http://%s:%d", settings_.host, port());
}

void Service::stop() {
    if (!running_) return;
    running_ = false;
    // Stop accepting; requests in flight complete, idle keep-alive connections close.
    http_->stopAll(false);
    threads_.joinAll();
    consumer_.waitIdle(std::chrono::seconds(30));
    consumer_.stop();
    http_.reset();
}

int Service::port() const { return http_ ? http_->port() : settings_.port; }

}  // namespace rockets::server
