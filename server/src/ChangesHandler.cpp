#include "ChangesHandler.h"

#include "EdgeExchange.h"
#include "HttpUtil.h"

#include "rockets/StoreErrors.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <ostream>

namespace rockets::server {

using Poco::Net::HTTPResponse;

namespace {
/// Most rockets a snapshot sends; it reads the list a page of kSnapshotPage at a time.
constexpr std::size_t kSnapshotMax = 100000;
constexpr std::size_t kSnapshotPage = 1000;
void setStreamHeaders(Poco::Net::HTTPServerResponse& response) {
    response.setContentType("text/event-stream; charset=utf-8");
    response.set("Cache-Control", "no-cache");
    response.set("X-Accel-Buffering", "no");  // proxies must not buffer the stream
    response.setKeepAlive(false);             // the stream ends with the connection
}

}  // namespace

std::variant<ChangesQuery, std::string> ChangesHandler::parseQuery(const std::string& query) {
    ChangesQuery q;
    auto parsed = parseQueryParameters(query);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    for (const auto& [name, value] : std::get<Poco::URI::QueryParameters>(parsed)) {
        if (name == "status") {
            auto status = rocketStatusFromString(value);
            if (!status) return "status must be 'ACTIVE' or 'EXPLODED', got '" + value + "'";
            q.filter.status = status;
        } else if (name == "type") {
            q.filter.type = value;
        } else if (name == "mission") {
            q.filter.mission = value;
        } else if (name == "snapshot" || name == "every") {
            if (value != "true" && value != "false") return name + " must be 'true' or 'false', got '" + value + "'";
            (name == "snapshot" ? q.snapshot : q.filter.everyChange) = value == "true";
        } else {
            return "unknown query parameter '" + name + "' (GET /changes takes status, type, mission, snapshot, every)";
        }
    }
    return q;
}

void ChangesHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto parsed = parseQuery(query_);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query", *error);
        return;
    }
    ChangesQuery& query = std::get<ChangesQuery>(parsed);
    if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD) {
        // The head a stream would start with, and no stream.
        setStreamHeaders(response);
        response.send();
        return;
    }
    if (!hub_.reserve()) {
        response.set("Retry-After", "5");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "too_many_streams",
                  "the server already serves " + std::to_string(context_.settings.maxStreams) +
                      " change streams (rockets.http.maxStreams); retry later");
        return;
    }
    // From here on the slot is ours: adopt() takes it over, every other path gives it back.
    // The ring's position before the snapshot: changes applied while it is read follow it.
    const StreamHub::Position from = hub_.position();
    std::vector<Rocket> snapshot;
    try {
        if (query.snapshot) {
            // Every rocket by channel, filtered here: a rocket never leaves that list, so
            // changes while the pages are read can repeat a rocket but never shift one past
            // a page boundary, as a rocket leaving a filtered list would.
            RocketQuery list;
            list.limit = kSnapshotPage;
            while (snapshot.size() < kSnapshotMax) {
                RocketPage page = context_.rockets.list(list);
                for (Rocket& rocket : page.rockets) {
                    if (snapshot.size() == kSnapshotMax) break;
                    if (query.filter.matches(rocket)) snapshot.push_back(std::move(rocket));
                }
                list.offset += kSnapshotPage;
                if (list.offset >= page.total) break;
            }
        }
        setStreamHeaders(response);
        response.send().flush();
    } catch (const StoreUnavailableException& e) {
        hub_.release();
        context_.throttle.log(Poco::Message::PRIO_WARNING, "snapshot:" + e.displayText(),
                              "snapshot failed, answering 503: " + e.displayText());
        response.set("Retry-After", "1");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  "the rocket store is unavailable; retry later");
        return;
    } catch (...) {
        hub_.release();
        throw;
    }
    auto& edgeRequest = dynamic_cast<EdgeRequest&>(request);
    hub_.adopt(edgeRequest.detachSocket(), std::move(query.filter), request.get("Last-Event-ID", ""), std::move(snapshot),
               from);
}

}  // namespace rockets::server
