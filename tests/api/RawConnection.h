#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rockets::test {

/// One HTTP response as read off a raw connection; header names are lower case.
struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;

    std::string header(const std::string& lowerCaseName) const {
        auto it = headers.find(lowerCaseName);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// A client that writes exactly the bytes it is given (malformed, pipelined,
/// trickled) and reads responses one at a time, for tests of the HTTP edge. Each
/// response is recorded for the OpenAPI check with the request it answers: the bytes
/// sent are split into requests the way the server splits them (RequestFramer).
class RawConnection {
public:
    explicit RawConnection(int port);

    /// Sends all of `bytes`.
    void send(std::string_view bytes);

    /// Reads the next response (a 1xx one included); nullopt when the connection
    /// closes or `timeout` passes before it is complete. The answer to a HEAD request
    /// is read without a body, whatever its Content-Length says.
    std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// True when the server closes the connection (recv returns 0, or a reset)
    /// within `timeout`; whatever arrived before that is appended to `received`.
    bool waitClosed(std::chrono::milliseconds timeout, std::string* received = nullptr);

private:
    /// Receives more bytes into buffer_; false on close or timeout.
    bool receiveMore(std::chrono::steady_clock::time_point deadline);
    /// The method and target of the oldest request sent and not yet answered (taken off
    /// sent_); nullopt when none can be read.
    std::optional<std::pair<std::string, std::string>> takeRequest();

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
    std::string sent_;  ///< bytes sent that no response has been matched with yet
    /// The request whose answer is being read (kept while its body is incomplete).
    std::optional<std::pair<std::string, std::string>> answered_;
    bool matched_ = false;  ///< answered_ is set for the response being read
    bool closed_ = false;
};

}  // namespace rockets::test
