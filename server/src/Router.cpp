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
#include <memory>

namespace rockets::server {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

namespace {

/// Catches everything a handler throws (answering 500 if nothing was sent yet)
/// and records the request's duration.
class GuardedHandler final : public Poco::Net::HTTPRequestHandler {
public:
    GuardedHandler(Poco::Net::HTTPRequestHandler* inner, Metrics& metrics) : inner_(inner), metrics_(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const auto started = std::chrono::steady_clock::now();
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
    Metrics& metrics_;
};

const std::string kRocketsPrefix = "/rockets/";
const std::string kMessagesSuffix = "/messages";

}  // namespace

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
    return new GuardedHandler(route(request), context_.metrics);
}

Poco::Net::HTTPRequestHandler* Router::route(const Poco::Net::HTTPServerRequest& request) {
    std::string path, query;
    splitTarget(request.getURI(), path, query);
    const std::string& method = request.getMethod();
    const bool get = method == HTTPRequest::HTTP_GET;

    auto onlyGet = [&](auto makeHandler) -> Poco::Net::HTTPRequestHandler* {
        if (!get) return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "GET");
        return makeHandler();
    };

    if (path == "/messages") {
        if (method != HTTPRequest::HTTP_POST) return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "POST");
        return new MessagesHandler(context_);
    }
    if (path == "/rockets") {
        return onlyGet([&] { return new RocketsHandler(context_, std::nullopt, query); });
    }
    if (path.size() > kRocketsPrefix.size() && path.starts_with(kRocketsPrefix)) {
        // /rockets/{channel} or /rockets/{channel}/messages; a '/' inside a channel is %2F.
        std::string encoded = path.substr(kRocketsPrefix.size());
        const bool history = encoded.ends_with(kMessagesSuffix) && encoded.size() > kMessagesSuffix.size();
        if (history) encoded.resize(encoded.size() - kMessagesSuffix.size());
        if (encoded.find('/') != std::string::npos) return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "");
        std::string channel;
        try {
            Poco::URI::decode(encoded, channel);
        } catch (const Poco::Exception&) {
            return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "");
        }
        if (history) return onlyGet([&] { return new HistoryHandler(context_, std::move(channel), query); });
        return onlyGet([&] { return new RocketsHandler(context_, std::move(channel), ""); });
    }
    if (path == "/changes") return onlyGet([&] { return new ChangesHandler(context_, context_.streams, query); });
    if (const EmbeddedFile* file = StaticHandler::find(path)) {
        return onlyGet([&] { return new StaticHandler(*file); });
    }
    if (path == "/healthz") return onlyGet([&] { return new HealthHandler(context_); });
    if (path == "/metrics") return onlyGet([&] { return new MetricsHandler(context_); });
    return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "");
}

}  // namespace rockets::server
