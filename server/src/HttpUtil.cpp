#include "HttpUtil.h"

#include "rockets/Codec.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <ctime>

#include <sstream>

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
    sendJson(response, status, encodeError(code, replaceInvalidUtf8(message)));
}

void sendMethodNotAllowed(Poco::Net::HTTPServerResponse& response, const std::string& allow) {
    response.set("Allow", allow);
    sendError(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
              "this path accepts " + allow);
}

void setDateNow(Poco::Net::HTTPResponse& response) {
    thread_local std::time_t second = -1;
    thread_local std::string text;
    const Poco::Timestamp now;
    if (now.epochTime() != second) {
        second = now.epochTime();
        text = Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::HTTP_FORMAT);
    }
    response.set("Date", text);
}

std::string errorResponse(int status, std::string_view code, std::string_view message) {
    const std::string body = encodeError(code, replaceInvalidUtf8(message));
    Poco::Net::HTTPResponse response(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    setDateNow(response);
    response.set("Server", "rockets");
    response.setContentType("application/json; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.setKeepAlive(false);
    if (status == Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE) response.set("Retry-After", "1");
    std::ostringstream out;
    response.write(out);
    out << body;
    return out.str();
}

void splitTarget(const std::string& target, std::string& path, std::string& query) {
    std::string_view origin = target;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (origin.size() >= scheme.size() &&
            Poco::icompare(std::string(origin.substr(0, scheme.size())), std::string(scheme)) == 0) {
            // The authority names this server; there are no virtual hosts to pick from.
            origin.remove_prefix(scheme.size());
            const auto start = origin.find_first_of("/?#");
            origin = start == std::string_view::npos ? std::string_view("/") : origin.substr(start);
            break;
        }
    }
    const auto mark = origin.find('?');
    path = std::string(origin.substr(0, mark));
    query = mark == std::string_view::npos ? std::string() : std::string(origin.substr(mark + 1));
    // Fragments are never sent by clients, but a hostile one must not confuse routing.
    if (const auto hash = path.find('#'); hash != std::string::npos) path.resize(hash);
    if (path.empty()) path = "/";
}

std::variant<Poco::URI::QueryParameters, std::string> parseQueryParameters(const std::string& query) {
    try {
        return Poco::URI("/?" + query).getQueryParameters();
    } catch (const Poco::Exception& e) {
        return "malformed query string: " + e.message();
    }
}

std::string replaceInvalidUtf8(std::string_view text) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // range of the second byte (RFC 3629 §4)
        if (lead < 0x80) length = 1;
        else if (lead >= 0xC2 && lead <= 0xDF) length = 2;
        else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        }
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            valid = k == 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xBF;
        }
        if (valid) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            out.append(kReplacement);
            ++i;
        }
    }
    return out;
}

}  // namespace rockets::server
