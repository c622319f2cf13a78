#include "HistoryHandler.h"

#include "HttpUtil.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <charconv>

namespace rockets::server {

using Poco::Net::HTTPResponse;

std::variant<HistoryQuery, std::string> HistoryHandler::parseQuery(const std::string& query) {
    HistoryQuery q;
    auto parsed = parseQueryParameters(query);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    for (const auto& [name, value] : std::get<Poco::URI::QueryParameters>(parsed)) {
        if (name == "from") {
            auto from = parseBoundedInteger<std::int64_t>(value, 1, kMaxJsonInteger);
            if (!from) return "from must be an integer from 1 to 2^53-1, got '" + value + "'";
            q.from = *from;
        } else if (name == "limit") {
            auto limit = parseBoundedInteger<std::size_t>(value, 1, kMaxLimit);
            if (!limit) return "limit must be an integer from 1 to " + std::to_string(kMaxLimit) + ", got '" + value + "'";
            q.limit = *limit;
        } else {
            return "unknown query parameter '" + name + "' (this path takes from, limit)";
        }
    }
    return q;
}

void HistoryHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    auto parsed = parseQuery(query_);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query", *error);
        return;
    }
    const HistoryQuery& query = std::get<HistoryQuery>(parsed);
    try {
        // The version first: a message applied between the two reads then shows as not
        // yet applied, never the other way round.
        const std::optional<Rocket> rocket = context_.rockets.get(channel_);
        const std::int64_t version = rocket ? rocket->lastMessageNumber : 0;
        const std::vector<Message> messages = context_.events.read(channel_, query.from, query.limit);
        if (messages.empty() && context_.events.read(channel_, 1, 1).empty()) {
            sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                      "no stored message on channel '" + channel_ + "'");
            return;
        }
        std::string body = "[";
        for (const Message& message : messages) {
            if (body.size() > 1) body += ',';
            body += "{\"messageNumber\":" + std::to_string(message.number) + ",\"messageType\":";
            appendJsonString(body, toString(message.type()));
            body += ",\"messageTime\":";
            appendJsonString(body, message.time);
            body += ",\"message\":" + encodePayload(message.payload);
            body += message.number <= version ? ",\"applied\":true}" : ",\"applied\":false}";
        }
        body += ']';
        response.set("X-Applied-Version", std::to_string(version));
        sendJson(response, HTTPResponse::HTTP_OK, body);
    } catch (const StoreUnavailableException& e) {
        context_.throttle.log(Poco::Message::PRIO_WARNING, "history:" + e.displayText(),
                              "history read failed, answering 503: " + e.displayText());
        response.set("Retry-After", "1");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  "the store is unavailable; retry later");
    }
}

}  // namespace rockets::server
