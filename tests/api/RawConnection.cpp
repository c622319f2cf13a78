#include "RawConnection.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <algorithm>

namespace rockets::test {

RawConnection::RawConnection(int port)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {}

void RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const int n = socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
        bytes.remove_prefix(static_cast<std::size_t>(std::max(n, 0)));
    }
}

bool RawConnection::receiveMore(std::chrono::steady_clock::time_point deadline) {
    if (closed_) return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    socket_.setReceiveTimeout(Poco::Timespan(left.count()));
    char chunk[8192];
    try {
        const int n = socket_.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    } catch (const Poco::TimeoutException&) {
        return false;
    } catch (const Poco::Exception&) {
        closed_ = true;  // reset by the peer
        return false;
    }
}

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout, bool toHead) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t headEnd;
    while ((headEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!receiveMore(deadline)) return std::nullopt;
    }
    RawResponse response;
    const std::string head = buffer_.substr(0, headEnd);
    std::size_t lineEnd = head.find("\r\n");
    const std::string statusLine = head.substr(0, lineEnd);
    if (statusLine.size() < 12 || !statusLine.starts_with("HTTP/1.")) return std::nullopt;
    response.status = std::stoi(statusLine.substr(9, 3));
    while (lineEnd != std::string::npos) {
        const std::size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        const std::string line = head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        response.headers[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
    }
    std::size_t length = 0;
    if (response.status >= 200 && response.status != 204 && response.status != 304 && !toHead) {
        length = std::stoul("0" + response.header("content-length"));
    }
    while (buffer_.size() < headEnd + 4 + length) {
        if (!receiveMore(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(headEnd + 4, length);
    buffer_.erase(0, headEnd + 4 + length);
    return response;
}

bool RawConnection::waitClosed(std::chrono::milliseconds timeout, std::string* received) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (receiveMore(deadline)) {
    }
    if (received) received->append(buffer_);
    buffer_.clear();
    return closed_;
}

}  // namespace rockets::test
