#include "MessagesHandler.h"

#include "HttpUtil.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include <istream>

namespace rockets::server {

using Poco::Net::HTTPResponse;

namespace {
const std::string kAccepted = R"({"status":"accepted"})";
const std::string kDuplicate = R"({"status":"duplicate"})";
const std::string kConflict = R"({"status":"conflict"})";

/// Constant-time comparison, so response timing does not reveal the token.
bool sameSecret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
}  // namespace

bool MessagesHandler::authorized(const Poco::Net::HTTPServerRequest& request) const {
    const std::string& token = context_.settings.webhookToken;
    if (token.empty()) return true;
    // credentials = auth-scheme 1*SP token68; the scheme is case-insensitive (RFC 9110 §11.1).
    const std::string header = request.get("Authorization", "");
    const auto space = header.find(' ');
    if (space == std::string::npos || Poco::icompare(header.substr(0, space), "Bearer") != 0) return false;
    const auto credentials = header.find_first_not_of(' ', space);
    return credentials != std::string::npos && sameSecret(header.substr(credentials), token);
}

bool MessagesHandler::readBody(Poco::Net::HTTPServerRequest& request, std::string& body) const {
    const std::size_t limit = context_.settings.maxBodyBytes;
    if (request.hasContentLength()) {
        const auto length = request.getContentLength64();
        if (length < 0 || static_cast<std::uint64_t>(length) > limit) return false;
        body.resize(static_cast<std::size_t>(length));
        request.stream().read(body.data(), static_cast<std::streamsize>(length));
        body.resize(static_cast<std::size_t>(request.stream().gcount()));
        return true;
    }
    // Chunked or unspecified length: read until the limit plus one byte.
    char buffer[8192];
    std::istream& in = request.stream();
    while (in) {
        in.read(buffer, sizeof buffer);
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) return false;
    }
    return true;
}

void MessagesHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    Metrics& metrics = context_.metrics;
    if (!authorized(request)) {
        metrics.count(Outcome::Unauthorized);
        response.set("WWW-Authenticate", "Bearer");
        sendError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                  "POST /messages needs the header 'Authorization: Bearer <token>'");
        return;
    }
    std::string body;
    if (!readBody(request, body)) {
        metrics.count(Outcome::TooLarge);
        // The rest of the body is not read: the connection cannot be reused.
        response.setKeepAlive(false);
        sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                  "the body exceeds " + std::to_string(context_.settings.maxBodyBytes) + " bytes");
        return;
    }
    ParseResult parsed = parseMessage(body);
    if (auto* error = std::get_if<CodecError>(&parsed)) {
        metrics.count(Outcome::Invalid);
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, error->code, error->message);
        return;
    }
    const Message& message = std::get<Message>(parsed);
    if (const Admission admission = context_.consumer.admit(message.channel, message.number);
        admission != Admission::Accept) {
        // Not stored, so the sender's retry later is safe; by then the consumer has caught up.
        metrics.count(Outcome::OverLimit);
        const bool channel = admission == Admission::ChannelLimit;
        response.set("Retry-After", "1");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  channel ? "channel holds " + std::to_string(context_.settings.maxUnappliedPerChannel) +
                                " unapplied messages (rockets.limits.maxUnappliedPerChannel); retry later"
                          : "the server holds " + std::to_string(context_.settings.maxUnappliedTotal) +
                                " unapplied messages (rockets.limits.maxUnappliedTotal); retry later");
        return;
    }
    AppendResult result;
    try {
        result = context_.events.append(message);
    } catch (const StoreUnavailableException& e) {
        metrics.count(Outcome::Unavailable);
        context_.throttle.log(Poco::Message::PRIO_WARNING, "append:" + e.displayText(),
                              "append failed, answering 503: " + e.displayText());
        response.set("Retry-After", "1");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  "the event store is unavailable; retry later");
        return;
    }
    switch (result) {
    case AppendResult::Stored:
        metrics.count(Outcome::Accepted);
        context_.consumer.stored(message);  // applied without reading it back
        sendJson(response, HTTPResponse::HTTP_ACCEPTED, kAccepted);
        return;
    case AppendResult::Duplicate:
        metrics.count(Outcome::Duplicate);
        // The first copy may have been stored by a process that died before applying
        // it (or whose reply was lost): scheduling the channel again is cheap and
        // avoids waiting for the sweep.
        context_.consumer.duplicate(message.channel);
        sendJson(response, HTTPResponse::HTTP_OK, kDuplicate);
        return;
    case AppendResult::Conflict:
        metrics.count(Outcome::Conflict);
        Poco::Logger::get("rockets.http")
            .warning("conflict: channel %s message %?d was already stored with another payload; kept the first",
                     message.channel, message.number);
        sendJson(response, HTTPResponse::HTTP_OK, kConflict);
        return;
    }
}

}  // namespace rockets::server
