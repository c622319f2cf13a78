#include "OpsHandlers.h"

#include "HttpUtil.h"
#include "ScrapedMetrics.h"

#include "rockets/Codec.h"

namespace rockets::server {

using Poco::Net::HTTPResponse;

namespace {

void appendStore(std::string& body, const std::string& plugin, const StoreHealth& health) {
    body += "{\"plugin\":";
    appendJsonString(body, plugin);
    body += ",\"status\":";
    appendJsonString(body, health.ok ? "ok" : "unavailable");
    body += ",\"detail\":";
    appendJsonString(body, health.detail);
    body += '}';
}

}  // namespace

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    // Each backend is asked once (one object serves both stores when both name the same plugin).
    StoreHealth events, rockets;
    std::string eventsPlugin, rocketsPlugin;
    for (const Stores::Member& member : context_.stores.members()) {
        const StoreHealth health = member.backend->health();
        if (member.role != "rockets") {
            events = health;
            eventsPlugin = member.plugin;
        }
        if (member.role != "events") {
            rockets = health;
            rocketsPlugin = member.plugin;
        }
    }
    const bool healthy = events.ok && rockets.ok;
    std::string body = "{\"status\":";
    appendJsonString(body, healthy ? "ok" : "unavailable");
    body += ",\"stores\":{\"events\":";
    appendStore(body, eventsPlugin, events);
    body += ",\"rockets\":";
    appendStore(body, rocketsPlugin, rockets);
    body += "}}";
    response.set("Cache-Control", "no-store");
    if (!healthy) response.set("Retry-After", "1");
    sendJson(response, healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE, body);
}

void LivenessHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    response.set("Cache-Control", "no-store");
    sendJson(response, HTTPResponse::HTTP_OK, R"({"status":"ok"})");
}

void MetricsHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    const std::string body = context_.metrics.render(ScrapedMetrics(context_));
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.sendBuffer(body.data(), body.size());
}

void OptionsHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    response.set("Allow", allow_);
    cors_.applyPreflight(request, response, allow_);
    response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
    response.send();
}

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (status_ == HTTPResponse::HTTP_METHOD_NOT_ALLOWED) {
        sendMethodNotAllowed(response, allow_);
        return;
    }
    sendError(response, status_, "not_found", "no such path: " + request.getURI());
}

}  // namespace rockets::server
