#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <charconv>
#include <optional>
#include <variant>

#include <string>
#include <string_view>

namespace rockets::server {

/// Sends `body` as `application/json; charset=utf-8` with `status`.
void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& body);

/// Sends the error body of DESIGN §2: {"error":{"code":...,"message":...}}. The
/// message may echo request data: invalid UTF-8 in it is replaced.
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               std::string_view code, std::string_view message);

/// 405 with the `Allow` header.
void sendMethodNotAllowed(Poco::Net::HTTPServerResponse& response, const std::string& allow);

/// Sets the `Date` header to now (RFC 9110 §6.6.1). The text is formatted once per
/// second and thread: HTTPResponse::setDate formats it anew for every response.
void setDateNow(Poco::Net::HTTPResponse& response);

/// A whole HTTP/1.1 error response with the JSON error body and `Connection: close`,
/// for answers the edge gives before (or instead of) Poco's request handling.
std::string errorResponse(int status, std::string_view code, std::string_view message);

/// Splits a request target into its path and query (without '?'). An absolute-form
/// target (`http://host/path?q`, RFC 9112 §3.2.2) gives the same as its origin form.
void splitTarget(const std::string& target, std::string& path, std::string& query);

/// The name=value pairs of a query string (without '?'), percent-decoded, in order;
/// or the 400 message when it cannot be decoded.
std::variant<Poco::URI::QueryParameters, std::string> parseQueryParameters(const std::string& query);

/// `text` as a decimal integer in [min, max]; nullopt when it is anything else
/// (empty, signed, with other characters, out of range).
template <class Int>
std::optional<Int> parseBoundedInteger(const std::string& text, Int min, Int max) {
    Int value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
    return value;
}

/// `text` with every byte that is not part of a valid UTF-8 sequence (overlong forms,
/// surrogates and code points above U+10FFFF included) replaced by U+FFFD.
std::string replaceInvalidUtf8(std::string_view text);

}  // namespace rockets::server
