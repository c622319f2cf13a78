#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rockets::sim {

/// Removes the chunked transfer coding (RFC 9112 §7.1) from a body as its bytes
/// arrive, in pieces cut anywhere: chunk sizes in hex with optional extensions,
/// the zero-size last chunk, then trailer lines up to a blank line. Lines may end in
/// CRLF or a bare LF.
class ChunkedDecoder {
public:
    /// Appends the data of the chunks in `bytes` to `out`. False once the coding is
    /// malformed (see error()); bytes after the last chunk's trailers are ignored.
    bool feed(std::string_view bytes, std::string& out);

    /// The last chunk and its trailers have arrived: the body is complete.
    bool finished() const { return state_ == State::Done; }

    /// Why feed() returned false; empty while the coding is well-formed.
    const std::string& error() const { return error_; }

private:
    enum class State { Size, Data, DataEnd, Trailer, Done, Failed };

    bool fail(std::string why);
    /// Takes one complete line (without its line end) in State Size, DataEnd or Trailer.
    bool line(std::string_view text);

    State state_ = State::Size;
    std::uint64_t remaining_ = 0;  ///< data bytes left in the current chunk
    std::string line_;             ///< a size or trailer line begun in an earlier feed
    std::string error_;
};

}  // namespace rockets::sim
