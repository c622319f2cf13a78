#pragma once

#include <map>
#include <string>

namespace rockets::test {

/// One HTTP exchange's outcome.
struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// Sends one request on a new connection to 127.0.0.1:`port` and reads the answer.
HttpResult httpRequest(int port, const std::string& method, const std::string& target, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});

/// Sends raw bytes on a new connection and returns whatever comes back before the
/// server closes it or `timeoutMs` passes.
std::string rawExchange(int port, const std::string& bytes, int timeoutMs = 2000);

}  // namespace rockets::test
