#pragma once

#include "CorsPolicy.h"
#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace rockets::server {

/// Maps method and path to a handler (docs/openapi.json): POST /messages; GET (and
/// HEAD) /rockets, /rockets/{channel}, /rockets/{channel}/messages, /changes,
/// /healthz, /livez, /metrics, /openapi.json, / and /assets/*; OPTIONS on each of
/// them (204 with Allow); 405 with Allow for another method on a known path, 404
/// otherwise. Every handler is wrapped so that no exception escapes to Poco (which
/// would drop the connection), its answer carries the CORS headers, and its time is
/// recorded.
class Router final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Router(ServiceContext& context) : context_(context), cors_(context.settings.corsOrigins) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Poco::Net::HTTPRequestHandler* route(const Poco::Net::HTTPServerRequest& request);

    ServiceContext& context_;
    CorsPolicy cors_;
};

}  // namespace rockets::server
