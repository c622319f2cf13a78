#pragma once

#include "BufferedSocketImpl.h"
#include "RequestFramer.h"

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>

namespace rockets::server {

/// One client connection held by HttpEdge. Exactly one thread owns it at a time:
/// the front while it is Waiting (parked in epoll), a worker while it is Busy.
/// A worker hands it back by storing Waiting (release) before re-arming epoll.
struct Connection {
    using Clock = std::chrono::steady_clock;
    enum class State { Waiting, Busy };

    /// `peer` and `peerLength` as accept() filled them in.
    Connection(poco_socket_t fd, const sockaddr_storage& peer, socklen_t peerLength, std::size_t maxBodyBytes)
        : io(new BufferedSocketImpl(fd, peer, peerLength)), socket(io), framer(maxBodyBytes) {}

    BufferedSocketImpl* io;  ///< owned by `socket`
    Poco::Net::StreamSocket socket;
    RequestFramer framer;
    Framing framing;  ///< how the buffered bytes frame the next request
    std::atomic<State> state{State::Waiting};
    Clock::time_point since;     ///< idle since, or the first byte of the request being received
    Clock::time_point lastByte;  ///< the last byte received of that request
    bool continueSent = false;   ///< "100 Continue" already sent for this request
    bool peerClosed = false;     ///< the client shut down its side after sending
    bool draining = false;       ///< our answer is sent: discard input until the client closes
};

}  // namespace rockets::server
