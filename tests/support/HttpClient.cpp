#include "HttpClient.h"

#include "ExchangeRecorder.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <tuple>

namespace rockets::test {

std::string HttpResult::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (Poco::icompare(key, name) == 0) return value;
    }
    return {};
}

HttpClient::HttpClient(int port, std::chrono::milliseconds timeout)
    : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
    session_.setKeepAlive(true);
}

HttpResult HttpClient::send(const std::string& method, const std::string& target, const std::string& body,
                            const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == "POST") {
        if (!request.getChunkedTransferEncoding()) request.setContentLength(static_cast<std::streamsize>(body.size()));
        if (!request.has("Content-Type")) request.setContentType("application/json");
    }
    try {
        session_.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session_.receiveResponse(response);
        HttpResult result;
        result.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, result.body);
        for (const auto& [name, value] : response) result.headers[name] = value;
        RecordedExchange exchange{method, target, result.status, {}, result.body, false};
        for (const auto& [name, value] : response) exchange.headers.emplace_back(name, value);
        recordExchange(exchange);
        return result;
    } catch (const Poco::Exception&) {
        session_.reset();  // the next request starts on a fresh connection
        throw;
    }
}

HttpResult HttpClient::trySend(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
    try {
        return send(method, target, body, headers);
    } catch (const Poco::Exception&) {
        return {};
    }
}

HttpResult httpRequest(int port, const std::string& method, const std::string& target, const std::string& body,
                       const std::map<std::string, std::string>& headers) {
    return HttpClient(port).send(method, target, body, headers);
}

std::string rawExchange(int port, const std::string& bytes, int timeoutMs) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(0, timeoutMs * 1000));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    std::string reply;
    char buffer[4096];
    try {
        while (true) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            reply.append(buffer, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception&) {
        // Timeout or reset: return what arrived.
    }
    // Only the first answer can be told which request it answers.
    const auto request = requestLineOf(bytes);
    std::string_view rest = reply;
    for (bool first = true; auto response = parseRawResponse(rest); first = false) {
        RecordedExchange exchange;
        if (first && request) std::tie(exchange.method, exchange.target) = *request;
        exchange.status = response->status;
        exchange.headers = response->headers;
        exchange.body = response->body;
        if (response->status >= 200) recordExchange(exchange);
        rest.remove_prefix(response->length);
    }
    return reply;
}

}  // namespace rockets::test
