#pragma once

#include "StreamHub.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace rockets::test {

/// The client end of a stream adopted by a hub, reading what the hub writes.
class StreamClient {
public:
    /// `socketBuffers` > 0 sets both ends' buffers that small (instead of loopback's
    /// autotuned tens of MB), so that a reader that stalls is behind after a few MB.
    StreamClient(server::StreamHub& hub, server::StreamFilter filter = {}, const std::string& lastEventId = "",
                 std::vector<Rocket> snapshot = {}, int socketBuffers = 0,
                 std::optional<server::StreamHub::Position> from = std::nullopt) {
        Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
        if (socketBuffers > 0) {
            client_ = Poco::Net::StreamSocket(Poco::Net::SocketAddress::IPv4);  // an fd to set it on
            client_.setReceiveBufferSize(socketBuffers);
        }
        client_.connect(listener.address());
        Poco::Net::StreamSocket server = listener.acceptConnection();
        if (socketBuffers > 0) server.setSendBufferSize(socketBuffers);
        EXPECT_TRUE(hub.reserve());
        hub.adopt(std::move(server), std::move(filter), lastEventId, std::move(snapshot), from);
        client_.setReceiveTimeout(Poco::Timespan(10, 0));
    }

    /// Reads until `text` has arrived (or the 10 s receive timeout); returns everything read so far.
    std::string readUntil(const std::string& text) {
        char buffer[65536];
        std::size_t from = consumed_;  // only new bytes (and a partial match before them) are searched
        while (received_.find(text, from) == std::string::npos) {
            from = std::max(consumed_, received_.size() >= text.size() ? received_.size() - text.size() + 1 : 0);
            const int n = client_.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            received_.append(buffer, static_cast<std::size_t>(n));
        }
        const auto at = received_.find(text, from);
        if (at != std::string::npos) consumed_ = at + text.size();
        return received_;
    }

    bool sawAfterConsumed(const std::string& text) const { return received_.find(text, consumed_) != std::string::npos; }
    Poco::Net::StreamSocket& socket() { return client_; }

private:
    Poco::Net::StreamSocket client_;
    std::string received_;
    std::size_t consumed_ = 0;
};

}  // namespace rockets::test
