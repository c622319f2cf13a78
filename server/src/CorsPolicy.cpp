#include "CorsPolicy.h"

#include <algorithm>

namespace rockets::server {

namespace {
/// Response headers a page may read beyond the CORS-safelisted ones.
const std::string kExposed = "X-Total-Count, X-Applied-Version, Retry-After, ETag";
/// Request headers a page may send beyond the CORS-safelisted ones.
const std::string kAllowedHeaders = "Content-Type, Authorization, Last-Event-ID, If-None-Match";
}  // namespace

bool CorsPolicy::allows(const std::string& origin) const {
    if (origins_.empty() || origin.empty()) return false;
    return origins_.front() == "*" || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void CorsPolicy::apply(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    if (origins_.empty()) return;
    const bool any = origins_.front() == "*";
    // A cache must not hand one origin's answer to another.
    if (!any) response.set("Vary", "Origin");
    const std::string origin = request.get("Origin", "");
    if (!allows(origin)) return;
    response.set("Access-Control-Allow-Origin", any ? "*" : origin);
    response.set("Access-Control-Expose-Headers", kExposed);
}

void CorsPolicy::applyPreflight(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                const std::string& allow) const {
    if (!allows(request.get("Origin", "")) || !request.has("Access-Control-Request-Method")) return;
    response.set("Access-Control-Allow-Methods", allow);
    response.set("Access-Control-Allow-Headers", kAllowedHeaders);
    response.set("Access-Control-Max-Age", "600");
}

}  // namespace rockets::server
