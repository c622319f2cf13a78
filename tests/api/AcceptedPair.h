#pragma once

#include "BufferedSocketImpl.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <chrono>
#include <poll.h>
#include <string>
#include <sys/socket.h>

namespace rockets::test {

/// A loopback connection whose server end is made as the edge makes it: accepted
/// non-blocking, with the peer's address accept() gave.
struct AcceptedPair {
    AcceptedPair() {
        Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
        client.connect(listener.address());
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        const int fd = ::accept4(listener.impl()->sockfd(), reinterpret_cast<sockaddr*>(&peer), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        EXPECT_GE(fd, 0);
        io = new server::BufferedSocketImpl(fd, peer, length);
        server = Poco::Net::StreamSocket(io);  // owns io
    }

    /// Waits for the server end to become readable (data or the peer's close).
    bool readable(std::chrono::milliseconds within) const {
        pollfd p{io->sockfd(), POLLIN, 0};
        return ::poll(&p, 1, static_cast<int>(within.count())) == 1;
    }

    /// Ends the server's sending and returns everything the client received.
    std::string receivedByClient() {
        ::shutdown(io->sockfd(), SHUT_WR);
        client.setReceiveTimeout(Poco::Timespan(5, 0));
        std::string received;
        char chunk[4096];
        for (int n; (n = client.receiveBytes(chunk, sizeof chunk)) > 0;) received.append(chunk, static_cast<std::size_t>(n));
        return received;
    }

    Poco::Net::StreamSocket client;
    server::BufferedSocketImpl* io = nullptr;
    Poco::Net::StreamSocket server;
};

}  // namespace rockets::test
