#include "Service.h"

#include "Router.h"

#include <Poco/Logger.h>

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
      context_{settings_, stores, stores.events(), stores.rockets(), consumer_, metrics_} {}

Service::~Service() { stop(); }

void Service::start() {
    consumer_.start();
    http_ = std::make_unique<HttpEdge>(settings_, new Router(context_), metrics_);
    try {
        http_->start();
    } catch (...) {
        http_.reset();
        consumer_.stop();
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
    http_.reset();
}

int Service::port() const { return http_ ? http_->port() : settings_.port; }

}  // namespace rockets::server
