#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <string_view>

namespace rockets::server {

/// Sends `body` as `application/json; charset=utf-8` with `status`.
void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& body);

/// Sends the error body of DESIGN §2: {"error":{"code":...,"message":...}}.
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               std::string_view code, std::string_view message);

/// 405 with the `Allow` header.
void sendMethodNotAllowed(Poco::Net::HTTPServerResponse& response, const std::string& allow);

/// Splits a request target into its path and query (without '?').
void splitTarget(const std::string& target, std::string& path, std::string& query);

}  // namespace rockets::server

namespace rockets::server {

/// True when the request announces a body (a handler that leaves it unread must
/// close the connection, or the next request on it would be misparsed).
bool hasBody(const Poco::Net::HTTPServerRequest& request);

}  // namespace rockets::server
