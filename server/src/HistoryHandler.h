#pragma once

#include "ServiceContext.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace rockets::server {

/// The parameters of GET /rockets/{channel}/messages.
struct HistoryQuery {
    std::int64_t from = 1;
    std::size_t limit = 100;
};

/// GET /rockets/{channel}/messages?from=N&limit=M: a channel's stored messages in
/// number order, each with whether it has been applied (number <= the projection's
/// version, also sent as X-Applied-Version).
class HistoryHandler final : public Poco::Net::HTTPRequestHandler {
public:
    /// `channel` is already percent-decoded.
    HistoryHandler(ServiceContext& context, std::string channel, std::string query)
        : context_(context), channel_(std::move(channel)), query_(std::move(query)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// Parses the query string; a human-readable error on bad input.
    static std::variant<HistoryQuery, std::string> parseQuery(const std::string& query);

    static constexpr std::size_t kMaxLimit = 1000;

private:
    ServiceContext& context_;
    std::string channel_;
    std::string query_;
};

}  // namespace rockets::server
