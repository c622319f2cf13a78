#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rockets::sim {

/// One webhook URL to POST to, and where the same server serves its REST API.
struct Target {
    std::string url;          ///< as given, e.g. http://127.0.0.1:8088/messages
    std::string host;
    std::uint16_t port = 80;
    std::string messagesPath;  ///< path and query of the webhook, e.g. /messages
    /// Path prefix of the REST API: the webhook path without its last segment, so
    /// http://h/messages verifies at http://h/rockets and http://h/api/messages at
    /// http://h/api/rockets.
    std::string apiPrefix;

    /// scheme://host:port, identifying one server.
    std::string origin() const;

    /// Parses an http:// URL; throws Poco::SyntaxException with the reason otherwise.
    static Target parse(const std::string& url);

    /// Parses `URL1,URL2,...` (at least one).
    static std::vector<Target> parseList(const std::string& urls);
};

}  // namespace rockets::sim
