#pragma once

#include "ServiceContext.h"
#include "StreamHub.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>
#include <variant>

namespace rockets::server {

/// The parameters of GET /changes.
struct ChangesQuery {
    StreamFilter filter;
    bool snapshot = false;
};

/// GET /changes: validates the query, takes a stream slot (503 beyond
/// rockets.http.maxStreams), sends the event-stream response head and hands the
/// connection to the StreamHub, which writes the stream from then on. The worker
/// thread returns at once.
class ChangesHandler final : public Poco::Net::HTTPRequestHandler {
public:
    ChangesHandler(ServiceContext& context, StreamHub& hub, std::string query)
        : context_(context), hub_(hub), query_(std::move(query)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// Parses the query string of GET /changes; a human-readable error on bad input.
    static std::variant<ChangesQuery, std::string> parseQuery(const std::string& query);

private:
    ServiceContext& context_;
    StreamHub& hub_;
    std::string query_;
};

}  // namespace rockets::server
