#pragma once

#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace rockets::server {

/// Maps method and path to a handler (DESIGN §2): POST /messages, GET /rockets,
/// GET /rockets/{channel}, GET /healthz, GET /metrics; 405 with Allow for another
/// method on a known path, 404 otherwise. Every handler is wrapped so that no
/// exception escapes to Poco (which would drop the connection) and its time is
/// recorded.
class Router final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Router(ServiceContext& context) : context_(context) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Poco::Net::HTTPRequestHandler* route(const Poco::Net::HTTPServerRequest& request);

    ServiceContext& context_;
};

}  // namespace rockets::server
