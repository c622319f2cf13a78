#pragma once

#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace rockets::server {

/// POST /messages: limit, authenticate, parse and validate, append, notify the
/// consumer, answer per DESIGN §2 (202 / 200 duplicate / 200 conflict / 4xx / 503).
class MessagesHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit MessagesHandler(ServiceContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    /// Reads at most maxBodyBytes; false (and `body` incomplete) when the body is larger.
    bool readBody(Poco::Net::HTTPServerRequest& request, std::string& body) const;
    bool authorized(const Poco::Net::HTTPServerRequest& request) const;

    ServiceContext& context_;
};

}  // namespace rockets::server
