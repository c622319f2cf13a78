#pragma once

#include <Poco/Net/StreamSocketImpl.h>

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace rockets::server {

/// A client connection's socket (non-blocking underneath) with the bytes the edge
/// has already received from it. Requests are read from buffered() (EdgeRequest);
/// whatever reads through the socket itself (StreamSocket::receiveBytes) is handed
/// only the buffered bytes of the current request, then end-of-stream: it never
/// reads from the network and never reads into the next request. Sends block the
/// calling worker until done, bounded by a per-wait timeout and a deadline for the
/// whole response.
class BufferedSocketImpl final : public Poco::Net::StreamSocketImpl {
public:
    using Clock = std::chrono::steady_clock;

    /// Takes ownership of `fd`, a connected non-blocking TCP socket; `peer` is the
    /// peer's address as accept() filled it in (kept for IPv4 and IPv6; for any other
    /// family, which Poco's SocketAddress does not take, the kernel is asked if needed).
    BufferedSocketImpl(poco_socket_t fd, const sockaddr_storage& peer, socklen_t peerLength);

    enum class Fill { Open, PeerClosed, Failed };

    /// Front side: appends what the kernel has without blocking, while fewer than
    /// `maxBuffered` bytes are buffered. Says whether the peer has closed or failed.
    Fill fill(std::size_t maxBuffered);

    /// The bytes received and not yet consumed.
    std::string_view buffered() const { return {buffer_.data() + start_, buffer_.size() - start_}; }

    /// Worker side: the next `length` buffered bytes are one request; reads see
    /// them, then end-of-stream. Sends wait at most `sendTimeout` for progress and
    /// end within `responseTime` of the first send.
    void beginRequest(std::size_t length, std::chrono::milliseconds sendTimeout,
                      std::chrono::milliseconds responseTime);

    /// Drops whatever of the current request was not read (an unread body).
    void endRequest();

    /// Sends without blocking, all or nothing in practice (short answers on an idle
    /// socket); false when not everything was sent.
    bool trySend(std::string_view bytes);

    /// Sends `bytes` with the bounds given to beginRequest().
    void sendAll(std::string_view bytes);

    int receiveBytes(void* buffer, int length, int flags = 0) override;
    int sendBytes(const void* buffer, int length, int flags = 0) override;
    /// Reads never block and sends are bounded by beginRequest(): SO_RCVTIMEO and
    /// SO_SNDTIMEO are not used, so Poco's calls to set them are no-ops.
    void setReceiveTimeout(const Poco::Timespan&) override {}
    void setSendTimeout(const Poco::Timespan&) override {}
    /// A connected socket's addresses never change: asked of the kernel once
    /// (getsockname, getpeername) and kept for every request on the connection; like
    /// the rest of this socket, used by the one thread that owns the connection at a time.
    Poco::Net::SocketAddress address() override;
    Poco::Net::SocketAddress peerAddress() override;

private:
    /// Leaves the elements resize() adds uninitialised: fill() grows the buffer by a
    /// read chunk for recv() to write into, and zeroing those 16 KiB first was the
    /// largest single cost of a keep-alive request in user space (callgrind,
    /// bench/PROFILE.md, twentieth session).
    template <typename T>
    struct UninitializedAllocator : std::allocator<T> {
        template <typename U>
        struct rebind {
            using other = UninitializedAllocator<U>;
        };
        template <typename U, typename... Args>
        void construct(U* p, Args&&... args) {
            if constexpr (sizeof...(Args) == 0) {
                ::new (static_cast<void*>(p)) U;
            } else {
                ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
            }
        }
    };

    ~BufferedSocketImpl() override = default;
    void compact();

    std::vector<char, UninitializedAllocator<char>> buffer_;
    std::size_t start_ = 0;       ///< first unconsumed byte in buffer_
    std::size_t requestEnd_ = 0;  ///< offset in buffer_ where the current request ends
    std::chrono::milliseconds sendTimeout_{10000};
    std::chrono::milliseconds responseTime_{10000};
    Clock::time_point sendDeadline_{};
    bool sending_ = false;
    std::optional<Poco::Net::SocketAddress> address_;
    std::optional<Poco::Net::SocketAddress> peerAddress_;
};

}  // namespace rockets::server
