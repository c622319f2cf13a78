#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <map>
#include <string>

namespace rockets::test {

/// One HTTP exchange's outcome; status 0 means no answer came (see HttpClient::trySend).
struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;

    /// The value of header `name` (case-insensitive), or "" when absent.
    std::string header(const std::string& name) const;
};

/// The HTTP client of the api and e2e tests: one connection to 127.0.0.1:`port`,
/// kept alive between requests and reopened after a failure. A body is sent with
/// Content-Length (or chunked when `headers` ask for Transfer-Encoding: chunked) and
/// Content-Type application/json unless `headers` set another. Not thread-safe: one
/// client per thread.
class HttpClient {
public:
    explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Sends one request and reads the whole answer; throws Poco::Exception when
    /// none comes (refused, reset, timed out).
    HttpResult send(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

    /// As send(), but a missing answer is status 0: for servers that are being
    /// killed, restarted or cut off from their store on purpose.
    HttpResult trySend(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});

private:
    Poco::Net::HTTPClientSession session_;
};

/// Sends one request on a new connection to 127.0.0.1:`port` and reads the answer
/// (throws when none comes).
HttpResult httpRequest(int port, const std::string& method, const std::string& target, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});

/// Sends raw bytes on a new connection and returns whatever comes back before the
/// server closes it or `timeoutMs` passes: for requests no HTTP client would send.
std::string rawExchange(int port, const std::string& bytes, int timeoutMs = 2000);

}  // namespace rockets::test
