#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <vector>

namespace rockets::server {

/// Cross-origin access for pages served elsewhere (rockets.http.corsOrigins): which
/// origins may read the API's answers, and the headers that say so. Off (no header
/// at all) when no origin is configured; "*" allows any origin. Requests carry no
/// credentials (no cookies), so "*" is safe to answer as is.
class CorsPolicy {
public:
    explicit CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

    /// Adds Access-Control-Allow-Origin and Access-Control-Expose-Headers when the
    /// request's Origin is allowed, and Vary: Origin whenever the answer depends on it.
    void apply(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

    /// For a preflight (OPTIONS with Access-Control-Request-Method) from an allowed
    /// origin: the methods of the path (`allow`), the request headers a page may
    /// send, and how long the browser may cache the answer.
    void applyPreflight(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                        const std::string& allow) const;

private:
    bool allows(const std::string& origin) const;

    std::vector<std::string> origins_;
};

}  // namespace rockets::server
