#include "Router.h"

#include "ChangesHandler.h"
#include "HistoryHandler.h"
#include "HttpUtil.h"
#include "MessagesHandler.h"
#include "OpsHandlers.h"
#include "RocketsHandler.h"
#include "StaticHandler.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <chrono>
#include <functional>
#include <memory>

namespace rockets::server {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

namespace {

/// Catches everything a handler throws (answering 500 if nothing was sent yet),
/// adds the CORS headers and records the request's duration.
class GuardedHandler final : public Poco::Net::HTTPRequestHandler {
public:
    GuardedHandler(Poco::Net::HTTPRequestHandler* inner, const CorsPolicy& cors, Metrics& metrics)
        : inner_(inner), cors_(cors), metrics_(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const auto started = std::chrono::steady_clock::now();
        cors_.apply(request, response);
        try {
            inner_->handleRequest(request, response);
        } catch (const std::exception& e) {
            fail(request, response, e.what());
        } catch (...) {
            fail(request, response, "unknown exception");
        }
        metrics_.observeRequest(std::chrono::steady_clock::now() - started);
    }

private:
    static void fail(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                     const std::string& what) {
        Poco::Logger::get("rockets.http").error("%s %s failed: %s", request.getMethod(), request.getURI(), what);
        if (response.sent()) return;
        response.setKeepAlive(false);
        sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                  "the server failed to handle this request");
    }

    std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
    const CorsPolicy& cors_;
    Metrics& metrics_;
};

/// A path the server serves: the one method it answers (GET also answers HEAD) and
/// how to make the handler for it.
struct Resource {
    std::string method;
    std::function<Poco::Net::HTTPRequestHandler*()> make;

    /// The Allow header's value for this path.
    std::string allow() const { return method == HTTPRequest::HTTP_GET ? "GET, HEAD, OPTIONS" : method + ", OPTIONS"; }
};

const std::string kRocketsPrefix = "/rockets/";
const std::string kMessagesSuffix = "/messages";

}  // namespace

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
    return new GuardedHandler(route(request), cors_, context_.metrics);
}

Poco::Net::HTTPRequestHandler* Router::route(const Poco::Net::HTTPServerRequest& request) {
    std::string path, query;
    splitTarget(request.getURI(), path, query);
    const std::string& method = request.getMethod();

    auto get = [](std::function<Poco::Net::HTTPRequestHandler*()> make) {
        return std::optional<Resource>(Resource{HTTPRequest::HTTP_GET, std::move(make)});
    };
    auto resolve = [&]() -> std::optional<Resource> {
        if (path == "/messages") return Resource{HTTPRequest::HTTP_POST, [&] { return new MessagesHandler(context_); }};
        if (path == "/rockets") return get([&] { return new RocketsHandler(context_, std::nullopt, query); });
        if (path.size() > kRocketsPrefix.size() && path.starts_with(kRocketsPrefix)) {
            // /rockets/{channel} or /rockets/{channel}/messages; a '/' inside a channel is %2F.
            std::string encoded = path.substr(kRocketsPrefix.size());
            const bool history = encoded.ends_with(kMessagesSuffix) && encoded.size() > kMessagesSuffix.size();
            if (history) encoded.resize(encoded.size() - kMessagesSuffix.size());
            if (encoded.find('/') != std::string::npos) return std::nullopt;
            std::string channel;
            try {
                Poco::URI::decode(encoded, channel);
            } catch (const Poco::Exception&) {
                return std::nullopt;
            }
            if (history) return get([&, channel] { return new HistoryHandler(context_, channel, query); });
            return get([&, channel] { return new RocketsHandler(context_, channel, query); });
        }
        if (path == "/changes") return get([&] { return new ChangesHandler(context_, context_.streams, query); });
        if (path == "/healthz") return get([&] { return new HealthHandler(context_); });
        if (path == "/livez") return get([] { return new LivenessHandler; });
        if (path == "/metrics") return get([&] { return new MetricsHandler(context_); });
        if (const EmbeddedFile* file = StaticHandler::find(path)) return get([file] { return new StaticHandler(*file); });
        return std::nullopt;
    };

    const std::optional<Resource> resource = resolve();
    if (!resource) return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "");
    if (method == HTTPRequest::HTTP_OPTIONS) return new OptionsHandler(resource->allow(), cors_);
    if (method == resource->method || (method == HTTPRequest::HTTP_HEAD && resource->method == HTTPRequest::HTTP_GET)) {
        return resource->make();
    }
    return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, resource->allow());
}

}  // namespace rockets::server
