#include "rockets/sim/RocketClient.h"

#include "rockets/Codec.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Net/HTTPClientSession.h>
#include "rockets/sim/Version.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace rockets::sim {

RocketClient::RocketClient(Target target, std::chrono::nanoseconds timeout)
    : target_(std::move(target)), timeout_(timeout) {}

std::string RocketClient::rocketPath(const std::string& channel) const {
    std::string encoded;
    // Everything but RFC 3986 unreserved characters is escaped, '/' included.
    Poco::URI::encode(channel, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|} ", encoded);
    return target_.apiPrefix + "rockets/" + encoded;
}

std::pair<int, std::string> RocketClient::fetch(const std::string& path,
                                                std::optional<std::size_t>* totalCount) const {
    Poco::Net::HTTPClientSession session(target_.host, target_.port);
    session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", userAgent());
    request.setKeepAlive(false);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    if (totalCount != nullptr) {
        Poco::UInt64 total = 0;
        if (response.has("X-Total-Count") && Poco::NumberParser::tryParseUnsigned64(response.get("X-Total-Count"), total))
            *totalCount = static_cast<std::size_t>(total);
    }
    return {response.getStatus(), std::move(body)};
}

std::optional<Rocket> RocketClient::get(const std::string& channel) const {
    const std::string path = rocketPath(channel);
    auto [status, body] = fetch(path, nullptr);
    if (status == Poco::Net::HTTPResponse::HTTP_NOT_FOUND) return std::nullopt;
    if (status != Poco::Net::HTTPResponse::HTTP_OK)
        throw Poco::ProtocolException("GET " + path + " answered " + std::to_string(status) + ": " + body);
    auto rocket = decodeRocket(body);
    if (!rocket) throw Poco::DataFormatException("GET " + path + " returned an invalid rocket: " + body);
    return rocket;
}

RocketListPage RocketClient::list(std::size_t limit, std::size_t offset) const {
    const std::string path =
        target_.apiPrefix + "rockets?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset);
    RocketListPage page;
    auto [status, body] = fetch(path, &page.totalCount);
    if (status != Poco::Net::HTTPResponse::HTTP_OK)
        throw Poco::ProtocolException("GET " + path + " answered " + std::to_string(status) + ": " + body);
    auto rockets = decodeRockets(body);
    if (!rockets) throw Poco::DataFormatException("GET " + path + " returned an invalid rocket list");
    page.rockets = std::move(*rockets);
    return page;
}

}  // namespace rockets::sim
