#pragma once

#include "CorsPolicy.h"
#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

#include <string>

namespace rockets::server {

/// GET /healthz, readiness: 200 when every store backend is healthy, 503 otherwise;
/// the body gives each store's plugin, state and cause (StoreBackend::health()).
class HealthHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit HealthHandler(ServiceContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceContext& context_;
};

/// GET /livez, liveness: 200 while the process serves HTTP; touches no store, so a
/// store outage never makes a supervisor restart a healthy process.
class LivenessHandler final : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;
};

/// GET /metrics: Prometheus text format.
class MetricsHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit MetricsHandler(ServiceContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceContext& context_;
};

/// OPTIONS on a served path: 204 with Allow (and the CORS preflight headers).
class OptionsHandler final : public Poco::Net::HTTPRequestHandler {
public:
    OptionsHandler(std::string allow, const CorsPolicy& cors) : allow_(std::move(allow)), cors_(cors) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    std::string allow_;
    const CorsPolicy& cors_;
};

/// Answers every request with one fixed error (404 unknown path, 405 wrong method).
class ErrorHandler final : public Poco::Net::HTTPRequestHandler {
public:
    ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string allow)
        : status_(status), allow_(std::move(allow)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    Poco::Net::HTTPResponse::HTTPStatus status_;
    std::string allow_;
};

}  // namespace rockets::server
