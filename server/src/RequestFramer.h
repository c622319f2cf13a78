#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rockets::server {

/// What the bytes buffered on a connection say about its next request.
struct Framing {
    enum class Kind {
        Incomplete,  ///< more bytes are needed
        Complete,    ///< the whole request (head and body) is buffered: its first `length` bytes
        Rejected,    ///< answer `status` with the error `code`/`message`, then close the connection
    };
    Kind kind = Kind::Incomplete;
    std::size_t length = 0;
    int status = 0;
    std::string code;
    std::string message;
    /// Incomplete with the head complete: the client waits for "100 Continue" before its body.
    bool expectsContinue = false;
};

/// The one reading of a request's bytes that the server acts on (RFC 9112), decided
/// before Poco parses anything: where the head ends, whether it is well-formed and
/// unambiguous, and where the body ends. Poco is then given exactly these bytes, so
/// no byte of a body can ever be read as a request. Stricter than Poco's parser on
/// purpose: everything Poco would read differently (or drop silently) is rejected
/// with a status and an error code. Resumable: feed it the growing buffer of one
/// request; `reset()` before the next request.
class RequestFramer {
public:
    /// Field lines and the request head as a whole; Poco's own limits are larger.
    static constexpr std::size_t kMaxHeadBytes = 32 * 1024;
    static constexpr std::size_t kMaxTargetBytes = 16 * 1024;
    static constexpr std::size_t kMaxFieldLineBytes = 8 * 1024;
    static constexpr std::size_t kMaxFieldNameBytes = 256;
    static constexpr std::size_t kMaxFields = 100;
    /// Chunk-size lines, extensions and trailers of a chunked body, beyond its data.
    static constexpr std::size_t kMaxChunkFramingBytes = 16 * 1024;

    explicit RequestFramer(std::size_t maxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}

    /// `buffered` starts at the request's first byte and holds everything received
    /// since (it only ever grows between calls until reset()).
    Framing feed(std::string_view buffered);

    /// Forgets the current request; the next feed() starts a new one.
    void reset();

private:
    enum class Body { None, Length, Chunked };
    enum class ChunkState { Size, Data, Trailer };

    Framing parseHead(std::string_view head);
    Framing scanChunks(std::string_view buffered);

    std::size_t maxBodyBytes_;
    std::size_t searchFrom_ = 0;  ///< where to resume looking for the end of the head
    std::size_t headLength_ = 0;  ///< 0 while the head is incomplete
    Body body_ = Body::None;
    std::size_t contentLength_ = 0;
    bool expectsContinue_ = false;
    ChunkState chunkState_ = ChunkState::Size;
    std::size_t chunkPos_ = 0;
    std::size_t chunkRemaining_ = 0;
    std::size_t chunkData_ = 0;
};

}  // namespace rockets::server
