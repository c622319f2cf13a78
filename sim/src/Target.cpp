#include "rockets/sim/Target.h"

#include <Poco/Exception.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

namespace rockets::sim {

std::string Target::origin() const { return "http://" + host + ":" + std::to_string(port); }

Target Target::parse(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::SyntaxException& e) {
        throw Poco::SyntaxException("invalid URL '" + url + "': " + e.message());
    }
    if (uri.getScheme() != "http")
        throw Poco::SyntaxException("unsupported URL '" + url + "': only http:// is supported");
    if (uri.getHost().empty()) throw Poco::SyntaxException("invalid URL '" + url + "': no host");
    Target target;
    target.url = url;
    target.host = uri.getHost();
    target.port = uri.getPort();
    target.messagesPath = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    const std::string path = uri.getPath().empty() ? "/" : uri.getPath();
    target.apiPrefix = path.substr(0, path.rfind('/') + 1);
    return target;
}

std::vector<Target> Target::parseList(const std::string& urls) {
    std::vector<Target> targets;
    Poco::StringTokenizer tokens(urls, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& token : tokens) targets.push_back(parse(token));
    if (targets.empty()) throw Poco::SyntaxException("no URL given");
    return targets;
}

}  // namespace rockets::sim
