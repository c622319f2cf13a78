#pragma once

#include "ServiceContext.h"

#include "rockets/RocketStore.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <optional>
#include <string>
#include <variant>

namespace rockets::server {

/// GET /rockets (sort, filter, page, X-Total-Count) and GET /rockets/{channel}.
class RocketsHandler final : public Poco::Net::HTTPRequestHandler {
public:
    /// `channel` empty: the list; otherwise the already percent-decoded channel.
    RocketsHandler(ServiceContext& context, std::optional<std::string> channel, std::string query)
        : context_(context), channel_(std::move(channel)), query_(std::move(query)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// Parses the query string of GET /rockets; a human-readable error on bad input.
    static std::variant<RocketQuery, std::string> parseQuery(const std::string& query);

private:
    void handleOne(Poco::Net::HTTPServerResponse& response);
    void handleList(Poco::Net::HTTPServerResponse& response);

    ServiceContext& context_;
    std::optional<std::string> channel_;
    std::string query_;
};

}  // namespace rockets::server
