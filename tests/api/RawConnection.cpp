#include "RawConnection.h"

#include "ExchangeRecorder.h"
#include "RequestFramer.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <algorithm>
#include <tuple>

namespace rockets::test {

RawConnection::RawConnection(int port)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {}

void RawConnection::send(std::string_view bytes) {
    sent_.append(bytes);
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

std::optional<std::pair<std::string, std::string>> RawConnection::takeRequest() {
    server::RequestFramer framer(std::size_t{1} << 30);
    const server::Framing framing = framer.feed(sent_);
    auto request = requestLineOf(sent_);
    if (framing.kind == server::Framing::Kind::Complete) sent_.erase(0, framing.length);
    else sent_.clear();  // rejected or cut short: the server closes after its answer
    return request;
}

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t headEnd;
    while ((headEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!receiveMore(deadline)) return std::nullopt;
    }
    if (!buffer_.starts_with("HTTP/1.") || headEnd < 12) return std::nullopt;
    const int status = std::stoi(buffer_.substr(9, 3));
    // A 1xx answer is interim: the request it belongs to is still to be answered.
    if (status >= 200 && !matched_) {
        answered_ = takeRequest();
        matched_ = true;
    }
    const bool toHead = answered_ && answered_->first == "HEAD";
    std::optional<RawHttpResponse> parsed;
    while (!(parsed = parseRawResponse(buffer_, toHead))) {
        if (!receiveMore(deadline)) return std::nullopt;
    }
    buffer_.erase(0, parsed->length);
    RawResponse response;
    response.status = parsed->status;
    for (const auto& [name, value] : parsed->headers) response.headers[Poco::toLower(name)] = value;
    response.body = parsed->body;
    if (status >= 200) {
        RecordedExchange exchange;
        if (answered_) std::tie(exchange.method, exchange.target) = *answered_;
        exchange.status = parsed->status;
        exchange.headers = parsed->headers;
        exchange.body = parsed->body;
        recordExchange(exchange);
        answered_.reset();
        matched_ = false;
    }
    return response;
}

bool RawConnection::waitClosed(std::chrono::milliseconds timeout, std::string* received) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (receiveMore(deadline)) {
    }
    // Answers nobody read (a 408 before the close, say) are recorded too.
    std::string_view rest = buffer_;
    while (auto parsed = parseRawResponse(rest)) {
        RecordedExchange exchange;
        if (parsed->status >= 200) {
            if (auto request = takeRequest()) std::tie(exchange.method, exchange.target) = *request;
            exchange.status = parsed->status;
            exchange.headers = parsed->headers;
            exchange.body = parsed->body;
            recordExchange(exchange);
        }
        rest.remove_prefix(parsed->length);
    }
    if (received) received->append(buffer_);
    buffer_.clear();
    return closed_;
}

}  // namespace rockets::test
