#include "HttpUtil.h"

#include "rockets/Codec.h"

namespace rockets::server {

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               std::string_view code, std::string_view message) {
    sendJson(response, status, encodeError(code, message));
}

void sendMethodNotAllowed(Poco::Net::HTTPServerResponse& response, const std::string& allow) {
    response.set("Allow", allow);
    sendError(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
              "this path accepts " + allow);
}

void splitTarget(const std::string& target, std::string& path, std::string& query) {
    const auto mark = target.find('?');
    path = target.substr(0, mark);
    query = mark == std::string::npos ? std::string() : target.substr(mark + 1);
    // Fragments are never sent by clients, but a hostile one must not confuse routing.
    if (const auto hash = path.find('#'); hash != std::string::npos) path.resize(hash);
}

}  // namespace rockets::server

namespace rockets::server {

bool hasBody(const Poco::Net::HTTPServerRequest& request) {
    if (request.getChunkedTransferEncoding()) return true;
    return request.hasContentLength() && request.getContentLength64() > 0;
}

}  // namespace rockets::server
