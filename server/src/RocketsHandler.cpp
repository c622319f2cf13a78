#include "RocketsHandler.h"

#include "HttpUtil.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <charconv>

namespace rockets::server {

using Poco::Net::HTTPResponse;

std::variant<RocketQuery, std::string> RocketsHandler::parseQuery(const std::string& query) {
    RocketQuery q;
    auto parsed = parseQueryParameters(query);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    for (const auto& [name, value] : std::get<Poco::URI::QueryParameters>(parsed)) {
        if (name == "sort") {
            auto field = sortFieldFromString(value);
            if (!field)
                return "unknown sort field '" + value +
                       "' (one of channel, type, mission, speed, status, launchedAt, updatedAt, lastMessageNumber)";
            q.sort = *field;
        } else if (name == "order") {
            if (value != "asc" && value != "desc") return "order must be 'asc' or 'desc', got '" + value + "'";
            q.descending = value == "desc";
        } else if (name == "status") {
            auto status = rocketStatusFromString(value);
            if (!status) return "status must be 'ACTIVE' or 'EXPLODED', got '" + value + "'";
            q.status = status;
        } else if (name == "type") {
            q.type = value;
        } else if (name == "mission") {
            q.mission = value;
        } else if (name == "limit") {
            auto limit = parseBoundedInteger<std::size_t>(value, 1, 10000);
            if (!limit) return "limit must be an integer from 1 to 10000, got '" + value + "'";
            q.limit = *limit;
        } else if (name == "offset") {
            auto offset = parseBoundedInteger<std::size_t>(value, 0, static_cast<std::size_t>(kMaxJsonInteger));
            if (!offset) return "offset must be a non-negative integer, got '" + value + "'";
            q.offset = *offset;
        } else {
            // A misspelt parameter (?sortt=speed) must not silently give another answer.
            return "unknown query parameter '" + name +
                   "' (GET /rockets takes sort, order, status, type, mission, limit, offset)";
        }
    }
    return q;
}

void RocketsHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    try {
        if (channel_) handleOne(response);
        else handleList(response);
    } catch (const StoreUnavailableException& e) {
        context_.throttle.log(Poco::Message::PRIO_WARNING, "read:" + e.displayText(),
                              "read failed, answering 503: " + e.displayText());
        response.set("Retry-After", "1");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  "the rocket store is unavailable; retry later");
    }
}

void RocketsHandler::handleOne(Poco::Net::HTTPServerResponse& response) {
    if (!query_.empty()) {
        Poco::URI::QueryParameters parameters;
        try {
            parameters = Poco::URI("/?" + query_).getQueryParameters();
        } catch (const Poco::Exception& e) {
            sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query", "malformed query string: " + e.message());
            return;
        }
        if (!parameters.empty()) {
            sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query",
                      "unknown query parameter '" + parameters.front().first +
                          "' (GET /rockets/{channel} takes no parameters)");
            return;
        }
    }
    auto rocket = context_.rockets.get(*channel_);
    if (!rocket || !rocket->visible()) {
        sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "no launched rocket on channel '" + *channel_ + "'");
        return;
    }
    sendJson(response, HTTPResponse::HTTP_OK, encodeRocket(*rocket));
}

void RocketsHandler::handleList(Poco::Net::HTTPServerResponse& response) {
    auto parsed = parseQuery(query_);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query", *error);
        return;
    }
    const RocketPage page = context_.rockets.list(std::get<RocketQuery>(parsed));
    response.set("X-Total-Count", std::to_string(page.total));
    sendJson(response, HTTPResponse::HTTP_OK, encodeRockets(page.rockets));
}

}  // namespace rockets::server
