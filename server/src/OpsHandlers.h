#pragma once

#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

#include <string>

namespace rockets::server {

/// GET /healthz: 200 when both stores answer, 503 otherwise, with each store's state.
class HealthHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit HealthHandler(ServiceContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceContext& context_;
};

/// GET /metrics: Prometheus text format.
class MetricsHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit MetricsHandler(ServiceContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceContext& context_;
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
