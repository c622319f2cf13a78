#include "HttpClient.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace rockets::test {

HttpResult httpRequest(int port, const std::string& method, const std::string& target, const std::string& body,
                       const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == "POST") {
        if (!request.getChunkedTransferEncoding()) request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.setContentType("application/json");
    }
    std::ostream& out = session.sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    result.body = text.str();
    for (const auto& [name, value] : response) result.headers[name] = value;
    return result;
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
    return reply;
}

}  // namespace rockets::test
