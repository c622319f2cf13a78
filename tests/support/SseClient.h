#pragma once

#include "rockets/Rocket.h"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace rockets::test {

/// The event GET /changes sends for `rocket` (the lines after its id): the rocket as
/// GET /rockets/{channel} returns it.
std::string rocketEvent(const Rocket& rocket);

/// A client of GET /changes (Server-Sent Events) on a raw socket: sends the request,
/// then reads the stream as it comes, each read bounded by a deadline. The answer's
/// head (and an error's body) is recorded for the OpenAPI check when it is destroyed.
class SseClient {
public:
    /// Connects to 127.0.0.1:`port` and sends `GET target`; `extraHeaders` are whole
    /// header lines, each ending in "\r\n".
    SseClient(int port, const std::string& target, const std::string& extraHeaders = "");
    ~SseClient();
    SseClient(const SseClient&) = delete;
    SseClient& operator=(const SseClient&) = delete;

    /// Reads until `text` arrived after what earlier calls consumed, the server closed
    /// the stream or `timeout` passed; returns everything read so far. When `text`
    /// arrived, the next call looks only after it.
    std::string readUntil(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// readUntil(), answering whether `text` arrived in time.
    bool waitFor(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Reads until every one of `texts` arrived (in any order) after what earlier calls
    /// consumed; then the next call looks only after the last of them. False when the
    /// stream closed or `timeout` passed first.
    bool waitForAll(const std::vector<std::string>& texts, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Everything read so far.
    const std::string& received() const { return received_; }

    /// Whether the server closed the stream (seen by a read).
    bool closed() const { return closed_; }

    /// The status code of the response head (after a read got it); 0 before.
    int status() const;

private:
    std::string target_;
    Poco::Net::StreamSocket socket_;
    std::string received_;
    std::size_t consumed_ = 0;
    bool closed_ = false;
};

}  // namespace rockets::test
