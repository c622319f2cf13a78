#include "OpsHandlers.h"

#include "HttpUtil.h"

#include "rockets/Codec.h"

#include <sstream>

namespace rockets::server {

using Poco::Net::HTTPResponse;

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    // Each backend once (one object serves both stores when both name the same plugin).
    StoreHealth events, rockets;
    for (const Stores::Member& member : context_.stores.members()) {
        const StoreHealth health = member.backend->health();
        if (member.role != "rockets") events = health;
        if (member.role != "events") rockets = health;
    }
    const bool healthy = events.ok && rockets.ok;
    std::string body = "{\"status\":";
    appendJsonString(body, healthy ? "ok" : "unavailable");
    body += ",\"stores\":{\"events\":";
    appendJsonString(body, events.detail);
    body += ",\"rockets\":";
    appendJsonString(body, rockets.detail);
    body += "}}";
    if (!healthy) response.set("Retry-After", "1");
    sendJson(response, healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE, body);
}

void MetricsHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    const ConsumerStats& stats = context_.consumer.stats();
    const std::uint64_t accepted = context_.metrics.total(Outcome::Accepted);
    const std::uint64_t applied = stats.applied.load();
    std::ostringstream extra;
    extra << "# HELP rockets_messages_applied_total Messages folded into the projection by this process.\n"
          << "# TYPE rockets_messages_applied_total counter\n"
          << "rockets_messages_applied_total " << applied << '\n'
          << "# HELP rockets_consumer_lag Messages accepted by this process and not yet applied.\n"
          << "# TYPE rockets_consumer_lag gauge\n"
          << "rockets_consumer_lag " << (accepted > applied ? accepted - applied : 0) << '\n'
          << "# TYPE rockets_consumer_cas_conflicts_total counter\n"
          << "rockets_consumer_cas_conflicts_total " << stats.casConflicts.load() << '\n'
          << "# TYPE rockets_consumer_overflows_total counter\n"
          << "rockets_consumer_overflows_total " << stats.overflows.load() << '\n'
          << "# TYPE rockets_consumer_store_errors_total counter\n"
          << "rockets_consumer_store_errors_total " << stats.storeErrors.load() << '\n'
          << "# TYPE rockets_consumer_sweeps_total counter\n"
          << "rockets_consumer_sweeps_total " << stats.sweeps.load() << '\n'
          << "# HELP rockets_unapplied_messages Stored messages not yet applied (stored counts minus applied versions"
             " over every channel, from the stores; refreshed by every sweep).\n"
          << "# TYPE rockets_unapplied_messages gauge\n"
          << "rockets_unapplied_messages " << context_.consumer.backlog().unapplied() << '\n'
          << "# HELP rockets_consumer_retrying_channels Channels waiting to retry after a store error.\n"
          << "# TYPE rockets_consumer_retrying_channels gauge\n"
          << "rockets_consumer_retrying_channels " << stats.retrying.load() << '\n'
          << "# HELP rockets_consumer_parked_channels Channels set aside for unreadable data until restart.\n"
          << "# TYPE rockets_consumer_parked_channels gauge\n"
          << "rockets_consumer_parked_channels " << stats.parked.load() << '\n'
          << "# HELP rockets_http_streams_open GET /changes streams open now.\n"
          << "# TYPE rockets_http_streams_open gauge\n"
          << "rockets_http_streams_open " << context_.streams.streams() << '\n';
    const std::string body = context_.metrics.render(extra.str());
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (status_ == HTTPResponse::HTTP_METHOD_NOT_ALLOWED) {
        sendMethodNotAllowed(response, allow_);
        return;
    }
    sendError(response, status_, "not_found", "no such path: " + request.getURI());
}

}  // namespace rockets::server
