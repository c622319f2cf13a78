#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// Where a part of a request lies in its bytes (offsets from the request's first
/// byte, so that they survive the buffer growing between feeds).
struct Span {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string_view in(std::string_view request) const { return request.substr(offset, length); }
};

/// What the framer read of a complete request, for the server to build its request
/// from without parsing the bytes again.
struct RequestHead {
    /// The head's bytes, up to and including the empty line that ends it; 0 while
    /// the head is incomplete.
    std::size_t length = 0;
    Span method;
    Span target;
    Span version;
    /// Each field line's name and value (value without surrounding whitespace), in order.
    std::vector<std::pair<Span, Span>> fields;
    /// The body's bytes in order: none, the Content-Length bytes, or each chunk's data.
    std::vector<Span> body;
};

/// The one reading of a request's bytes that the server acts on (RFC 9112): where
/// the head ends, whether it is well-formed and unambiguous, and where the body
/// ends, so no byte of a body can ever be read as a request. The server builds its
/// request from this reading (head()); nothing parses the bytes a second time.
/// Strict on purpose: whatever another parser could read differently (line folding,
/// bare LF, conflicting lengths, ...) is rejected with a status and an error code.
/// Resumable: feed it the growing buffer of one request; `reset()` before the next.
class RequestFramer {
public:
    /// Field lines and the request head as a whole.
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

    /// The request's parts, complete once feed() said Complete; its spans refer to
    /// the bytes fed.
    const RequestHead& head() const { return head_; }

private:
    enum class Body { None, Length, Chunked };
    enum class ChunkState { Size, Data, Trailer };

    Framing parseHead(std::string_view head);
    Framing scanChunks(std::string_view buffered);

    std::size_t maxBodyBytes_;
    std::size_t searchFrom_ = 0;  ///< where to resume looking for the end of the head
    bool sawRequestLine_ = false;  ///< a line before searchFrom_ was neither empty nor a lone CR
    Body body_ = Body::None;
    std::size_t contentLength_ = 0;
    bool expectsContinue_ = false;
    ChunkState chunkState_ = ChunkState::Size;
    std::size_t chunkPos_ = 0;
    std::size_t chunkRemaining_ = 0;
    std::size_t chunkData_ = 0;
    RequestHead head_;
    std::vector<std::string_view> lines_;  ///< parseHead's scratch, kept for its capacity
};

}  // namespace rockets::server
