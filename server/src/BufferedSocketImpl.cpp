#include "BufferedSocketImpl.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

namespace rockets::server {

namespace {
constexpr std::size_t kReadChunk = 16 * 1024;
}  // namespace

BufferedSocketImpl::BufferedSocketImpl(poco_socket_t fd, const sockaddr_storage& peer, socklen_t peerLength)
    : Poco::Net::StreamSocketImpl(fd) {
    if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6) {
        peerAddress_.emplace(reinterpret_cast<const sockaddr*>(&peer), peerLength);
    }
}

void BufferedSocketImpl::compact() {
    if (start_ == buffer_.size()) {
        buffer_.clear();
        requestEnd_ = start_ = 0;
    } else if (start_ > kReadChunk) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
        requestEnd_ -= std::min(requestEnd_, start_);
        start_ = 0;
    }
}

BufferedSocketImpl::Fill BufferedSocketImpl::fill(std::size_t maxBuffered) {
    compact();
    while (buffer_.size() - start_ < maxBuffered) {
        const std::size_t old = buffer_.size();
        buffer_.resize(old + kReadChunk);
        const ssize_t n = ::recv(sockfd(), buffer_.data() + old, kReadChunk, MSG_DONTWAIT);
        buffer_.resize(old + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        // Less than asked for: the kernel had no more. Another recv would only say
        // EAGAIN (one system call per request); what comes later, or the peer's
        // close, is seen by the next poll or epoll round (level-triggered).
        if (n > 0 && static_cast<std::size_t>(n) < kReadChunk) return Fill::Open;
        if (n > 0) continue;
        if (n == 0) return Fill::PeerClosed;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? Fill::Open : Fill::Failed;
    }
    return Fill::Open;
}

Poco::Net::SocketAddress BufferedSocketImpl::address() {
    if (!address_) address_ = Poco::Net::StreamSocketImpl::address();
    return *address_;
}

Poco::Net::SocketAddress BufferedSocketImpl::peerAddress() {
    if (!peerAddress_) peerAddress_ = Poco::Net::StreamSocketImpl::peerAddress();
    return *peerAddress_;
}

void BufferedSocketImpl::beginRequest(std::size_t length, std::chrono::milliseconds sendTimeout,
                                      std::chrono::milliseconds responseTime) {
    requestEnd_ = start_ + std::min(length, buffer_.size() - start_);
    sendTimeout_ = sendTimeout;
    responseTime_ = responseTime;
    sending_ = false;
}

void BufferedSocketImpl::endRequest() {
    start_ = std::max(start_, requestEnd_);
    compact();
}

int BufferedSocketImpl::receiveBytes(void* buffer, int length, int) {
    const std::size_t left = requestEnd_ - std::min(requestEnd_, start_);
    const std::size_t n = std::min(static_cast<std::size_t>(std::max(length, 0)), left);
    std::memcpy(buffer, buffer_.data() + start_, n);
    start_ += n;
    return static_cast<int>(n);
}

bool BufferedSocketImpl::trySend(std::string_view bytes) {
    const ssize_t n = ::send(sockfd(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    return n == static_cast<ssize_t>(bytes.size());
}

void BufferedSocketImpl::sendAll(std::string_view bytes) {
    if (!sending_) {
        sending_ = true;
        sendDeadline_ = Clock::now() + responseTime_;
    }
    while (!bytes.empty()) {
        const ssize_t n = ::send(sockfd(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) error(errno);
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(sendDeadline_ - Clock::now());
        const auto wait = std::min(sendTimeout_, left);
        pollfd p{sockfd(), POLLOUT, 0};
        if (wait.count() <= 0 || ::poll(&p, 1, static_cast<int>(wait.count())) == 0) {
            throw Poco::TimeoutException("the client does not read its response");
        }
    }
}

int BufferedSocketImpl::sendBytes(const void* buffer, int length, int) {
    sendAll(std::string_view(static_cast<const char*>(buffer), static_cast<std::size_t>(std::max(length, 0))));
    return length;
}

}  // namespace rockets::server
