#include "SseClient.h"

#include "ExchangeRecorder.h"

#include "rockets/RocketCodec.h"

#include <Poco/Exception.h>

#include <algorithm>

namespace rockets::test {

std::string rocketEvent(const Rocket& rocket) { return "event: rocket\ndata: " + encodeRocket(rocket) + "\n\n"; }

SseClient::SseClient(int port, const std::string& target, const std::string& extraHeaders) : target_(target) {
    socket_.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "\r\n";
    socket_.sendBytes(request.data(), static_cast<int>(request.size()));
}

SseClient::~SseClient() {
    const auto headEnd = received_.find("\r\n\r\n");
    if (headEnd == std::string::npos) return;
    const bool stream = status() == 200;
    const auto response = parseRawResponse(stream ? received_.substr(0, headEnd + 4) : received_, stream);
    if (!response) return;
    recordExchange({"GET", target_, response->status, response->headers, response->body, stream});
}

bool SseClient::waitForAll(const std::vector<std::string>& texts, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto allArrived = [&] {
        return std::all_of(texts.begin(), texts.end(),
                           [&](const std::string& text) { return received_.find(text, consumed_) != std::string::npos; });
    };
    char buffer[8192];
    while (!closed_ && !allArrived()) {
        // Heartbeats keep arriving: each receive waits only for what is left of the deadline.
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        socket_.setReceiveTimeout(Poco::Timespan(left.count()));
        int n = 0;
        try {
            n = socket_.receiveBytes(buffer, sizeof buffer);
        } catch (const Poco::TimeoutException&) {
            break;
        } catch (const Poco::Exception&) {
            closed_ = true;  // reset by the peer
            break;
        }
        if (n <= 0) {
            closed_ = true;
            break;
        }
        received_.append(buffer, static_cast<std::size_t>(n));
    }
    if (!allArrived()) return false;
    std::size_t end = consumed_;
    for (const auto& text : texts) end = std::max(end, received_.find(text, consumed_) + text.size());
    consumed_ = end;
    return true;
}

bool SseClient::waitFor(const std::string& text, std::chrono::milliseconds timeout) {
    return waitForAll({text}, timeout);
}

std::string SseClient::readUntil(const std::string& text, std::chrono::milliseconds timeout) {
    waitFor(text, timeout);
    return received_;
}

int SseClient::status() const {
    return received_.size() > 12 && received_.starts_with("HTTP/1.") ? std::stoi(received_.substr(9, 3)) : 0;
}

}  // namespace rockets::test
